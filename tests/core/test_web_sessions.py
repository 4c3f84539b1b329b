"""The Mini App's session tokens and the rules around them (core/web_sessions.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from core.web_sessions import (
    INIT_DATA_MAX_AGE,
    SessionKeys,
    WebSession,
    init_data_fresh,
    webapp_origin_allowed,
)

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
KEYS = SessionKeys("123456:TEST-token")

sessions = st.builds(
    WebSession,
    telegram_id=st.integers(1, 2**52),
    account_id=st.none() | st.integers(1, 2**40),
    language_code=st.none() | st.sampled_from(["ru", "en", "en-US", "uk"]),
    expires=st.integers(0, 4_000_000_000).map(lambda s: datetime.fromtimestamp(s, UTC)),
)


@given(sessions)
def test_a_token_reads_back_as_issued(session) -> None:
    assert KEYS.read(KEYS.issue(session)) == session


@given(sessions, st.integers(0, 200), st.characters(codec="ascii"))
def test_a_token_changed_anywhere_is_not_ours(session, position, char) -> None:
    token = KEYS.issue(session)
    position %= len(token)
    changed = token[:position] + char + token[position + 1 :]
    if changed != token:
        assert KEYS.read(changed) is None


def test_another_bots_key_or_garbage_reads_nothing() -> None:
    token = KEYS.issue(WebSession(1, 2, "ru", NOW))
    assert SessionKeys("654321:OTHER").read(token) is None
    for garbage in ("", ".", "abc", "abc.def", "." + token, token + "."):
        assert KEYS.read(garbage) is None


def test_csrf_is_bound_to_its_session() -> None:
    one, two = KEYS.issue(WebSession(1, 2, "ru", NOW)), KEYS.issue(WebSession(3, 4, "ru", NOW))
    assert KEYS.csrf(one) == KEYS.csrf(one) != KEYS.csrf(two)
    assert KEYS.csrf(one) not in (one, KEYS.issue(WebSession(1, 2, "ru", NOW + timedelta(seconds=1))))


@given(sessions)
def test_a_download_key_serves_its_own_path_only_and_is_no_cookie(session) -> None:
    token = KEYS.issue(session)
    key = KEYS.download(token, "/webapp/payments.csv")
    assert KEYS.read_download(key, "/webapp/payments.csv") == session
    assert KEYS.read_download(key, "/webapp/invoices.csv") is None
    assert KEYS.read_download(key, "/webapp/payments.csv/") is None
    assert KEYS.read(key) is None  # not a session token: it opens no page
    assert KEYS.read_download(token, "/webapp/payments.csv") is None  # nor is the cookie a download key


def test_a_session_ends_with_its_time_its_account_or_a_block() -> None:
    session = WebSession(1, 7, None, NOW + timedelta(minutes=30))
    assert session.current(NOW, 7, blocked=False)
    assert not session.current(NOW + timedelta(minutes=30), 7, blocked=False)
    assert not session.current(NOW, None, blocked=False)  # unlinked, or /delete_me
    assert not session.current(NOW, 8, blocked=False)  # registered again: a new account
    assert not session.current(NOW, 7, blocked=True)


def test_init_data_is_fresh_for_an_hour() -> None:
    assert init_data_fresh(NOW - INIT_DATA_MAX_AGE, NOW)
    assert not init_data_fresh(NOW - INIT_DATA_MAX_AGE - timedelta(seconds=1), NOW)
    assert init_data_fresh(NOW + timedelta(seconds=30), NOW)  # the clocks differ a little
    assert not init_data_fresh(NOW + timedelta(hours=1), NOW)


def test_the_origin_is_https_except_on_loopback() -> None:
    for good in (
        "https://cabinet.example.ru",
        "https://cabinet.example.ru/",
        "http://127.0.0.1:8080",
        "http://localhost",
    ):
        assert webapp_origin_allowed(good), good
    for bad in ("http://cabinet.example.ru", "https://x.ru/app", "ftp://x.ru", "https://", "cabinet.example.ru"):
        assert not webapp_origin_allowed(bad), bad
