"""A broadcast's rules: what an admin may send (a plain text, bounded; at most one button, to one of the
bot's screens), to whom (a segment of the registered people), and when it is over. Pure values: the
queries are in `core/db/broadcasts.py`, the use case in `core/services/broadcasts.py`.

Everyone in a segment gets it only if their settings turn news on (a broadcast is news, off until the
user switches it on), and never a user the desk blocked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from core.cabinet.requests import request_text
from core.errors import InputError

MAX_TEXT = 3000  # UTF-16 units: the text and a button fit a message (4,096) whatever escaping adds
MAX_VALUE = 200  # a contract number or an employer's name, as the registry holds them
CHUNK = 5000  # recipients written to the outbox in one transaction


class Segment(StrEnum):
    ALL = "all"  # every registered person
    CONTRACT = "contract"  # one contract (its number, as the registry has it)
    EMPLOYER = "employer"  # one employer (its name, as the registry has it)
    UNPAID = "unpaid"  # payers of an unpaid invoice (new or overdue)
    ENDING = "ending"  # people whose policy ends this month

    @property
    def needs_value(self) -> bool:
        return self in (Segment.CONTRACT, Segment.EMPLOYER)


class Screen(StrEnum):
    """The bot screens a broadcast's button may open."""

    MENU = "menu"
    INVOICES = "invoices"
    POLICIES = "policies"
    CLINICS = "clinics"


class BroadcastStatus(StrEnum):
    RUNNING = "running"  # being queued or sent
    STOPPED = "stopped"  # an admin stopped it: what was not sent was dropped
    DONE = "done"  # every recipient's row settled: sent, blocked or given up


def broadcast_text(text: str) -> str:
    """The message as typed, without control characters, trimmed; InputError `request.empty`,
    `request.too_long` (with `max` and `length`)."""
    return request_text(text, "broadcast", MAX_TEXT)


def segment_value(segment: Segment, text: str | None) -> str | None:
    """The contract number or employer name a segment needs, trimmed; None for the others."""
    if not segment.needs_value:
        return None
    value = request_text(text or "", "segment", MAX_VALUE)
    if "\n" in value:
        raise InputError("segment", "broadcast.one_line")
    return value


def month_of(today: date) -> tuple[date, date]:
    """The first and the last day of `today`'s month: "ends this month"."""
    first = today.replace(day=1)
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


@dataclass(frozen=True, slots=True)
class Counts:
    """Where a broadcast stands: recipients queued, and how their rows ended so far."""

    total: int = 0
    sent: int = 0
    blocked: int = 0  # the user blocked the bot (or the chat is gone)
    failed: int = 0  # Telegram refused the message, or it failed too many times

    @property
    def settled(self) -> int:
        return self.sent + self.blocked + self.failed


# A chunk of recipients is queued in well under a second; a running broadcast whose last chunk is older than
# this, and not all queued, was cut off (its process stopped or died): the worker takes it up where it stood.
QUEUING_CUT_OFF = timedelta(minutes=1)


def finished(counts: Counts, queued: bool) -> bool:
    """Every recipient's row is settled, once all were queued: the broadcast is done."""
    return queued and counts.settled >= counts.total
