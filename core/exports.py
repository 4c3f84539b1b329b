"""The registers sent back to the insurer's back office (`export KIND --since YYYY-MM-DD FILE`, `/export`):
the kinds, their columns in the order the back office reads them, and each row built from plain stored
values. Pure: the queries (`core/db/exports.py`) hand rows in, cells come out (`core.files.Cell`).

Money is stored in kopecks and written as roubles with two decimals; a timestamp stays an aware UTC
datetime, a date a date; a value not set is an empty cell. `--since` keeps a row when any of its dates or
timestamps is on or after that day: a timestamp from the start of the day in the operator's time zone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from core.billing.invoices import left_to_pay
from core.billing.payments import RefundReason
from core.files import Cell
from core.money import from_kopecks

Row = Sequence[Any]  # the stored values of one row, in the order its kind's query selects them


def money(kopecks: int | None) -> Cell:
    return None if kopecks is None else from_kopecks(kopecks)


def refund_reason(stored: str) -> str:
    """The back office's word for why money went back: `staff` for a refund staff asked for."""
    return "staff" if stored == RefundReason.REQUESTED else stored


def payment_row(row: Row) -> tuple[Cell, ...]:
    """(id, provider id, created at, status, settled at, amount, refunded, invoice numbers, payer's policy)"""
    payment_id, provider_id, created_at, status, settled_at, amount, refunded, numbers, payer = row
    return (payment_id, provider_id, created_at, status, settled_at, money(amount), money(refunded), numbers, payer)


def refund_row(row: Row) -> tuple[Cell, ...]:
    """(id, provider id, payment id, created at, succeeded at, status, amount, invoice numbers, stored reason,
    the staff member who asked)"""
    refund_id, provider_id, payment_id, created_at, succeeded_at, status, amount, numbers, reason, staff = row
    return (
        refund_id,
        provider_id,
        payment_id,
        created_at,
        succeeded_at,
        status,
        money(amount),
        numbers,
        refund_reason(reason),
        staff,
    )


def invoice_row(row: Row) -> tuple[Cell, ...]:
    """(number, issued on, insured's policy, payer's policy, co-pay, deposit used, credited, due on, status,
    paid at, paid how, offline reference, cancelled at, cancel reason): `total` is what is left to pay."""
    number, issued_on, insured, payer, copay, deposit, credited, due_on, status, *settlement = row
    total = left_to_pay(copay, deposit, credited)
    return (number, issued_on, insured, payer, money(copay), money(deposit), money(total), due_on, status, *settlement)


def as_stored(row: Row) -> tuple[Cell, ...]:
    """Kinds whose stored values are the cells already (no money, nothing to translate)."""
    return tuple(row)


# kind → (the columns, the row builder)
KINDS: dict[str, tuple[tuple[str, ...], Callable[[Row], tuple[Cell, ...]]]] = {
    "payments": (
        (
            "payment_id",
            "provider_payment_id",
            "created_at",
            "status",
            "succeeded_at",
            "amount",
            "refunded_amount",
            "invoice_numbers",
            "payer_policy_number",
        ),
        payment_row,
    ),
    "refunds": (
        (
            "refund_id",
            "provider_refund_id",
            "payment_id",
            "created_at",
            "succeeded_at",
            "status",
            "amount",
            "invoice_numbers",
            "reason",
            "staff_id",
        ),
        refund_row,
    ),
    "invoices": (
        (
            "invoice_number",
            "issued_on",
            "insured_policy_number",
            "payer_policy_number",
            "copay",
            "deposit_used",
            "total",
            "due_on",
            "status",
            "paid_at",
            "paid_how",
            "offline_reference",
            "cancelled_at",
            "cancel_reason",
        ),
        invoice_row,
    ),
    "activations": (
        ("consented_at", "policy_number", "effective_from", "activated_by_policy_number", "terms_version"),
        as_stored,
    ),
    "suspensions": (("restricted_on", "policy_number", "rule", "invoice_numbers", "restored_on"), as_stored),
    "disputes": (
        (
            "opened_at",
            "dispute_id",
            "invoice_number",
            "bill_line_id",
            "reason",
            "deadline",
            "status",
            "answered_at",
            "answer",
        ),
        as_stored,
    ),
    "requests": (("opened_at", "request_id", "kind", "policy_number", "status", "answered_at"), as_stored),
}


def columns(kind: str) -> tuple[str, ...]:
    return KINDS[kind][0]


def build_row(kind: str) -> Callable[[Row], tuple[Cell, ...]]:
    return KINDS[kind][1]


def since_moment(since: date, zone: ZoneInfo) -> datetime:
    """Where `--since` starts for a timestamp: the first instant of that day in the operator's time zone."""
    return datetime.combine(since, time(), zone)


def file_name(kind: str, since: date, xlsx: bool) -> str:
    return f"{kind}-since-{since.isoformat()}.{'xlsx' if xlsx else 'csv'}"
