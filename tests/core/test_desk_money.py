"""The admin's money actions as pure rules: who may take them, what staff type, and the plans shown for
confirmation (which invoices, which status after, how much)."""

from datetime import date

import pytest

from core.actors import Role
from core.billing.invoices import Invoice
from core.billing.status import InvoiceStatus, PaidHow
from core.desk.money import (
    MAX_REFERENCE,
    MoneyAction,
    MoneyRefusal,
    MoneyRefused,
    Owed,
    PaidItem,
    marked_paid,
    may,
    plan_cancel,
    plan_mark_paid,
    plan_refund,
    read_amount,
    read_reference,
)
from core.errors import InputError

TODAY = date(2026, 11, 20)


def invoice(number: str, status: InvoiceStatus, *, paid: int = 0, refunded: int = 0, due: date = TODAY) -> Invoice:
    return Invoice(number, date(2026, 10, 1), due, "P1", "P1", (), status=status, paid=paid, refunded=refunded)


@pytest.mark.parametrize("action", list(MoneyAction))
def test_only_an_admin_takes_money_actions(action) -> None:
    assert may(Role.ADMIN, action)
    assert not may(Role.SUPPORT, action)
    assert not may(Role.USER, action)


@pytest.mark.parametrize(
    ("typed", "kopecks"), [("150", 15000), ("150,50", 15050), ("150.5", 15050), (" 0,01 ", 1), ("007", 700)]
)
def test_an_amount_is_typed_in_roubles(typed, kopecks) -> None:
    assert read_amount(typed) == kopecks


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "money.empty"),
        ("0", "money.zero"),
        ("1,234", "money.too_many_decimals"),
        ("-5", "money.negative"),
        ("1 500", "money.invalid"),
        ("пять", "money.invalid"),
    ],
)
def test_a_wrong_amount_says_what_is_wrong(typed, code) -> None:
    with pytest.raises(InputError) as error:
        read_amount(typed)
    assert error.value.code == code


def test_a_reference_is_bounded_free_text() -> None:
    assert read_reference("  касса клиники, чек 17 ") == "касса клиники, чек 17"
    with pytest.raises(InputError):
        read_reference(" \u200b ")
    with pytest.raises(InputError) as error:
        read_reference("x" * (MAX_REFERENCE + 1))
    assert error.value.code == "request.too_long"


def test_marking_paid_takes_what_is_left_to_pay_and_says_offline() -> None:
    plan = plan_mark_paid([Owed(7, invoice("2026/10/3", InvoiceStatus.OVERDUE), 40000)])
    assert [(c.invoice_id, c.before, c.after, c.amount) for c in plan.changes] == [
        (7, InvoiceStatus.OVERDUE, InvoiceStatus.PAID, 40000)
    ]
    after = marked_paid(invoice("2026/10/3", InvoiceStatus.OVERDUE), 40000, TODAY)
    assert (after.status, after.paid, after.paid_how) == (InvoiceStatus.PAID, 40000, PaidHow.OFFLINE)


@pytest.mark.parametrize(
    "status", [InvoiceStatus.PAID, InvoiceStatus.PENDING, InvoiceStatus.DISPUTED, InvoiceStatus.CANCELLED]
)
def test_only_an_unpaid_invoice_is_marked_paid_or_cancelled(status) -> None:
    owed = Owed(7, invoice("2026/10/3", status), 40000)
    with pytest.raises(MoneyRefused) as refused:
        plan_mark_paid([owed])
    assert refused.value.refusal is MoneyRefusal.NOTHING
    with pytest.raises(MoneyRefused):
        plan_cancel(owed)


def test_an_anomalous_payment_still_pending_settles_its_pending_invoices() -> None:
    owed = [
        Owed(1, invoice("2026/10/1", InvoiceStatus.PENDING), 10000),
        Owed(2, invoice("2026/10/2", InvoiceStatus.PAID), 0),
        Owed(3, invoice("2026/10/3", InvoiceStatus.NEW), 5000),
    ]
    plan = plan_mark_paid(owed, 12, pending_in_it=True)
    assert [(c.number, c.amount) for c in plan.changes] == [("2026/10/1", 10000), ("2026/10/3", 5000)]
    assert plan.amount == 15000 and plan.payment_id == 12
    assert [c.number for c in plan_mark_paid(owed, 12).changes] == ["2026/10/3"]  # a failed one released them
    after = marked_paid(invoice("2026/10/1", InvoiceStatus.PENDING, due=date(2026, 11, 1)), 10000, TODAY)
    assert (after.status, after.paid_how) == (InvoiceStatus.PAID, PaidHow.OFFLINE)


def test_a_cancellation_leaves_what_was_owed_out() -> None:
    plan = plan_cancel(Owed(7, invoice("2026/10/3", InvoiceStatus.NEW), 40000))
    assert [(c.after, c.amount) for c in plan.changes] == [(InvoiceStatus.CANCELLED, 40000)]


def _paid(number: str, paid: int, refunded_before: int = 0, recorded: int = 0) -> PaidItem:
    return PaidItem(
        int(number[-1]), invoice(number, InvoiceStatus.PAID, paid=paid, refunded=recorded), paid, refunded_before
    )


def test_a_refund_is_spread_in_order_and_refunds_an_invoice_once_all_is_back() -> None:
    items = [_paid("2026/10/1", 10000), _paid("2026/10/2", 30000)]
    full = plan_refund(5, items, None)
    assert [(c.number, c.after, c.amount) for c in full.changes] == [
        ("2026/10/1", InvoiceStatus.REFUNDED, 10000),
        ("2026/10/2", InvoiceStatus.REFUNDED, 30000),
    ]
    part = plan_refund(5, items, 15050)
    assert [(c.number, c.after, c.amount) for c in part.changes] == [
        ("2026/10/1", InvoiceStatus.REFUNDED, 10000),
        ("2026/10/2", InvoiceStatus.PAID, 5050),
    ]


def test_a_refund_over_what_is_left_or_of_nothing_is_refused() -> None:
    items = [_paid("2026/10/1", 10000, refunded_before=4000, recorded=4000)]
    with pytest.raises(MoneyRefused) as refused:
        plan_refund(5, items, 6001)
    assert refused.value.refusal is MoneyRefusal.TOO_MUCH
    assert plan_refund(5, items, None).amount == 6000
    with pytest.raises(MoneyRefused) as refused:
        plan_refund(5, [_paid("2026/10/1", 10000, refunded_before=10000)], None)
    assert refused.value.refusal is MoneyRefusal.NOT_REFUNDABLE


def test_a_plan_is_compared_with_the_one_shown() -> None:
    items = [_paid("2026/10/1", 10000)]
    shown = plan_refund(5, items, 4000).stored()
    assert plan_refund(5, items, 4000).same_as(shown)
    # a refund pending meanwhile: the same amount asked again is not the plan shown
    assert not plan_refund(5, [_paid("2026/10/1", 10000, refunded_before=4000)], 4000).same_as(shown)
