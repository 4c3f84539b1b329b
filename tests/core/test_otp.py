"""One-time codes: the rules (core.otp) and the service over both real stores.

Every store test runs against DatabaseOtpStore on SQLite and PostgreSQL and
against RedisOtpStore; a "restart" is a new store and service over the same
database or Redis. The clock is a real Clock whose `now` the test moves.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from redis.asyncio import Redis
from sqlalchemy import delete, select

from core import otp
from core.calendar import Clock
from core.db.engine import create_engine, create_session_factory
from core.db.migrate import alembic_config
from core.db.models import OtpCode, OtpCounter
from core.infra.otp_store import DatabaseOtpStore, OtpStore, RedisOtpStore
from core.services.otp import OtpService
from tests.conftest import REDIS_PREFIX

SECRET = b"test-otp-secret"
PHONE = "+79161234567"
OTHER_PHONE = "+79167654321"
USER = 1001
OTHER_USER = 1002
# 12:00 in Moscow on a weekday: far from midnight there, so only the tests that mean to cross it do.
NOON_MSK = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


class Now:
    """A movable `now` for Clock(now_fn=...)."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


# --- the pure rules


def test_generate_code_is_six_digits_and_varies() -> None:
    codes = {otp.generate_code() for _ in range(200)}
    assert all(re.fullmatch(r"[0-9]{6}", code) for code in codes)
    assert len(codes) > 150


def test_digest_is_bound_to_secret_scope_and_code() -> None:
    scope = otp.scope_of(USER, "sms", PHONE)
    digest = otp.code_digest(SECRET, scope, "123456")
    assert "123456" not in digest and PHONE not in digest
    assert otp.code_matches(SECRET, scope, " 123456 ", digest)
    assert not otp.code_matches(SECRET, scope, "123457", digest)
    assert not otp.code_matches(b"other", scope, "123456", digest)
    assert not otp.code_matches(SECRET, otp.scope_of(USER, "sms", OTHER_PHONE), "123456", digest)
    assert not otp.code_matches(SECRET, otp.scope_of(OTHER_USER, "sms", PHONE), "123456", digest)


def test_email_destination_is_case_insensitive_and_channels_are_known() -> None:
    assert otp.scope_of(USER, "email", "Ivan@Example.COM") == otp.scope_of(USER, "email", "ivan@example.com")
    with pytest.raises(ValueError):
        otp.scope_of(USER, "fax", PHONE)


def test_resend_wait_rounds_up() -> None:
    record = otp.new_record(SECRET, "s", "123456", NOON_MSK)
    assert otp.resend_wait(None, NOON_MSK) == 0
    assert otp.resend_wait(record, NOON_MSK + timedelta(seconds=0.5)) == 60
    assert otp.resend_wait(record, NOON_MSK + timedelta(seconds=59.5)) == 1
    assert otp.resend_wait(record, NOON_MSK + timedelta(seconds=60)) == 0


def test_a_gateway_is_down_for_five_minutes_after_it_failed_unless_it_worked_since() -> None:
    assert not otp.gateway_down(None, NOON_MSK)  # never failed, or worked since
    assert otp.gateway_down(NOON_MSK, NOON_MSK)
    assert otp.gateway_down(NOON_MSK, NOON_MSK + timedelta(minutes=4, seconds=59))
    assert not otp.gateway_down(NOON_MSK, NOON_MSK + timedelta(minutes=5))


# --- the service over each store

BACKENDS = [
    "sqlite",
    pytest.param("postgres", marks=pytest.mark.postgres),
    pytest.param("redis", marks=pytest.mark.redis),
]
URL_FIXTURE = {"sqlite": "sqlite_url", "postgres": "postgres_module_url", "redis": "redis_url"}


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> tuple[str, str]:
    return request.param, request.getfixturevalue(URL_FIXTURE[request.param])


@pytest.fixture
async def open_store(backend: tuple[str, str]) -> AsyncIterator[Callable[[], OtpStore]]:
    """Each call is a fresh store over the same data: a process restart."""
    kind, url = backend
    closers = []

    def open_() -> OtpStore:
        if kind == "redis":
            client = Redis.from_url(url)
            closers.append(client.aclose)
            return RedisOtpStore(client, f"{REDIS_PREFIX}:otp:")
        engine = create_engine(url)
        closers.append(engine.dispose)
        return DatabaseOtpStore(create_session_factory(engine))

    if kind == "postgres":  # the module's shared database
        engine = create_engine(url)
        async with engine.begin() as connection:
            await connection.execute(delete(OtpCode))
            await connection.execute(delete(OtpCounter))
        await engine.dispose()
    yield open_
    for close in closers:
        await close()


@pytest.fixture
def now() -> Now:
    return Now(NOON_MSK)


@pytest.fixture
def make_service(open_store: Callable[[], OtpStore], now: Now) -> Callable[[], OtpService]:
    return lambda: OtpService(open_store(), SECRET, Clock("Europe/Moscow", now_fn=now))


@pytest.fixture
def service(make_service: Callable[[], OtpService]) -> OtpService:
    return make_service()


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def test_right_code_is_accepted_once(service: OtpService) -> None:
    issued = await service.issue(USER, "sms", PHONE)
    assert issued.refusal is None and re.fullmatch(r"[0-9]{6}", issued.code)
    result = await service.verify(USER, "sms", PHONE, issued.code)
    assert (result.ok, result.reason) == (True, "ok")
    again = await service.verify(USER, "sms", PHONE, issued.code)
    assert (again.ok, again.reason) == (False, "missing")


async def test_code_is_bound_to_user_channel_and_destination(service: OtpService) -> None:
    code = (await service.issue(USER, "sms", PHONE)).code
    assert (await service.verify(OTHER_USER, "sms", PHONE, code)).reason == "missing"
    assert (await service.verify(USER, "sms", OTHER_PHONE, code)).reason == "missing"
    assert (await service.verify(USER, "email", PHONE, code)).reason == "missing"
    assert (await service.verify(USER, "sms", PHONE, code)).ok


async def test_email_address_case_does_not_matter(service: OtpService) -> None:
    code = (await service.issue(USER, "email", "Ivan.Petrov@Example.com")).code
    assert (await service.verify(USER, "email", "ivan.petrov@example.com", code)).ok


async def test_sixth_try_is_refused_even_when_right_and_stays_burned_after_restart(
    service: OtpService, make_service: Callable[[], OtpService]
) -> None:
    code = (await service.issue(USER, "sms", PHONE)).code
    for left in (4, 3, 2, 1, 0):
        result = await service.verify(USER, "sms", PHONE, wrong(code))
        assert (result.ok, result.reason, result.tries_left) == (False, "wrong", left)
    restarted = make_service()
    result = await restarted.verify(USER, "sms", PHONE, code)
    assert (result.ok, result.reason, result.tries_left) == (False, "burned", 0)


async def test_fifth_try_may_still_be_right(service: OtpService) -> None:
    code = (await service.issue(USER, "sms", PHONE)).code
    for _ in range(4):
        await service.verify(USER, "sms", PHONE, wrong(code))
    assert (await service.verify(USER, "sms", PHONE, code)).ok


async def test_concurrent_tries_cannot_pass_the_limit(service: OtpService) -> None:
    code = (await service.issue(USER, "sms", PHONE)).code
    results = await asyncio.gather(*(service.verify(USER, "sms", PHONE, wrong(code)) for _ in range(8)))
    assert sorted(r.reason for r in results) == ["burned"] * 3 + ["wrong"] * 5
    assert (await service.verify(USER, "sms", PHONE, code)).reason == "burned"


async def test_concurrent_right_tries_succeed_once(service: OtpService) -> None:
    code = (await service.issue(USER, "sms", PHONE)).code
    results = await asyncio.gather(*(service.verify(USER, "sms", PHONE, code) for _ in range(4)))
    assert sorted(r.reason for r in results) == ["missing"] * 3 + ["ok"]


async def test_code_expires_after_five_minutes(service: OtpService, now: Now) -> None:
    code = (await service.issue(USER, "sms", PHONE)).code
    now.advance(minutes=4, seconds=59)
    assert (await service.verify(USER, "sms", PHONE, wrong(code))).reason == "wrong"
    now.advance(seconds=1)
    result = await service.verify(USER, "sms", PHONE, code)
    assert (result.ok, result.reason) == (False, "expired")


async def test_new_code_only_after_sixty_seconds_and_it_replaces_the_old(service: OtpService, now: Now) -> None:
    first = (await service.issue(USER, "sms", PHONE)).code
    now.advance(seconds=20)
    refused = await service.issue(USER, "sms", PHONE)
    assert (refused.code, refused.refusal, refused.retry_after) == (None, "cooldown", 40)
    assert await service.seconds_until_resend(USER, "sms", PHONE) == 40
    # The cooldown is per scope: an e-mail code or another phone may go out meanwhile.
    assert (await service.issue(USER, "sms", OTHER_PHONE)).code
    now.advance(seconds=40)
    assert await service.seconds_until_resend(USER, "sms", PHONE) == 0
    second = (await service.issue(USER, "sms", PHONE)).code
    assert second is not None
    if second != first:
        assert (await service.verify(USER, "sms", PHONE, first)).reason == "wrong"
    assert (await service.verify(USER, "sms", PHONE, second)).ok


async def test_a_double_press_issues_one_code(service: OtpService) -> None:
    results = await asyncio.gather(*(service.issue(USER, "sms", PHONE) for _ in range(5)))
    assert sum(r.code is not None for r in results) == 1
    assert all(r.refusal == "cooldown" and r.retry_after > 0 for r in results if r.code is None)


async def issue_after_cooldown(service: OtpService, now: Now, user: int, channel: str, destination: str):
    now.advance(seconds=61)
    return await service.issue(user, channel, destination)


async def test_five_codes_per_destination_per_day_in_the_operators_zone(
    service: OtpService, make_service: Callable[[], OtpService], now: Now
) -> None:
    now.at = datetime(2026, 3, 10, 20, 40, tzinfo=UTC)  # 23:40 in Moscow
    for _ in range(5):
        assert (await issue_after_cooldown(service, now, USER, "sms", PHONE)).code
    assert (await issue_after_cooldown(service, now, USER, "sms", PHONE)).refusal == "destination_daily_cap"
    # Per destination, whoever asks; and it holds after a restart.
    assert (await make_service().issue(OTHER_USER, "sms", PHONE)).refusal == "destination_daily_cap"
    now.at = datetime(2026, 3, 10, 21, 0, tzinfo=UTC)  # midnight in Moscow, still the 10th in UTC
    assert (await make_service().issue(USER, "sms", PHONE)).code


async def test_ten_codes_per_user_per_day(
    service: OtpService, make_service: Callable[[], OtpService], now: Now
) -> None:
    phones = [f"+7916000000{i}" for i in range(10)]
    for phone in phones:
        assert (await service.issue(USER, "sms", phone)).code
    refused = await service.issue(USER, "email", "ivan@example.com")
    assert refused.refusal == "user_daily_cap"
    assert (await make_service().issue(USER, "sms", "+79160000099")).refusal == "user_daily_cap"
    # The refusal did not use up the address's own allowance of five.
    for _ in range(5):
        assert (await issue_after_cooldown(service, now, OTHER_USER, "email", "ivan@example.com")).code
    now.advance(days=1)
    assert (await service.issue(USER, "sms", phones[0])).code


async def test_store_holds_digests_not_codes_or_destinations(
    service: OtpService, backend: tuple[str, str], open_store: Callable[[], OtpStore]
) -> None:
    sms_code = (await service.issue(USER, "sms", PHONE)).code
    mail_code = (await service.issue(USER, "email", "ivan@example.com")).code
    kind, url = backend
    if kind == "redis":
        client = Redis.from_url(url, decode_responses=True)
        try:
            dump = []
            async for key in client.scan_iter(f"{REDIS_PREFIX}:*"):
                value = await (client.hgetall(key) if await client.type(key) == "hash" else client.get(key))
                dump.append(f"{key}={value}")
        finally:
            await client.aclose()
    else:
        engine = create_engine(url)
        try:
            async with create_session_factory(engine)() as session:
                codes = (await session.scalars(select(OtpCode))).all()
                counters = (await session.scalars(select(OtpCounter))).all()
                dump = [repr(vars(row)) for row in [*codes, *counters]]
                assert len(codes) == 2
        finally:
            await engine.dispose()
    stored = "\n".join(dump)
    digest = otp.code_digest(SECRET, otp.scope_of(USER, "sms", PHONE), sms_code)
    assert digest in stored
    for secret in (sms_code, mail_code, PHONE, PHONE[1:], "9161234567", "ivan@example.com"):
        assert secret not in stored


# --- the migration itself


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(URL_FIXTURE[request.param])


async def test_otp_migration_downgrades_and_upgrades(database_url: str) -> None:
    config = alembic_config(database_url)
    await asyncio.to_thread(command.downgrade, config, "0001")
    await asyncio.to_thread(command.upgrade, config, "head")


async def test_a_withdrawn_code_spends_no_cooldown_or_daily_cap(service: OtpService) -> None:
    """A code its gateway never took: dropped, and the next is issued at once, however many times."""
    for _ in range(otp.DESTINATION_DAILY_CAP + 1):
        issued = await service.issue(USER, "sms", PHONE)
        assert issued.refusal is None
        await service.withdraw(USER, "sms", PHONE, issued.code)
        assert (await service.verify(USER, "sms", PHONE, issued.code)).reason == "missing"
    assert (await service.issue(USER, "sms", PHONE)).refusal is None
