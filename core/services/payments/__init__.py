"""Paying invoices through the payment provider (YooKassa): start a payment, apply what the provider
says, refund, read back what is stale, and the payer's history.

The rules are `core.billing.payments` and `core.billing.settlement`; this module keeps the order that
makes payments safe:

1. The payment row, its idempotence key and its invoices (moved to PENDING: not selectable again) are
   committed *before* the provider is called, and so is the request itself before the first call: a
   second press, a second device or a restart finds them and shows the same payment, or sends the same
   request with the same key — which the provider answers with the payment it already made. (Rebuilt, it
   could differ — the payer's e-mail changed meanwhile — and the provider would refuse the key.)
2. The provider's answer is never assumed: a timeout, a 5xx or "key duplicated" is "outcome unknown" (the
   payment stays pending, the user can retry, the job reads it back); any other 4xx means nothing was made
   (the payment fails and its invoices are released). What is still unknown when the provider forgets the
   key (24 h) is not asked again: it is an anomaly for staff (`payment.anomaly`, `refund.anomaly`).
3. A notification is only a signal: the payment is re-read from the provider and its status applied once
   (a conditional update of our row), in one transaction with the invoices, the access restored, the
   refund owed for invoices someone already paid, and the notice to the payer (the outbox).
4. A refund is stored with its own key and request before its call too, applied when the provider confirms
   it (found by its id, or — its answer lost — by its payment and amount).
5. A payment the provider reports with another amount than ours is never settled: it is set aside for
   staff (not read back any more) and the payer told it is being checked.

No call holds a transaction open; nothing here logs a phone, an e-mail or a name.

`PaymentService` is put together from one module per concern: `paying`, `notifications` (what the provider
says), `refunds`, `read_back` (asking the provider again, the job) and `history`; `records` holds what they
return and the codes they use.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from core.calendar import Clock
from core.db.uow import UnitOfWorkFactory
from core.gateways.payments import PaymentGateway, RemotePayment
from core.services.payments.history import History
from core.services.payments.notifications import Notifications
from core.services.payments.paying import Paying
from core.services.payments.read_back import ReadBack
from core.services.payments.records import (
    AMOUNT_MISMATCH,
    AUTOPAY,
    AUTOPAY_UNDER_WAY,
    BINDING,
    INVOICES,
    KEY_LIFETIME,
    NEEDS_EMAIL,
    NOT_FOUND,
    NOT_REFUNDABLE,
    PER_PAGE,
    PROVIDER_REFUSED,
    TOO_MUCH,
    UNAVAILABLE,
    UNKNOWN_AFTER_KEY,
    UNREACHABLE,
    NotificationResult,
    PaymentPage,
    PaymentRecord,
    PayResult,
    ReadBackReport,
    RefundRecord,
    RefundResult,
)
from core.services.payments.refunds import Refunds
from core.services.roles import RoleDirectory


class PaymentService(Paying, Notifications, Refunds, ReadBack, History):
    """The payment use cases, one concern per module of this package."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        gateway: PaymentGateway | None,
        roles: RoleDirectory,
        *,
        return_url: str | None = None,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.gateway = gateway
        self.roles = roles
        # Where the provider's page sends the payer back; a "{payment_id}" in it names the payment (the Mini
        # App's payment page).
        self.return_url = return_url
        # Applies a binding payment's status: CardService.apply_binding, wired by core.bootstrap.
        self.on_binding: Callable[[RemotePayment, int], Awaitable[NotificationResult]] | None = None

    def return_to(self, payment_id: int) -> str | None:
        return self.return_url.replace("{payment_id}", str(payment_id)) if self.return_url else None

    @property
    def available(self) -> bool:
        return self.gateway is not None


__all__ = [
    "AMOUNT_MISMATCH",
    "AUTOPAY",
    "AUTOPAY_UNDER_WAY",
    "BINDING",
    "INVOICES",
    "KEY_LIFETIME",
    "NEEDS_EMAIL",
    "NOT_FOUND",
    "NOT_REFUNDABLE",
    "PER_PAGE",
    "PROVIDER_REFUSED",
    "TOO_MUCH",
    "UNAVAILABLE",
    "UNKNOWN_AFTER_KEY",
    "UNREACHABLE",
    "NotificationResult",
    "PayResult",
    "PaymentPage",
    "PaymentRecord",
    "PaymentService",
    "ReadBackReport",
    "RefundRecord",
    "RefundResult",
]
