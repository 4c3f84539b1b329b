"""Due dates: the issue date plus N working days (the Russian production calendar) or N calendar days,
set per program (default 30 working days)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from core.calendar import add_calendar_days, add_working_days

DEFAULT_DUE_DAYS = 30


class DueDayKind(StrEnum):
    WORKING = "working"
    CALENDAR = "calendar"


def due_date(issued_on: date, due_days: int = DEFAULT_DUE_DAYS, kind: DueDayKind | str = DueDayKind.WORKING) -> date:
    """The last day to pay: the N-th working day after the issue date, or the issue date + N days.
    Past it, an unpaid invoice is overdue."""
    if due_days < 0:
        raise ValueError("due days must not be negative")
    if DueDayKind(kind) == DueDayKind.WORKING:
        return add_working_days(issued_on, due_days)
    return add_calendar_days(issued_on, due_days)
