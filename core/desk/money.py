"""The admin's money actions on the desk: mark an invoice paid offline, cancel one, refund a payment, and
settle a payment anomaly (mark its invoices paid, refund it, or dismiss it with a comment).

Each action is first a plan: what will happen to which invoices and for how much. Staff confirm the plan
as shown; the use case computes it again in its own transaction and applies it only when it is the same,
so an invoice paid, cancelled or refunded meanwhile refuses the action instead of doing something else.
Pure rules over the billing ones (`core.billing.settlement`); `core/services/money.py` reads and stores.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from core.actors import Capability, Role, can
from core.billing.invoices import Invoice
from core.billing.payments import refund_split
from core.billing.settlement import mark_paid_offline, payment_canceled, refund_refusal
from core.billing.status import UNPAID, InvoiceStatus
from core.cabinet.requests import request_text
from core.errors import InputError
from core.money import parse_money, to_kopecks

MAX_REFERENCE = 100  # an offline payment's reference (the column's size)
MAX_REASON = 500  # a cancellation's reason, an anomaly's comment


class MoneyAction(StrEnum):
    """Values are short: they travel in callback data."""

    MARK_PAID = "paid"  # an invoice, or the invoices an anomalous payment was for
    CANCEL = "cancel"
    REFUND = "refund"  # a payment, in full or in part
    DISMISS = "dismiss"  # an anomaly set aside with a comment: no money moves


NEEDS: dict[MoneyAction, Capability] = {
    MoneyAction.MARK_PAID: Capability.MARK_PAID_OFFLINE,
    MoneyAction.CANCEL: Capability.CANCEL_INVOICE,
    MoneyAction.REFUND: Capability.REFUND,
    # Dismissing decides that no money moves for a payment staff could not settle: the refund holder's call.
    MoneyAction.DISMISS: Capability.REFUND,
}


def may(role: Role, action: MoneyAction) -> bool:
    return can(role, NEEDS[action])


class MoneyRefusal(StrEnum):
    NOT_FOUND = "not_found"  # no such invoice or payment
    NOTHING = "nothing"  # no invoice the action applies to (paid, cancelled, held by a dispute, …)
    NOT_REFUNDABLE = "not_refundable"  # not a succeeded payment, or an invoice of it not refundable
    TOO_MUCH = "too_much"  # more than is left to refund
    CHANGED = "changed"  # the invoices changed since the plan was shown
    UNAVAILABLE = "unavailable"  # no payment provider to refund through


class MoneyRefused(Exception):
    def __init__(self, refusal: MoneyRefusal) -> None:
        super().__init__(str(refusal))
        self.refusal = refusal


@dataclass(frozen=True)
class Owed:
    """An invoice as a plan sees it: its id, the rule's view, and what is left to pay on it."""

    invoice_id: int
    invoice: Invoice
    total: int  # kopecks left to pay


@dataclass(frozen=True)
class Change:
    """What the action does to one invoice."""

    invoice_id: int
    number: str
    before: InvoiceStatus
    after: InvoiceStatus
    amount: int  # kopecks: marked paid, left out of the totals, or refunded
    left: int  # kopecks owed (mark paid, cancel) or refundable (refund) before it


@dataclass(frozen=True)
class MoneyPlan:
    action: MoneyAction
    changes: tuple[Change, ...]
    payment_id: int | None = None  # a refund's payment, or the anomalous payment settled

    @property
    def amount(self) -> int:
        return sum(change.amount for change in self.changes)

    def stored(self) -> list[list]:
        """The plan as JSON (the desk storage keeps the one shown until it is confirmed)."""
        return [[c.invoice_id, c.number, str(c.before), str(c.after), c.amount, c.left] for c in self.changes]

    def same_as(self, shown: list[list]) -> bool:
        return self.stored() == shown


# --- what staff type


def read_reference(text: str) -> str:
    """An offline payment's reference (a transfer at the clinic's desk, a bank order's number): bounded
    free text. InputError `request.empty`, `request.too_long`."""
    return request_text(text, "reference", MAX_REFERENCE)


def read_reason(text: str) -> str:
    """A cancellation's reason, an anomaly's comment. InputError as `read_reference`."""
    return request_text(text, "reason", MAX_REASON)


def read_amount(text: str) -> int:
    """Roubles as people type them (`150`, `150,50`, `150.5`) in kopecks. InputError `money.*`, or
    `money.zero` for nothing."""
    kopecks = to_kopecks(parse_money(text))
    if kopecks == 0:
        raise InputError("amount", "money.zero")
    return kopecks


# --- plans


def plan_mark_paid(owed: Iterable[Owed], payment_id: int | None = None, *, pending_in_it: bool = False) -> MoneyPlan:
    """Every invoice still owed (NEW, OVERDUE; of an anomalous payment still pending, also those PENDING
    in it: `pending_in_it`) becomes PAID offline for what was left to pay. MoneyRefused(NOTHING) when none
    is."""
    pending_ok = pending_in_it
    changes = tuple(
        Change(o.invoice_id, o.invoice.number, o.invoice.status, InvoiceStatus.PAID, o.total, o.total)
        for o in owed
        if o.invoice.status in UNPAID or (pending_ok and o.invoice.status == InvoiceStatus.PENDING)
    )
    if not changes:
        raise MoneyRefused(MoneyRefusal.NOTHING)
    return MoneyPlan(MoneyAction.MARK_PAID, changes, payment_id)


def plan_cancel(owed: Owed) -> MoneyPlan:
    """An unpaid invoice (NEW, OVERDUE) cancelled: what was left to pay leaves the totals."""
    invoice = owed.invoice
    if invoice.status not in UNPAID:
        raise MoneyRefused(MoneyRefusal.NOTHING)
    change = Change(owed.invoice_id, invoice.number, invoice.status, InvoiceStatus.CANCELLED, owed.total, owed.total)
    return MoneyPlan(MoneyAction.CANCEL, (change,))


@dataclass(frozen=True)
class PaidItem:
    """What a payment paid for one of its invoices, and how much of it came back already."""

    invoice_id: int
    invoice: Invoice
    paid: int  # kopecks this payment carried for it
    refunded: int  # kopecks of it refunded already (succeeded or pending)


def refundable(items: Iterable[PaidItem]) -> int:
    """What is left to refund of a payment."""
    return sum(max(0, item.paid - item.refunded) for item in items)


def plan_refund(payment_id: int, items: Iterable[PaidItem], amount: int | None) -> MoneyPlan:
    """`amount` kopecks (None: all that is left) given back from a payment, spread over its invoices in
    number order, each at most what it paid and is not back yet: an invoice all of whose payment is back
    becomes REFUNDED, the others stay PAID. MoneyRefused(NOT_REFUNDABLE, TOO_MUCH)."""
    items = list(items)  # in the payment's order, as `PaymentService.refund` spreads it
    left = refundable(items)
    if amount is None:
        amount = left
    if left == 0:
        raise MoneyRefused(MoneyRefusal.NOT_REFUNDABLE)
    try:
        split = refund_split(((i.invoice.number, i.paid, i.refunded) for i in items), amount)
    except ValueError:
        raise MoneyRefused(MoneyRefusal.TOO_MUCH) from None
    by_number = {item.invoice.number: item for item in items}
    changes = []
    for part in split:
        item = by_number[part.invoice]
        invoice = item.invoice
        if refund_refusal(invoice, part.amount) is not None:
            raise MoneyRefused(MoneyRefusal.NOT_REFUNDABLE)
        after = InvoiceStatus.REFUNDED if invoice.refunded + part.amount >= invoice.paid else InvoiceStatus.PAID
        changes.append(
            Change(item.invoice_id, invoice.number, invoice.status, after, part.amount, item.paid - item.refunded)
        )
    return MoneyPlan(MoneyAction.REFUND, tuple(changes), payment_id)


# --- applying a plan to one invoice


def marked_paid(invoice: Invoice, amount: int, today: date) -> Invoice:
    """The invoice marked paid offline for `amount`; one PENDING in an anomalous payment is released from
    it first (that payment never settles it)."""
    if invoice.status == InvoiceStatus.PENDING:
        invoice = payment_canceled(invoice, today)
    return mark_paid_offline(invoice, amount)
