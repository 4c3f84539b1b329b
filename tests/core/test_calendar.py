import logging
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from core import calendar
from core.calendar import (
    LAST_DECREE_YEAR,
    Clock,
    add_calendar_days,
    add_working_days,
    is_working_day,
    next_working_day,
)


@pytest.mark.parametrize(
    "day, working",
    [
        (date(2025, 11, 1), True),  # a Saturday the 2025 decree made a working day
        (date(2025, 11, 3), False),  # ...in exchange for this Monday
        (date(2025, 5, 2), False),  # a Friday off (moved from Saturday 4 January)
        (date(2026, 1, 9), False),  # a Friday off (moved from Saturday 3 January)
        (date(2027, 2, 20), True),  # working Saturday of the 2027 decree
        (date(2027, 2, 22), False),
        (date(2026, 1, 1), False),
        (date(2026, 1, 8), False),
        (date(2026, 1, 12), True),
        (date(2026, 2, 23), False),
        (date(2026, 3, 9), False),  # 8 March 2026 is a Sunday: Monday off
        (date(2026, 2, 20), True),
        (date(2026, 2, 21), False),
        (date(2026, 5, 20), True),
        (date(2026, 12, 31), False),
    ],
)
def test_production_calendar(day, working):
    assert is_working_day(day) is working


def test_next_working_day():
    assert next_working_day(date(2026, 2, 20)) == date(2026, 2, 24)  # Fri, then Sat, Sun, Mon 23 Feb
    assert next_working_day(date(2025, 10, 31)) == date(2025, 11, 1)  # the working Saturday
    assert next_working_day(date(2025, 12, 30)) == date(2026, 1, 12)  # New Year holidays
    assert next_working_day(date(2026, 5, 19)) == date(2026, 5, 20)  # strictly after


def test_add_days():
    assert add_working_days(date(2026, 5, 20), 0) == date(2026, 5, 20)
    assert add_working_days(date(2025, 12, 26), 3) == date(2026, 1, 12)  # Mon 29, Tue 30, then 12 Jan
    assert add_working_days(date(2026, 1, 1), 30) == date(2026, 2, 20)  # 15 in January from the 12th
    assert add_working_days(date(2026, 1, 1), 31) == date(2026, 2, 24)  # over 23 February
    assert add_calendar_days(date(2026, 12, 1), 31) == date(2027, 1, 1)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), -1)


def test_a_year_past_the_decrees_warns_once_and_still_works(monkeypatch, caplog):
    assert LAST_DECREE_YEAR == 2027
    monkeypatch.setattr(calendar, "_warned_past_decree", False)
    calendar._calendar_of.cache_clear()
    with caplog.at_level(logging.WARNING, logger="core.calendar"):
        assert is_working_day(date(2030, 1, 9)) is True  # no decree: just a Wednesday
        assert is_working_day(date(2030, 1, 7)) is False  # fixed holiday
        assert is_working_day(date(2030, 6, 15)) is False  # Saturday
        assert next_working_day(date(2030, 12, 31)) == date(2031, 1, 9)
    warnings = [r for r in caplog.records if r.name == "core.calendar"]
    assert len(warnings) == 1 and "2030" in warnings[0].getMessage()


def test_calendars_are_cached_per_year():
    calendar._calendar_of.cache_clear()
    for day in range(365):
        is_working_day(date(2026, 1, 1) + timedelta(days=day))
    assert calendar._calendar_of.cache_info().currsize == 1
    assert len(calendar._calendar_of(2026)) < 30  # holds 2026 only


def test_clock_fixed_today():
    clock = Clock(fixed_today=date(2026, 3, 1))
    assert clock.today() == date(2026, 3, 1)
    assert clock.now().tzinfo is not None and clock.now().utcoffset() == timedelta(0)


def test_clock_uses_its_time_zone():
    instant = datetime(2025, 12, 31, 22, 30, tzinfo=UTC)  # 01:30 on 1 January in Moscow
    assert Clock(now_fn=lambda: instant).today() == date(2026, 1, 1)
    assert Clock("UTC", now_fn=lambda: instant).today() == date(2025, 12, 31)
    assert Clock("Asia/Vladivostok", now_fn=lambda: instant).today() == date(2026, 1, 1)


def test_clock_now_is_utc():
    moscow = timezone(timedelta(hours=3))
    clock = Clock(now_fn=lambda: datetime(2026, 1, 1, 1, 30, tzinfo=moscow))
    assert clock.now() == datetime(2025, 12, 31, 22, 30, tzinfo=UTC)
    assert clock.now().tzinfo is UTC
    real = Clock().now()
    assert abs(real - datetime.now(UTC)) < timedelta(seconds=5)


def test_fixed_day_moves_now_to_that_day_keeping_the_time_of_day():
    moscow = ZoneInfo("Europe/Moscow")
    instant = datetime(2030, 6, 5, 9, 15, tzinfo=moscow)  # any real day: only its time of day counts
    clock = Clock(fixed_today=date(2026, 11, 21), now_fn=lambda: instant)
    assert clock.now() == datetime(2026, 11, 21, 9, 15, tzinfo=moscow)
    assert clock.now().tzinfo is UTC
    assert clock.now().astimezone(moscow).date() == clock.today()
    # Late evening in Moscow is still the fixed day there, though UTC says otherwise.
    late = Clock(fixed_today=date(2026, 11, 21), now_fn=lambda: datetime(2030, 1, 1, 23, 59, tzinfo=moscow))
    assert late.now().astimezone(moscow).date() == date(2026, 11, 21)
