"""Disputes: a line of an unpaid invoice questioned by the insured person or the payer.

A dispute is opened on a line of a NEW or OVERDUE invoice and holds the whole invoice: DISPUTED, not
selectable for payment, not overdue, until staff answer. The answer is due in 15 calendar days; past
that the dispute stays open and is shown as late. Accepted: the line's co-pay is credited and the
invoice returns with the smaller total (PAID when nothing is left). Rejected: the invoice returns to NEW
or OVERDUE. Either way its due date moves by the calendar days the dispute held it, and the status is
the one that due date gives on the day of the answer (an invoice overdue before it was held is overdue
again). Paid invoices are questioned through a request, not a dispute.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from core.billing.invoices import Invoice
from core.billing.status import UNPAID, Action, InvoiceStatus, unpaid_status
from core.cabinet.requests import MAX_TEXT, request_text
from core.calendar import add_calendar_days

ANSWER_DAYS = 15  # calendar days staff have to answer


class DisputeStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class DisputeRefusal(StrEnum):
    NOT_DISPUTABLE = "not_disputable"  # not NEW or OVERDUE: paid, pending, cancelled, already disputed
    NO_SUCH_LINE = "no_such_line"  # the line is not on this invoice
    ALREADY_CREDITED = "already_credited"  # an accepted dispute credited this line already
    NOT_OPEN = "not_open"  # answering a dispute already answered
    OTHER_INVOICE = "other_invoice"  # answering with a dispute of another invoice


class DisputeRefused(ValueError):
    def __init__(self, refusal: DisputeRefusal):
        super().__init__(str(refusal))
        self.refusal = refusal


@dataclass(frozen=True)
class Dispute:
    invoice: str
    line_id: str
    reason: str  # the user's words: may be health data, never logged
    opened_on: date
    status: DisputeStatus = DisputeStatus.OPEN
    answered_on: date | None = None

    @property
    def deadline(self) -> date:
        return answer_deadline(self.opened_on)

    def __repr__(self) -> str:
        return f"Dispute({self.invoice!r}, {self.line_id!r}, {self.status}, opened_on={self.opened_on})"


def answer_deadline(opened_on: date) -> date:
    return add_calendar_days(opened_on, ANSWER_DAYS)


def is_late(dispute: Dispute, today: date) -> bool:
    """Still open past its deadline: shown as late to the user and to staff."""
    return dispute.status == DisputeStatus.OPEN and today > dispute.deadline


def held_days(dispute: Dispute, answered_on: date) -> int:
    if answered_on < dispute.opened_on:
        raise ValueError("answered before it was opened")
    return (answered_on - dispute.opened_on).days


def dispute_refusal(invoice: Invoice, line_id: str) -> DisputeRefusal | None:
    """Why this line of this invoice may not be disputed now, or None."""
    if invoice.status not in UNPAID:
        return DisputeRefusal.NOT_DISPUTABLE
    if invoice.line(line_id) is None:
        return DisputeRefusal.NO_SUCH_LINE
    if line_id in invoice.credited_lines:
        return DisputeRefusal.ALREADY_CREDITED
    return None


def open_dispute(invoice: Invoice, line_id: str, reason: str, opened_on: date) -> tuple[Invoice, Dispute]:
    """The invoice held (DISPUTED) and the dispute. Raises DisputeRefused, or InputError `request.empty`,
    `request.too_long` for the reason (the same limits as a request's text)."""
    refusal = dispute_refusal(invoice, line_id)
    if refusal is not None:
        raise DisputeRefused(refusal)
    text = request_text(reason, "reason", MAX_TEXT)
    held = invoice.moved(Action.DISPUTE_OPENED, InvoiceStatus.DISPUTED)
    return held, Dispute(invoice.number, line_id, text, opened_on)


def _answerable(invoice: Invoice, dispute: Dispute) -> None:
    if dispute.invoice != invoice.number:
        raise DisputeRefused(DisputeRefusal.OTHER_INVOICE)
    if dispute.status != DisputeStatus.OPEN:
        raise DisputeRefused(DisputeRefusal.NOT_OPEN)


def accept_dispute(invoice: Invoice, dispute: Dispute, answered_on: date) -> tuple[Invoice, Dispute]:
    """The line's co-pay credited; PAID when nothing is left to pay, else back to NEW (or OVERDUE when
    even the moved due date has passed)."""
    _answerable(invoice, dispute)
    due_on = add_calendar_days(invoice.due_on, held_days(dispute, answered_on))
    credited = replace(invoice, credited_lines=invoice.credited_lines | {dispute.line_id}, due_on=due_on)
    target = InvoiceStatus.PAID if credited.total == 0 else unpaid_status(due_on, answered_on)
    answered = replace(dispute, status=DisputeStatus.ACCEPTED, answered_on=answered_on)
    return credited.moved(Action.DISPUTE_ACCEPTED, target), answered


def reject_dispute(invoice: Invoice, dispute: Dispute, answered_on: date) -> tuple[Invoice, Dispute]:
    """Back to NEW or OVERDUE, the due date moved by the calendar days the dispute held the invoice."""
    _answerable(invoice, dispute)
    due_on = add_calendar_days(invoice.due_on, held_days(dispute, answered_on))
    target = unpaid_status(due_on, answered_on)
    answered = replace(dispute, status=DisputeStatus.REJECTED, answered_on=answered_on)
    return invoice.moved(Action.DISPUTE_REJECTED, target, due_on=due_on), answered
