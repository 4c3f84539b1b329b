"""core.billing.payments: which sets may be paid, the keys, the provider's status applied once, refunds
spread over invoices."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.billing.payments import (
    KEY_LENGTH,
    MAX_INVOICES,
    Change,
    Owed,
    PaymentStatus,
    PayRefusal,
    change,
    invoice_set,
    pay_refusal,
    payment_items,
    payment_key,
    refund_key,
    refund_split,
)
from core.billing.settlement import PaymentItem
from core.billing.status import InvoiceStatus

NEW, OVERDUE = InvoiceStatus.NEW, InvoiceStatus.OVERDUE


def owed(number: str, total: int = 100, status: InvoiceStatus = NEW) -> Owed:
    return Owed(number, status, total)


@pytest.mark.parametrize(
    ("invoices", "requested", "refusal"),
    [
        ([], 0, PayRefusal.NOTHING_SELECTED),
        ([owed("2026/10/1")], 1, None),
        ([owed("2026/10/1", status=OVERDUE), owed("2026/10/2")], 2, None),
        ([owed("2026/10/1")], 2, PayRefusal.NOT_PAYABLE),  # one id not the payer's (or no such invoice)
        ([owed("2026/10/1", status=InvoiceStatus.PENDING)], 1, PayRefusal.NOT_PAYABLE),
        ([owed("2026/10/1", status=InvoiceStatus.DISPUTED)], 1, PayRefusal.NOT_PAYABLE),
        ([owed("2026/10/1", status=InvoiceStatus.PAID)], 1, PayRefusal.NOT_PAYABLE),
        ([owed("2026/10/1", status=InvoiceStatus.CANCELLED)], 1, PayRefusal.NOT_PAYABLE),
        ([owed("2026/10/1", total=0)], 1, PayRefusal.NOTHING_TO_PAY),
        ([owed(f"2026/10/{n}") for n in range(1, 81)], 80, None),
        ([owed(f"2026/10/{n}") for n in range(1, 82)], 81, PayRefusal.TOO_MANY),
    ],
)
def test_pay_refusal(invoices: list[Owed], requested: int, refusal: PayRefusal | None) -> None:
    assert pay_refusal(invoices, requested) == refusal


def test_items_one_per_invoice_in_number_order_with_what_is_left() -> None:
    items = payment_items([owed("2026/10/3", 40000), owed("2026/10/1", 80)])
    assert items == (PaymentItem("2026/10/1", 80), PaymentItem("2026/10/3", 40000))
    assert MAX_INVOICES == 80


@given(st.sets(st.integers(1, 2**31 - 1), min_size=1, max_size=80), st.integers(1, 1000), st.randoms())
def test_the_key_is_the_set_and_the_attempt_whatever_the_order(ids: set[int], attempt: int, rnd) -> None:
    shuffled = list(ids)
    rnd.shuffle(shuffled)
    key = payment_key(shuffled, attempt)
    assert key == payment_key(sorted(ids), attempt) and len(key) <= KEY_LENGTH
    assert key != payment_key(ids, attempt + 1)
    assert invoice_set(shuffled) == invoice_set(sorted(ids))


def test_keys_differ_between_sets_payments_and_refunds() -> None:
    assert payment_key([1, 23], 1) != payment_key([12, 3], 1)
    assert payment_key([1], 1) != refund_key(1, 1)
    with pytest.raises(ValueError):
        payment_key([1], 0)


@pytest.mark.parametrize(
    ("stored", "remote", "expected"),
    [
        (PaymentStatus.PENDING, "succeeded", Change.SETTLE),
        (PaymentStatus.PENDING, "canceled", Change.CANCEL),
        (PaymentStatus.PENDING, "pending", Change.NONE),
        (PaymentStatus.PENDING, "waiting_for_capture", Change.NONE),
        (PaymentStatus.SUCCEEDED, "succeeded", Change.NONE),  # a repeated notification
        (PaymentStatus.SUCCEEDED, "canceled", Change.NONE),  # never backwards
        (PaymentStatus.CANCELED, "succeeded", Change.NONE),
        (PaymentStatus.CANCELED, "canceled", Change.NONE),
        (PaymentStatus.FAILED, "succeeded", Change.SETTLE),  # given up on, yet made and paid: the money is there
        (PaymentStatus.FAILED, "canceled", Change.NONE),
    ],
)
def test_change(stored: PaymentStatus, remote: str, expected: Change) -> None:
    assert change(stored, remote) == expected


def test_refund_split_takes_invoices_in_order_and_skips_what_is_back() -> None:
    paid = [("2026/10/1", 80, 0), ("2026/10/3", 40000, 0)]
    assert refund_split(paid, 10080) == (PaymentItem("2026/10/1", 80), PaymentItem("2026/10/3", 10000))
    assert refund_split([("2026/10/1", 80, 80), ("2026/10/3", 40000, 10000)], 100) == (PaymentItem("2026/10/3", 100),)
    with pytest.raises(ValueError):
        refund_split(paid, 40081)
    with pytest.raises(ValueError):
        refund_split(paid, 0)


@given(st.lists(st.tuples(st.integers(1, 10**7), st.integers(0, 10**7)), min_size=1, max_size=10), st.data())
def test_refund_split_sums_to_the_amount_and_never_exceeds_an_invoice(parts, data) -> None:
    paid = [(f"2026/10/{n}", amount, min(back, amount)) for n, (amount, back) in enumerate(parts, 1)]
    left = sum(amount - back for _, amount, back in paid)
    if left == 0:
        with pytest.raises(ValueError):
            refund_split(paid, 1)
        return
    amount = data.draw(st.integers(1, left))
    items = refund_split(paid, amount)
    assert sum(item.amount for item in items) == amount
    room = {number: amount - back for number, amount, back in paid}
    assert all(0 < item.amount <= room[item.invoice] for item in items)
