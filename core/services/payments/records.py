"""What the payment use cases return (plain frozen records) and the codes they use: payment kinds,
refusals and anomalies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from core.billing.payments import PaymentStatus, RefundReason, RefundStatus
from core.cabinet.paging import Page

# Payment kinds: the payer's invoices through the provider's page; a card check (core.services.cards),
# never captured; one invoice charged to a saved card, without the payer.
INVOICES = "invoices"
BINDING = "binding"
AUTOPAY = "autopay"

PER_PAGE = 5
KEY_LIFETIME = timedelta(hours=24)  # the provider keeps an idempotence key this long

# Refusals beyond core.billing.payments.PayRefusal.
UNAVAILABLE = "unavailable"  # no provider configured
NOT_FOUND = "not_found"  # not the viewer's payment, or no such id
UNREACHABLE = "unreachable"  # the provider did not answer: the payment may exist; retry with the same key
PROVIDER_REFUSED = "provider_refused"  # the provider refused to create it: nothing was charged
NOT_REFUNDABLE = "not_refundable"  # not a succeeded payment, or an invoice of it not refundable
TOO_MUCH = "too_much"
CHANGED = "changed"  # a refund's split is not the one staff confirmed: its invoices changed meanwhile
NEEDS_EMAIL = "needs_email"  # the payer has no phone or e-mail for the receipt: ask for an e-mail first
AUTOPAY_UNDER_WAY = "autopay_under_way"  # comes with the automatic charge of these invoices, being made now

# Anomalies (staff look at them; the payment or refund is not asked about any more).
AMOUNT_MISMATCH = "amount_mismatch"
UNKNOWN_AFTER_KEY = "unknown_after_24h"  # never confirmed, and the provider no longer knows the key


class NotificationResult(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"  # the status was already applied (or goes nowhere)
    IGNORED = "ignored"  # not ours, or not an event we act on
    MALFORMED = "malformed"
    RETRY = "retry"  # the provider could not be asked now: answer so that it notifies again


@dataclass(frozen=True)
class RefundRecord:
    refund_id: int
    amount: int
    status: RefundStatus
    reason: RefundReason
    created_at: datetime
    invoices: tuple[str, ...]


@dataclass(frozen=True)
class PaymentRecord:
    payment_id: int
    status: PaymentStatus
    amount: int
    created_at: datetime  # in the operator's time zone
    invoices: tuple[str, ...]  # numbers
    confirmation_url: str | None
    cancellation_reason: str | None
    refunded: int
    receipt_registered: bool  # the provider registered the 54-ФЗ receipt (it sends it to the customer)
    refunds: tuple[RefundRecord, ...] = ()
    checking: bool = False  # set aside for staff (an anomaly): the payer is told it is being checked


@dataclass(frozen=True)
class PayResult:
    """The payment (new, or the one already under way for these invoices), or why not (a
    `PayRefusal` value or one of this module's refusals). `UNREACHABLE` comes with the payment: retry it."""

    payment: PaymentRecord | None = None
    refusal: str | None = None
    existing: bool = False


@dataclass(frozen=True)
class RefundResult:
    refund: RefundRecord | None = None
    refusal: str | None = None


@dataclass(frozen=True)
class PaymentPage:
    payments: tuple[PaymentRecord, ...]
    page: Page
    count: int


@dataclass(frozen=True)
class ReadBackReport:
    payments: int  # stale pending payments asked about
    refunds: int  # pending refunds sent again
