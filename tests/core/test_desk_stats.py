"""The statistics' rules: the operator's week and its instants, which registration events are refusals, and
how the invoices' sums become the figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.desk.stats import (
    REFUSAL_REASONS,
    InvoiceRow,
    Tally,
    Week,
    invoice_figures,
    refusals_by_reason,
    registrations_by_way,
    week_of,
)

MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.mark.parametrize("offset", range(7))
def test_every_day_of_a_week_is_in_that_week(offset: int) -> None:
    assert week_of(date(2026, 11, 16) + timedelta(days=offset)) == Week(date(2026, 11, 16), date(2026, 11, 22))


def test_a_sunday_ends_its_week_and_a_monday_starts_the_next() -> None:
    assert week_of(date(2026, 11, 22)).first == date(2026, 11, 16)
    assert week_of(date(2026, 11, 23)).first == date(2026, 11, 23)
    assert week_of(date(2027, 1, 1)) == Week(date(2026, 12, 28), date(2027, 1, 3))  # across a new year


def test_the_week_runs_from_mondays_midnight_on_the_operators_clock() -> None:
    start, end = Week(date(2026, 11, 16), date(2026, 11, 22)).bounds(MOSCOW)
    assert start == datetime(2026, 11, 15, 21, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 22, 21, 0, tzinfo=UTC)


def test_a_week_with_a_clock_change_is_seven_local_days() -> None:
    london = ZoneInfo("Europe/London")  # clocks go back on Sunday 25 Oct 2026
    start, end = week_of(date(2026, 10, 21)).bounds(london)
    assert start == datetime(2026, 10, 18, 23, 0, tzinfo=UTC)  # Monday 00:00 BST
    assert end == datetime(2026, 10, 26, 0, 0, tzinfo=UTC)  # Monday 00:00 GMT
    assert end - start == timedelta(days=7, hours=1)


def test_refusals_count_each_attempt_once() -> None:
    submitted = {"not_found": 3, "ambiguous": 1, "ask_hr": 2, "wrong_policy": 1, "found": 5, "need_email": 4}
    submitted |= {"under_18": 2, "phone_taken": 1}  # found someone: the refusal, if any, comes after the codes
    refused = {"under_18": 1, "phone_taken": 2, "not_found": 1}
    assert refusals_by_reason(submitted, refused) == {
        "not_found": 4,
        "ambiguous": 1,
        "ask_hr": 2,
        "phone_taken": 2,
        "under_18": 1,
        "wrong_policy": 1,
    }
    assert refusals_by_reason({}, {}) == {}
    assert refusals_by_reason({None: 2, "no_such": 1}, {None: 1}) == {}
    assert "found" not in REFUSAL_REASONS and "need_email" not in REFUSAL_REASONS


def test_registrations_list_every_way_in() -> None:
    assert registrations_by_way({"invite": 2, None: 5, "other": 1}) == {"policy": 0, "personal": 0, "invite": 2}


def test_invoice_figures() -> None:
    rows = [
        InvoiceRow("new", 2, billed=1_000, owed=900, paid=0),
        InvoiceRow("paid", 3, billed=3_000, owed=3_000, paid=2_500),
        InvoiceRow("overdue", 1, billed=700, owed=650, paid=0),
        InvoiceRow("cancelled", 1, billed=400, owed=400, paid=0),
        InvoiceRow("refunded", 1, billed=100, owed=100, paid=100),
    ]
    figures = invoice_figures(rows)
    assert figures.issued == Tally(8, 5_200)
    assert figures.paid == Tally(3, 2_500)
    assert figures.overdue == Tally(1, 650)
    assert figures.cancelled == Tally(1, 400)
    assert invoice_figures([]).issued == Tally(0, 0)
