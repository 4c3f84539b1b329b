"""How an invoice became PAID is decided by the action that took it there (and the deposit at issue)."""

from __future__ import annotations

from datetime import date

import pytest

from core.billing.invoices import Invoice, InvoicedLine
from core.billing.status import Action, InvoiceStatus, PaidHow, TransitionRefused

LINE = InvoicedLine("L1", 1000_00, 300_00)


def invoice(status: InvoiceStatus) -> Invoice:
    return Invoice("2026/10/1", date(2026, 10, 1), date(2026, 10, 31), "P1", "P1", (LINE,), status=status)


@pytest.mark.parametrize(
    ("start", "steps", "how"),
    [
        (InvoiceStatus.NEW, [Action.PAYMENT_STARTED, Action.PAYMENT_SUCCEEDED], PaidHow.YOOKASSA),
        (InvoiceStatus.OVERDUE, [Action.MARKED_PAID], PaidHow.OFFLINE),
        (InvoiceStatus.DISPUTED, [Action.DISPUTE_ACCEPTED], PaidHow.CREDIT),
    ],
)
def test_the_action_that_pays_says_how(start: InvoiceStatus, steps: list[Action], how: PaidHow) -> None:
    current = invoice(start)
    for action in steps:
        target = InvoiceStatus.PAID if action != Action.PAYMENT_STARTED else InvoiceStatus.PENDING
        current = current.moved(action, target)
    assert current.status == InvoiceStatus.PAID
    assert current.paid_how == how


def test_other_moves_leave_it_unset() -> None:
    assert invoice(InvoiceStatus.NEW).moved(Action.BECAME_OVERDUE, InvoiceStatus.OVERDUE).paid_how is None
    assert invoice(InvoiceStatus.NEW).moved(Action.CANCELLED, InvoiceStatus.CANCELLED).paid_how is None
    with pytest.raises(TransitionRefused):
        invoice(InvoiceStatus.CANCELLED).moved(Action.MARKED_PAID, InvoiceStatus.PAID)


def test_a_refund_keeps_how_it_was_paid() -> None:
    paid = invoice(InvoiceStatus.OVERDUE).moved(Action.MARKED_PAID, InvoiceStatus.PAID)
    assert paid.moved(Action.REFUNDED, InvoiceStatus.REFUNDED).paid_how == PaidHow.OFFLINE
