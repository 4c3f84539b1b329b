"""What the bot may notify a user about, each kind switched on or off in /settings."""

from __future__ import annotations

from enum import StrEnum


class NotificationKind(StrEnum):
    INVOICES = "invoices"  # a new invoice was issued
    REMINDERS = "reminders"  # an invoice is nearly due or overdue
    NEWS = "news"  # the insurer's news and offers


# Until the user says otherwise: money matters on, news off.
DEFAULTS = {NotificationKind.INVOICES: True, NotificationKind.REMINDERS: True, NotificationKind.NEWS: False}


def notification_choices(stored: dict[str, bool], *, consented: bool = True) -> dict[NotificationKind, bool]:
    """Every kind, in display order: the stored choice, else the default. "No" to the notifications
    consent turns every kind off until the user switches one on. Unknown stored kinds are ignored.
    (Service messages — a payment's result, an answer, a restriction — are not among these: always sent.)"""
    return {kind: stored.get(kind, default and consented) for kind, default in DEFAULTS.items()}
