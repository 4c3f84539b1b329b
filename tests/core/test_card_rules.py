"""Saved cards' rules (core.billing.cards): validity to the end of the expiry month, the card an automatic
charge uses, the expiry notices, what a binding's status means, and the keys."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.billing.cards import (
    BindingChange,
    CardTerms,
    ChargeSkip,
    ExpiryNotice,
    autopay_key,
    binding_change,
    binding_key,
    binding_set,
    card_to_charge,
    expired,
    expires_on,
    expiry_notice,
    release_key,
    warn_on,
)
from core.billing.payments import invoice_set, payment_key

months = st.integers(1, 12)
years = st.integers(2000, 2100)
days = st.dates(date(1999, 1, 1), date(2101, 12, 31))


@pytest.mark.parametrize(
    ("month", "year", "last"),
    [
        (12, 2030, date(2030, 12, 31)),
        (2, 2028, date(2028, 2, 29)),
        (2, 2027, date(2027, 2, 28)),
        (4, 2026, date(2026, 4, 30)),
        (1, 2027, date(2027, 1, 31)),
    ],
)
def test_a_card_is_valid_through_the_last_day_of_its_month(month: int, year: int, last: date) -> None:
    assert expires_on(month, year) == last
    assert not expired(month, year, last)
    assert expired(month, year, last + timedelta(days=1))


@given(months, years, days)
def test_expired_is_after_the_last_day(month: int, year: int, today: date) -> None:
    assert expired(month, year, today) == (today > expires_on(month, year))


def test_the_card_bound_last_is_charged_never_an_older_one() -> None:
    today = date(2026, 11, 21)
    older, newer = CardTerms(1, 12, 2030), CardTerms(7, 3, 2029)
    assert card_to_charge([older, newer], today) == (newer, None)
    assert card_to_charge([newer, older], today) == (newer, None)
    # The newest expired: nothing is charged, even though an older card is still valid.
    assert card_to_charge([older, CardTerms(9, 10, 2026)], today) == (None, ChargeSkip.CARD_EXPIRED)
    assert card_to_charge([], today) == (None, ChargeSkip.NO_CARD)


@given(st.lists(st.tuples(st.integers(1, 10**6), months, years), min_size=1, unique_by=lambda c: c[0]), days)
def test_charge_choice_properties(cards: list[tuple[int, int, int]], today: date) -> None:
    terms = [CardTerms(*card) for card in cards]
    chosen, skip = card_to_charge(terms, today)
    last = max(terms, key=lambda card: card.card_id)
    assert (chosen is None) == (skip is not None)
    assert chosen in (None, last)
    assert (skip == ChargeSkip.CARD_EXPIRED) == expired(last.expiry_month, last.expiry_year, today)


@pytest.mark.parametrize(
    ("month", "year", "today", "notice"),
    [
        (12, 2026, date(2026, 11, 29), None),
        (12, 2026, date(2026, 11, 30), ExpiryNotice.SOON),  # a month before 31.12: 30.11 (no 31.11)
        (12, 2026, date(2026, 12, 30), ExpiryNotice.SOON),  # a job that missed the day still tells
        (12, 2026, date(2026, 12, 31), ExpiryNotice.TODAY),
        (12, 2026, date(2027, 1, 1), None),
        (3, 2027, date(2027, 2, 28), ExpiryNotice.SOON),  # 31.03 → 28.02
        (1, 2027, date(2026, 12, 31), ExpiryNotice.SOON),  # across the year
        (1, 2027, date(2026, 12, 30), None),
    ],
)
def test_expiry_notices(month: int, year: int, today: date, notice: ExpiryNotice | None) -> None:
    assert expiry_notice(month, year, today) == notice


@given(months, years, days)
def test_expiry_notice_properties(month: int, year: int, today: date) -> None:
    notice, end = expiry_notice(month, year, today), expires_on(month, year)
    assert warn_on(month, year) < end
    assert 28 <= (end - warn_on(month, year)).days <= 31
    assert (notice == ExpiryNotice.TODAY) == (today == end)
    assert (notice == ExpiryNotice.SOON) == (warn_on(month, year) <= today < end)
    if notice is not None:
        assert not expired(month, year, today)


@pytest.mark.parametrize(
    ("pending", "remote", "saved", "change"),
    [
        (True, "waiting_for_capture", True, BindingChange.SAVE),
        (True, "succeeded", True, BindingChange.SAVE),
        (True, "waiting_for_capture", False, BindingChange.NONE),
        (True, "pending", False, BindingChange.NONE),
        (True, "canceled", False, BindingChange.FAIL),
        (True, "canceled", True, BindingChange.FAIL),  # released after saving: the card row decides
        (False, "waiting_for_capture", True, BindingChange.NONE),
        (False, "canceled", False, BindingChange.NONE),
    ],
)
def test_binding_change(pending: bool, remote: str, saved: bool, change: BindingChange) -> None:
    assert binding_change(pending, remote, saved) == change


@given(st.integers(1, 2**31), st.integers(1, 2**31))
def test_keys_are_distinct_and_fit_the_provider(invoice: int, other: int) -> None:
    keys = {
        autopay_key(invoice),
        binding_key(invoice, 1),
        binding_key(invoice, 2),
        release_key(invoice),
        payment_key([invoice], 1),
        binding_set(invoice),
        invoice_set([invoice]),
    }
    assert len(keys) == 7 and all(len(key) == 64 for key in keys)
    assert autopay_key(invoice) == autopay_key(invoice)
    assert (autopay_key(invoice) == autopay_key(other)) == (invoice == other)


def test_binding_attempts_count_from_one() -> None:
    with pytest.raises(ValueError):
        binding_key(1, 0)
