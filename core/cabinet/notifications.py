"""What the bot may notify a user about, each kind switched on or off in /settings."""

from __future__ import annotations

from enum import StrEnum


class NotificationKind(StrEnum):
    INVOICES = "invoices"  # a new invoice was issued
    REMINDERS = "reminders"  # an invoice is nearly due or overdue
    NEWS = "news"  # the insurer's news and offers


# Until the user says otherwise: money matters on, news off.
DEFAULTS = {NotificationKind.INVOICES: True, NotificationKind.REMINDERS: True, NotificationKind.NEWS: False}


def notification_choices(stored: dict[str, bool]) -> dict[NotificationKind, bool]:
    """Every kind, in display order: the stored choice, else the default. Unknown stored kinds are ignored."""
    return {kind: stored.get(kind, default) for kind, default in DEFAULTS.items()}
