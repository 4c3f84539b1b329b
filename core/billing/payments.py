"""Paying invoices: which sets may be paid, the idempotence keys, and what a provider's answer does.

- A payment covers 1 to 80 invoices (YooKassa takes at most 80 receipt items: one per invoice), all
  owed by the one who pays (NEW or OVERDUE: a pending, disputed, paid or cancelled one is not
  selectable), with something left to pay.
- Its idempotence key is a hash of the sorted invoice ids and an attempt number: the same set pressed
  twice, on two devices, or again after a restart gives the same key, so the provider makes one
  payment; a new attempt after a cancellation gets a new key. Keys are at most 64 characters.
- The provider's status is the truth; ours follows it once: a pending payment that the provider
  reports succeeded is settled (`core.billing.settlement`), one reported canceled releases its
  invoices. A status already applied, or one that goes backwards, changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

from core.billing.settlement import PaymentItem
from core.billing.status import SELECTABLE, InvoiceStatus

MAX_INVOICES = 80  # receipt items per payment (54-ФЗ receipts through YooKassa)
KEY_LENGTH = 64
STALE_AFTER_SECONDS = 3600  # a pending payment older than this is read back from the provider


class PaymentStatus(StrEnum):
    PENDING = "pending"  # stored, maybe not yet created at the provider, or waiting for the payer
    SUCCEEDED = "succeeded"
    CANCELED = "canceled"  # the provider canceled it (declined, expired, …)
    FAILED = "failed"  # the provider refused to create it: nothing was charged


class RefundStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    CANCELED = "canceled"
    FAILED = "failed"


class RefundReason(StrEnum):
    REQUESTED = "requested"  # staff refund part or all of what was paid for invoices
    DOUBLE_PAYMENT = "double_payment"  # the invoices were already paid by an earlier payment


class PayRefusal(StrEnum):
    NOTHING_SELECTED = "nothing_selected"
    TOO_MANY = "too_many"
    NOT_PAYABLE = "not_payable"  # not the payer's, or no longer NEW/OVERDUE
    NOTHING_TO_PAY = "nothing_to_pay"


class Change(StrEnum):
    """What a provider's status does to a stored payment."""

    NONE = "none"  # already applied, or not a move we make
    SETTLE = "settle"
    CANCEL = "cancel"


@dataclass(frozen=True)
class Owed:
    """An invoice as a payment sees it: its number, status and what is left to pay on it."""

    number: str
    status: InvoiceStatus
    total: int  # kopecks


def pay_refusal(invoices: Collection[Owed], requested: int) -> PayRefusal | None:
    """Whether `invoices` (the ones found of the `requested` count, already limited to those the payer
    pays) may be paid together."""
    if requested == 0:
        return PayRefusal.NOTHING_SELECTED
    if requested > MAX_INVOICES:
        return PayRefusal.TOO_MANY
    if len(invoices) != requested or any(invoice.status not in SELECTABLE for invoice in invoices):
        return PayRefusal.NOT_PAYABLE
    if sum(invoice.total for invoice in invoices) <= 0:
        return PayRefusal.NOTHING_TO_PAY
    return None


def payment_items(invoices: Iterable[Owed]) -> tuple[PaymentItem, ...]:
    """One item per invoice with what is left to pay on it, in number order (the receipt's order)."""
    return tuple(PaymentItem(invoice.number, invoice.total) for invoice in sorted(invoices, key=lambda i: i.number))


def _digest(*parts: str) -> str:
    # \x1f cannot occur in the parts (ids, numbers, words): no two different part lists hash alike.
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def invoice_set(invoice_ids: Iterable[int]) -> str:
    """The identity of a set of invoices, whatever order they were selected in."""
    return _digest("invoices", *(str(i) for i in sorted(set(invoice_ids))))


def payment_key(invoice_ids: Iterable[int], attempt: int) -> str:
    """The idempotence key of the `attempt`-th payment of these invoices (64 hex characters)."""
    if attempt < 1:
        raise ValueError("attempts count from 1")
    return _digest("payment", invoice_set(invoice_ids), str(attempt))


def refund_key(payment_id: int, sequence: int) -> str:
    """The idempotence key of the `sequence`-th refund of a payment."""
    return _digest("refund", str(payment_id), str(sequence))


def change(stored: PaymentStatus, remote: str) -> Change:
    """What the provider's `remote` status does to our `stored` one. A pending payment moves either way.
    One we gave up on as never created (FAILED: no answer while its key lived) that the provider did make
    and the payer paid is settled all the same — the money is there. `waiting_for_capture` is not final
    (we create payments with capture: true)."""
    if remote == "succeeded" and stored in (PaymentStatus.PENDING, PaymentStatus.FAILED):
        return Change.SETTLE
    if remote == "canceled" and stored == PaymentStatus.PENDING:
        return Change.CANCEL
    return Change.NONE


def refund_split(paid: Iterable[tuple[str, int, int]], amount: int) -> tuple[PaymentItem, ...]:
    """A refund of `amount` kopecks spread over a payment's invoices, given as (number, paid by this
    payment, already refunded of it), in order: each gives back at most what is left of it. Raises
    ValueError when `amount` is not positive or more than is left."""
    if amount <= 0:
        raise ValueError("a refund must be positive")
    items = []
    left = amount
    for number, paid_amount, refunded in paid:
        take = min(left, paid_amount - refunded)
        if take > 0:
            items.append(PaymentItem(number, take))
            left -= take
    if left:
        raise ValueError("more than is left to refund")
    return tuple(items)
