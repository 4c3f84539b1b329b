"""The desk's statistics (/stats, and the same figures on /metrics): what the figures are and how the raw
counts become them. Pure rules over plain values; `core/services/stats.py` reads the counts.

- The week is the operator's: Monday to Sunday in `TIMEZONE`, the one today falls in (the Clock's today).
- Registrations this week: accounts linked (`registration.linked`), by the way in.
- Refusals this week, by reason: every attempt that ended refused, counted once — a submission of details
  that identified no one (the user saw the generic refusal: no code was sent), or, after the codes, the
  exact refusal (`registration.refused`). A submission that found someone is no refusal yet: its outcome is
  the linking or the refusal after the codes.
- Invoices: all issued (the amount to pay at issue: co-pay less the deposit used), paid (what was paid),
  overdue and cancelled (what each still carried). Payments and refunds: those YooKassa confirmed.
- Disputes open, and late ones (open past their answer's deadline); requests and questions to support
  waiting for an answer; the outbox's backlog (neither sent nor given up) and its oldest row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.billing.status import InvoiceStatus
from core.matching import UNPROVEN_REFUSALS, Reason
from core.registration import Way

REFUSAL_REASONS = tuple(r.value for r in Reason if r not in (Reason.FOUND, Reason.NEED_EMAIL))
WAYS = tuple(w.value for w in Way)


@dataclass(frozen=True, slots=True)
class Week:
    first: date  # Monday
    last: date  # Sunday

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """From Monday's midnight to the next Monday's, on the operator's clock, as UTC instants."""
        start = datetime.combine(self.first, time(), zone)
        end = datetime.combine(self.last + timedelta(days=1), time(), zone)
        return start.astimezone(UTC), end.astimezone(UTC)


def week_of(today: date) -> Week:
    first = today - timedelta(days=today.weekday())
    return Week(first, first + timedelta(days=6))


@dataclass(frozen=True, slots=True)
class Tally:
    count: int = 0
    kopecks: int = 0


@dataclass(frozen=True, slots=True)
class InvoiceFigures:
    issued: Tally = Tally()
    paid: Tally = Tally()
    overdue: Tally = Tally()
    cancelled: Tally = Tally()


@dataclass(frozen=True, slots=True)
class InvoiceRow:
    """One status's raw sums, as the database adds them up."""

    status: str
    count: int
    billed: int  # co-pay less the deposit used, at issue
    owed: int  # billed less what accepted disputes credited
    paid: int


@dataclass(frozen=True, slots=True)
class Figures:
    week: Week
    registered: int  # accounts linked to an insured person, now
    registrations: Mapping[str, int]  # this week, by way in: every way, zeros included
    refusals: Mapping[str, int]  # this week, by reason: only the reasons that occurred
    invoices: InvoiceFigures
    payments: Tally  # succeeded
    refunds: Tally  # succeeded
    disputes_open: int
    disputes_late: int
    requests_open: int  # the cabinet's forms waiting for an answer
    questions_open: int  # questions to support waiting for an answer
    outbox_pending: int
    outbox_oldest: datetime | None  # the oldest pending row's creation (UTC)
    payment_statuses: Mapping[str, int] = field(default_factory=dict)  # every payment by local status

    def outbox_age_seconds(self, now: datetime) -> float:
        """How long the oldest pending notice has waited (0 when none)."""
        if self.outbox_oldest is None:
            return 0.0
        return max((now - self.outbox_oldest).total_seconds(), 0.0)


def registrations_by_way(counts: Mapping[str | None, int]) -> dict[str, int]:
    """Every way in, in the dialog's order, with its count (an unknown or missing way is left out)."""
    return {way: counts.get(way, 0) for way in WAYS}


def refusals_by_reason(submitted: Mapping[str | None, int], refused: Mapping[str | None, int]) -> dict[str, int]:
    """Submissions refused before any proof plus refusals after it, by reason, in the catalogue's order."""
    unproven = {r.value for r in UNPROVEN_REFUSALS}
    total = {
        reason: refused.get(reason, 0) + (submitted.get(reason, 0) if reason in unproven else 0)
        for reason in REFUSAL_REASONS
    }
    return {reason: count for reason, count in total.items() if count}


def invoice_figures(rows: list[InvoiceRow]) -> InvoiceFigures:
    by_status = {row.status: row for row in rows}

    def owed(status: InvoiceStatus) -> Tally:
        row = by_status.get(status)
        return Tally(row.count, row.owed) if row else Tally()

    paid = by_status.get(InvoiceStatus.PAID)
    return InvoiceFigures(
        issued=Tally(sum(r.count for r in rows), sum(r.billed for r in rows)),
        paid=Tally(paid.count, paid.paid) if paid else Tally(),
        overdue=owed(InvoiceStatus.OVERDUE),
        cancelled=owed(InvoiceStatus.CANCELLED),
    )
