"""Reminders about unpaid invoices and open disputes: which ones are due on a day.

An unpaid invoice gets at most three, each once: five working days before its due date (or later, if
the job missed that day, while the invoice is not yet due), on the due date, and three days after it
(when it is overdue). A dispute nearing its deadline (two calendar days or fewer) and one past it remind
staff, once each. Reminders go out in the daytime only, in the operator's time zone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from core.billing.status import InvoiceStatus
from core.calendar import is_working_day

DUE_SOON_WORKING_DAYS = 5
OVERDUE_AFTER_DAYS = 3
DEADLINE_SOON_DAYS = 2
DAYTIME = (9, 21)  # local hours, the default of REMINDER_HOURS: nobody is woken by a reminder


class Reminder(StrEnum):
    DUE_SOON = "due_soon"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"


class StaffReminder(StrEnum):
    DEADLINE_SOON = "deadline_soon"
    LATE = "late"


def working_days_left(today: date, due_on: date) -> int:
    """Working days after today up to and including the due date."""
    return sum(1 for n in range(1, (due_on - today).days + 1) if is_working_day(today + timedelta(days=n)))


def invoice_reminder(status: InvoiceStatus, due_on: date, today: date) -> Reminder | None:
    """The reminder an invoice is owed today, if any (whether it was already sent is the caller's)."""
    if status == InvoiceStatus.NEW and today == due_on:
        return Reminder.DUE_TODAY
    if status == InvoiceStatus.NEW and today < due_on and working_days_left(today, due_on) <= DUE_SOON_WORKING_DAYS:
        return Reminder.DUE_SOON
    if status == InvoiceStatus.OVERDUE and today >= due_on + timedelta(days=OVERDUE_AFTER_DAYS):
        return Reminder.OVERDUE
    return None


def dispute_reminder(deadline: date, today: date) -> StaffReminder | None:
    if today > deadline:
        return StaffReminder.LATE
    if (deadline - today).days <= DEADLINE_SOON_DAYS:
        return StaffReminder.DEADLINE_SOON
    return None


def daytime(local: datetime, hours: tuple[int, int] = DAYTIME) -> bool:
    """Whether `local` (the operator's time) is within [start, end) hours."""
    start, end = hours
    return start <= local.hour < end
