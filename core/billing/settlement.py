"""Settled payments and refunds, per invoice.

A settled (succeeded) payment pays each of its invoices that is still owed: PENDING → PAID (an unpaid
one not marked pending goes NEW | OVERDUE → PENDING → PAID, through the same graph). An invoice that is
already settled — paid by an earlier payment or offline, cancelled, refunded — or held by a dispute is
not paid twice: this payment is refunded by that invoice's amount ("two successful payments for one
invoice: the later one is refunded by the amount the earlier already paid"; a partial refund when the
payment covered other invoices too). A payment restores access at once: see
`core.billing.overdue.restorations`.

A refund is recorded per invoice: when the refunded amount reaches what was paid for it, the invoice is
REFUNDED (nothing owed); a partial refund keeps it PAID and records the amount.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from core.billing.invoices import Invoice
from core.billing.status import UNPAID, Action, InvoiceStatus, unpaid_status


@dataclass(frozen=True)
class PaymentItem:
    invoice: str  # the invoice number
    amount: int  # kopecks this payment carries for it (one receipt item)

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError("a payment item must not be negative")


@dataclass(frozen=True)
class Settlement:
    paid: tuple[Invoice, ...]  # the invoices this payment paid, as they are now
    refunds: tuple[PaymentItem, ...]  # the items of this payment to give back: their invoices were settled

    @property
    def refund_total(self) -> int:
        return sum(item.amount for item in self.refunds)


class RefundRefusal(StrEnum):
    NOT_PAID = "not_paid"  # only a PAID invoice is refunded
    NOT_POSITIVE = "not_positive"
    TOO_MUCH = "too_much"  # more than what was paid for it and not yet refunded


class RefundRefused(ValueError):
    def __init__(self, refusal: RefundRefusal):
        super().__init__(str(refusal))
        self.refusal = refusal


def settle_payment(items: Iterable[PaymentItem], invoices: Mapping[str, Invoice]) -> Settlement:
    """Apply a succeeded payment to its invoices (`invoices`: by number, as stored now). An item whose
    invoice is unknown raises KeyError: a payment only ever names invoices that exist."""
    paid = []
    refunds = []
    for item in items:
        invoice = invoices[item.invoice]
        if invoice.status in UNPAID:
            invoice = invoice.moved(Action.PAYMENT_STARTED, InvoiceStatus.PENDING)
        if invoice.status == InvoiceStatus.PENDING:
            paid.append(invoice.moved(Action.PAYMENT_SUCCEEDED, InvoiceStatus.PAID, paid=invoice.paid + item.amount))
        elif item.amount > 0:
            refunds.append(item)
    return Settlement(tuple(paid), tuple(refunds))


def refund_refusal(invoice: Invoice, amount: int) -> RefundRefusal | None:
    if invoice.status != InvoiceStatus.PAID:
        return RefundRefusal.NOT_PAID
    if amount <= 0:
        return RefundRefusal.NOT_POSITIVE
    if invoice.refunded + amount > invoice.paid:
        return RefundRefusal.TOO_MUCH
    return None


def record_refund(invoice: Invoice, amount: int) -> Invoice:
    """The invoice after `amount` kopecks refunded for it: REFUNDED once the refunded amount reaches what
    was paid for it, still PAID (with the amount recorded) before. Raises RefundRefused."""
    refusal = refund_refusal(invoice, amount)
    if refusal is not None:
        raise RefundRefused(refusal)
    refunded = invoice.refunded + amount
    if refunded >= invoice.paid:
        return invoice.moved(Action.REFUNDED, InvoiceStatus.REFUNDED, refunded=refunded)
    return replace(invoice, refunded=refunded)


def mark_paid_offline(invoice: Invoice, amount: int) -> Invoice:
    """Staff mark an unpaid invoice paid outside the bot (the reference is the service's to keep)."""
    return invoice.moved(Action.MARKED_PAID, InvoiceStatus.PAID, paid=invoice.paid + amount)


def cancel(invoice: Invoice) -> Invoice:
    """Staff cancel an unpaid invoice."""
    return invoice.moved(Action.CANCELLED, InvoiceStatus.CANCELLED)


def start_payment(invoice: Invoice) -> Invoice:
    """The invoice is in a payment now: not selectable again until it ends."""
    return invoice.moved(Action.PAYMENT_STARTED, InvoiceStatus.PENDING)


def payment_canceled(invoice: Invoice, today: date) -> Invoice:
    """Back to NEW, or OVERDUE when canceled after the due date."""
    return invoice.moved(Action.PAYMENT_CANCELED, unpaid_status(invoice.due_on, today))
