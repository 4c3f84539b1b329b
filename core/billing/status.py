"""Invoice statuses and every allowed transition, in one place.

Issued as NEW, or PAID when the deposit covers it. Then:
NEW → PENDING → PAID; PENDING → NEW (payment canceled); NEW → OVERDUE (daily job) → PENDING → PAID;
PENDING → OVERDUE (canceled after the due date); NEW | OVERDUE → DISPUTED → NEW | OVERDUE | PAID;
NEW | OVERDUE → PAID (marked paid offline by staff); NEW | OVERDUE → CANCELLED (by staff);
PAID → REFUNDED (full refund). Nothing else: `transition` refuses it.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class InvoiceStatus(StrEnum):
    NEW = "new"
    PENDING = "pending"  # in a payment not finished yet
    PAID = "paid"
    OVERDUE = "overdue"
    DISPUTED = "disputed"  # a line disputed: held until staff answer
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class Action(StrEnum):
    PAYMENT_STARTED = "payment_started"
    PAYMENT_SUCCEEDED = "payment_succeeded"
    PAYMENT_CANCELED = "payment_canceled"
    BECAME_OVERDUE = "became_overdue"  # the daily job
    DISPUTE_OPENED = "dispute_opened"
    DISPUTE_ACCEPTED = "dispute_accepted"
    DISPUTE_REJECTED = "dispute_rejected"
    MARKED_PAID = "marked_paid"  # offline payment, by staff, with a reference
    CANCELLED = "cancelled"  # by staff
    REFUNDED = "refunded"  # a full refund


_S = InvoiceStatus

TRANSITIONS: dict[Action, frozenset[tuple[InvoiceStatus, InvoiceStatus]]] = {
    Action.PAYMENT_STARTED: frozenset({(_S.NEW, _S.PENDING), (_S.OVERDUE, _S.PENDING)}),
    Action.PAYMENT_SUCCEEDED: frozenset({(_S.PENDING, _S.PAID)}),
    Action.PAYMENT_CANCELED: frozenset({(_S.PENDING, _S.NEW), (_S.PENDING, _S.OVERDUE)}),
    Action.BECAME_OVERDUE: frozenset({(_S.NEW, _S.OVERDUE)}),
    Action.DISPUTE_OPENED: frozenset({(_S.NEW, _S.DISPUTED), (_S.OVERDUE, _S.DISPUTED)}),
    Action.DISPUTE_ACCEPTED: frozenset({(_S.DISPUTED, _S.NEW), (_S.DISPUTED, _S.OVERDUE), (_S.DISPUTED, _S.PAID)}),
    Action.DISPUTE_REJECTED: frozenset({(_S.DISPUTED, _S.NEW), (_S.DISPUTED, _S.OVERDUE)}),
    Action.MARKED_PAID: frozenset({(_S.NEW, _S.PAID), (_S.OVERDUE, _S.PAID)}),
    Action.CANCELLED: frozenset({(_S.NEW, _S.CANCELLED), (_S.OVERDUE, _S.CANCELLED)}),
    Action.REFUNDED: frozenset({(_S.PAID, _S.REFUNDED)}),
}

# Every edge of the graph, whatever the action.
EDGES = frozenset(edge for edges in TRANSITIONS.values() for edge in edges)


class PaidHow(StrEnum):
    """How a PAID invoice was settled (kept on the invoice: the back office's registers say it)."""

    YOOKASSA = "yookassa"
    OFFLINE = "offline"  # marked paid by staff, with a reference
    DEPOSIT = "deposit"  # the deposit covered it at issue
    CREDIT = "credit"  # an accepted dispute credited what was left


# The action that takes an invoice to PAID says how it was paid.
PAID_BY: dict[Action, PaidHow] = {
    Action.PAYMENT_SUCCEEDED: PaidHow.YOOKASSA,
    Action.MARKED_PAID: PaidHow.OFFLINE,
    Action.DISPUTE_ACCEPTED: PaidHow.CREDIT,
}

UNPAID = frozenset({_S.NEW, _S.OVERDUE})  # owed, selectable for payment, disputable, cancellable by staff
SELECTABLE = UNPAID


class TransitionRefused(ValueError):
    """A status change outside the allowed graph. Carries no personal data."""

    def __init__(self, current: InvoiceStatus, action: Action, target: InvoiceStatus):
        super().__init__(f"{action}: {current} → {target} is not allowed")
        self.current = current
        self.action = action
        self.target = target


def allowed(current: InvoiceStatus, action: Action, target: InvoiceStatus) -> bool:
    return (current, target) in TRANSITIONS[action]


def transition(current: InvoiceStatus, action: Action, target: InvoiceStatus) -> InvoiceStatus:
    """`target` when `action` may move an invoice from `current` to it; else TransitionRefused."""
    if not allowed(current, action, target):
        raise TransitionRefused(current, action, target)
    return target


def unpaid_status(due_on: date, today: date) -> InvoiceStatus:
    """Where an unpaid invoice belongs on `today`: OVERDUE once past its due date, NEW before.
    (A canceled payment returns there; so does a dispute answered.)"""
    return _S.OVERDUE if today > due_on else _S.NEW
