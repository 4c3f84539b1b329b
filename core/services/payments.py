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
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.exc import IntegrityError

from core.actors import Capability
from core.billing.payments import (
    STALE_AFTER_SECONDS,
    Change,
    Owed,
    PaymentStatus,
    PayRefusal,
    RefundReason,
    RefundStatus,
    change,
    invoice_set,
    pay_refusal,
    payment_items,
    payment_key,
    refund_key,
    refund_split,
)
from core.billing.settlement import PaymentItem, payment_canceled, record_refund, refund_refusal, settle_payment, start_payment
from core.billing.status import InvoiceStatus
from core.cabinet.paging import Page, page_of
from core.calendar import Clock
from core.db import models
from core.db.payments import PaymentRepository
from core.db.invoices import StoredInvoice
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.gateways.payments import (
    OutcomeUnknown,
    PaymentGateway,
    PaymentRequest,
    Receipt,
    ReceiptItem,
    Rejected,
    RemotePayment,
    RemoteRefund,
    parse_notification,
    receipt_data,
    receipt_from_data,
    request_data,
    request_from_data,
)
from core.normalize import email_key
from core.services.access import restore_paid_up
from core.services.invoices import total_to_pay
from core.services.roles import RoleDirectory
from core.services.viewers import Viewer
from core.texts import document_text

log = logging.getLogger(__name__)

# Outbox kinds (bot/views/notices.py renders them).
PAYMENT_SUCCEEDED = "payment_succeeded"
PAYMENT_CANCELED = "payment_canceled"
PAYMENT_REFUNDED = "payment_refunded"
AUTOPAY_FAILED = "autopay_failed"  # an automatic charge declined: the debt, the reason, the Pay button
PAYMENT_CHECKING = "payment_checking"  # the provider reports something we cannot settle: staff check it

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


class PaymentService:
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
        self.return_url = return_url
        # Applies a binding payment's status (set by core.services.cards.CardService).
        self.on_binding: Callable[[RemotePayment, int], Awaitable[NotificationResult]] | None = None

    @property
    def available(self) -> bool:
        return self.gateway is not None

    # Paying -------------------------------------------------------------------------------------------

    async def pay(
        self, viewer: Viewer, invoice_ids: list[int] | tuple[int, ...] | set[int], *, again: bool = True
    ) -> PayResult:
        """One payment for these invoices of the viewer's (the payer's). A set already in a pending payment
        shows that payment (`existing`)."""
        if self.gateway is None:
            return PayResult(refusal=UNAVAILABLE)
        if viewer.person_id is None:
            return PayResult(refusal=NOT_FOUND)
        ids = set(invoice_ids)
        now = self.clock.now()
        async with self.uow() as uow:
            repo = uow.payments
            rows = [row for row in await uow.invoices.rules(ids, lock=True) if row.payer_person_id == viewer.person_id]
            owed = [_owed(row) for row in rows]
            refusal = pay_refusal(owed, len(ids))
            if refusal not in (None, PayRefusal.NOT_PAYABLE):
                return PayResult(refusal=str(refusal))
            if refusal is None and not any(_contact(await repo.customer(viewer.person_id))):
                return PayResult(refusal=NEEDS_EMAIL)  # nothing stored: asked again once the e-mail is given
            payment_id = None if refusal else await self._store(uow, repo, viewer, rows, owed, now)
        if payment_id is not None:
            return await self.ensure_created(payment_id)
        # Not payable now: when that is because a payment of them is under way (a second press, another
        # device, a press that lost the race), it is that payment.
        async with self.uow() as uow:
            under_way = await uow.payments.pending_with(viewer.person_id, ids)
        if under_way is None:
            return PayResult(refusal=str(PayRefusal.NOT_PAYABLE))
        result = await self.ensure_created(under_way.id, existing=True)
        if again and result.payment is not None and result.payment.status == PaymentStatus.FAILED:
            return await self.pay(viewer, ids, again=False)  # an automatic charge withdrawn: its invoices are free
        if under_way.kind == AUTOPAY and result.payment is not None and result.payment.status == PaymentStatus.PENDING:
            return PayResult(result.payment, refusal=AUTOPAY_UNDER_WAY, existing=True)  # no page: the card is charged
        return result

    async def set_receipt_email(self, viewer: Viewer, address: str) -> bool:
        """The e-mail (normalised) the payer gave for receipts, kept as the account's e-mail (as /settings
        keeps it). False when another account has it."""
        key, now = email_key(address), self.clock.now()
        async with self.uow() as uow:
            if await uow.accounts.email_owner(key) not in (None, viewer.telegram_id):
                return False
            account = await uow.accounts.get(viewer.account_id)
            account.email, account.email_key = address, key
            uow.audit.record(now, "email.changed", actor=viewer.telegram_id, object_type="account",
                             object_id=viewer.account_id, reason="receipt")  # fmt: skip
            try:
                await uow.commit()
            except IntegrityError:  # another account took it in between
                return False
        return True

    async def _store(self, uow: UnitOfWork, repo: PaymentRepository, viewer: Viewer, rows, owed, now) -> int | None:  # noqa: ANN001
        """The payment row, its items and its invoices in PENDING, committed; None when another press got
        there first (the invoices moved, or the key is taken)."""
        chosen = invoice_set(row.id for row in rows)
        attempt = await repo.attempts(chosen) + 1
        items = {item.invoice: item.amount for item in payment_items(owed)}
        payment = models.Payment(
            idempotence_key=payment_key((row.id for row in rows), attempt), invoice_set=chosen,
            attempt=attempt, payer_person_id=viewer.person_id, telegram_id=viewer.telegram_id,
            amount_kopecks=sum(items.values()), status=str(PaymentStatus.PENDING), refunded_kopecks=0,
            created_at=now, updated_at=now,
        )  # fmt: skip
        try:
            await repo.insert(payment)
        except IntegrityError:
            await uow.rollback()
            return None
        for row in rows:
            if not await uow.invoices.save(row, start_payment(row.rule), now):
                await uow.rollback()
                return None
            repo.add(models.PaymentInvoice(payment_id=payment.id, invoice_id=row.id,
                                           amount_kopecks=items[row.rule.number]))  # fmt: skip
        uow.audit.record(now, "payment.started", actor=viewer.telegram_id, object_type="payment",
                         object_id=payment.id, invoices=len(rows), amount=payment.amount_kopecks)  # fmt: skip
        try:
            await uow.commit()
        except IntegrityError:
            return None
        return payment.id

    async def ensure_created(self, payment_id: int, *, existing: bool = False) -> PayResult:
        """Make sure the provider has the payment (asking again with the stored key when its answer was
        lost), and return it."""
        assert self.gateway is not None
        async with self.uow() as uow:
            repo = uow.payments
            payment = await repo.get(payment_id)
            if payment is None:
                return PayResult(refusal=NOT_FOUND)
            if payment.status != PaymentStatus.PENDING or payment.provider_id is not None:
                return PayResult(await self._record(repo, payment), existing=existing)
            withdrawn = payment.kind == AUTOPAY and not await repo.may_charge(payment, self.clock.today())
            if not withdrawn:
                if payment.request is None:  # the first call: what it sends is kept for every retry
                    await repo.keep_request(payment.id, request_data(await self._request(repo, payment)))
                    await uow.commit()
                    payment = await repo.get(payment_id)
                request = request_from_data(payment.request)
                key = payment.idempotence_key
        if withdrawn:
            # Stored, never confirmed made, and since then the card was removed, automatic charges turned off or
            # the account deleted: not asked again (had the provider made it, its notification settles it).
            await self._fail(payment_id, tell=False)
            return PayResult(await self.record(payment_id), refusal=PROVIDER_REFUSED, existing=existing)
        if request.receipt is not None and not (request.receipt.phone or request.receipt.email):
            # No receipt can be made (a card check of a payer without a contact): nothing is asked.
            log.warning("payment %s: the payer has no contact for the receipt", payment_id)
            await self._fail(payment_id, tell=False)
            return PayResult(refusal=NEEDS_EMAIL)
        try:
            remote = await self.gateway.create_payment(request, key)
        except OutcomeUnknown:
            log.warning("payment %s: the provider's answer to create is unknown", payment_id)
            return PayResult(await self.record(payment_id), refusal=UNREACHABLE, existing=existing)
        except Rejected as refused:
            if refused.key_reused:  # made or not, the key is taken: its notification or the job tells
                log.warning("payment %s: the provider knows its key with another request", payment_id)
                return PayResult(await self.record(payment_id), refusal=UNREACHABLE, existing=existing)
            log.warning("payment %s: the provider refused it (%s %s)", payment_id, refused.status, refused.code)
            await self._fail(payment_id)
            return PayResult(refusal=PROVIDER_REFUSED)
        async with self.uow() as uow:
            await uow.payments.set_created(payment_id, remote.id, remote.confirmation_url, self.clock.now())
            await uow.commit()
        if remote.status in (PaymentStatus.SUCCEEDED, PaymentStatus.CANCELED):
            await self.apply(remote)
        return PayResult(await self.record(payment_id), existing=existing)

    async def _request(self, repo: PaymentRepository, payment: models.Payment) -> PaymentRequest:
        """What the provider is asked to make: the payer's invoices through its page; a card check held and
        never captured, the card saved; or one invoice charged to a saved card without the payer."""
        phone, email = _contact(await repo.customer(payment.payer_person_id))
        metadata = {"payment_id": str(payment.id)}
        if payment.kind == BINDING:
            item = ReceiptItem(document_text("binding-receipt-item"), payment.amount_kopecks)
            return PaymentRequest(
                amount=payment.amount_kopecks, description=document_text("binding-description"), metadata=metadata,
                receipt=Receipt(items=(item,), phone=phone, email=email), return_url=self.return_url,
                capture=False, save_payment_method=True,
            )  # fmt: skip
        items = await repo.items([payment.id])
        numbers = [row.number for row in items]
        method = await repo.method(payment.payment_method_id) if payment.kind == AUTOPAY else None
        return PaymentRequest(
            amount=payment.amount_kopecks,
            description=document_text("payment-description", numbers=", ".join(numbers)),
            metadata=metadata,
            receipt=Receipt(
                items=tuple(ReceiptItem(document_text("receipt-item", number=row.number), row.amount_kopecks)
                            for row in items),
                phone=phone, email=email,
            ),  # fmt: skip
            return_url=None if method else self.return_url,
            payment_method_id=method.provider_method_id if method else None,
        )

    async def _fail(self, payment_id: int, *, tell: bool = True) -> None:
        """The provider refused to create it: nothing was charged; its invoices are selectable again."""
        today, now = self.clock.today(), self.clock.now()
        async with self.uow() as uow:
            repo = uow.payments
            if not await repo.move(payment_id, str(PaymentStatus.PENDING), now, status=str(PaymentStatus.FAILED)):
                return
            released = await self._release(uow, payment_id, today, now)
            payment = await repo.get(payment_id)
            if payment.kind == AUTOPAY and tell:  # the payer counted on it: the debt and the Pay button
                await self._autopay_failed(uow, payment, released, None, now)
            uow.audit.record(now, "payment.failed", object_type="payment", object_id=payment_id)
            await uow.commit()

    async def _release(self, uow: UnitOfWork, payment_id: int, today, now: datetime) -> tuple[str, ...]:  # noqa: ANN001
        """Its invoices still PENDING back to NEW, or OVERDUE when past their due date."""
        items = await uow.payments.items([payment_id])
        released = []
        for row in await uow.invoices.rules((item.invoice_id for item in items), lock=True):
            if row.rule.status != InvoiceStatus.PENDING:
                continue
            if await uow.invoices.save(row, payment_canceled(row.rule, today), now):
                released.append(row.rule.number)
        return tuple(released)

    async def retry(self, viewer: Viewer, payment_id: int) -> PayResult:
        """The viewer's pending payment again: created at the provider if its answer was lost, else shown."""
        if self.gateway is None:
            return PayResult(refusal=UNAVAILABLE)
        if not await self._owns(viewer, payment_id):
            return PayResult(refusal=NOT_FOUND)
        return await self.ensure_created(payment_id, existing=True)

    async def check(self, viewer: Viewer, payment_id: int) -> PayResult:
        """Ask the provider now how the viewer's payment stands, apply it, and show it."""
        if self.gateway is None:
            return PayResult(refusal=UNAVAILABLE)
        if not await self._owns(viewer, payment_id):
            return PayResult(refusal=NOT_FOUND)
        return await self.read_back(payment_id)

    async def read_back(self, payment_id: int) -> PayResult:
        """Ask the provider how a payment stands (creating it there with its key when its answer was
        lost), apply that, and show it."""
        assert self.gateway is not None
        record = await self.record(payment_id)
        if record is None:
            return PayResult(refusal=NOT_FOUND)
        async with self.uow() as uow:
            payment = await uow.payments.get(payment_id)
            provider_id = payment.provider_id
        if record.status != PaymentStatus.PENDING or record.checking:  # settled, or staff's to settle
            return PayResult(record)
        if provider_id is None:
            return await self.ensure_created(payment_id, existing=True)
        try:
            remote = await self.gateway.get_payment(provider_id)
        except (OutcomeUnknown, Rejected):
            return PayResult(record, refusal=UNREACHABLE)
        await self.apply(remote)
        return PayResult(await self.record(payment_id))

    async def _owns(self, viewer: Viewer, payment_id: int) -> bool:
        if viewer.person_id is None:
            return False
        async with self.uow() as uow:
            payment = await uow.payments.get(payment_id)
        return payment is not None and payment.payer_person_id == viewer.person_id

    # What the provider says ---------------------------------------------------------------------------

    async def on_notification(self, body: bytes) -> NotificationResult:
        """A notification posted to us (its source already checked): re-read the object, apply it once."""
        if self.gateway is None:
            return NotificationResult.IGNORED
        try:
            notification = parse_notification(body)
        except ValueError:
            return NotificationResult.MALFORMED
        try:
            if notification.event.startswith("payment."):
                return await self.apply(await self.gateway.get_payment(notification.object_id))
            if notification.event.startswith("refund."):
                return await self.apply_refund(await self.gateway.get_refund(notification.object_id))
        except OutcomeUnknown:
            return NotificationResult.RETRY
        except Rejected:  # the provider does not know it (not our shop's, or forged)
            return NotificationResult.IGNORED
        return NotificationResult.IGNORED

    async def apply(self, remote: RemotePayment) -> NotificationResult:
        """The provider's payment as it is now, applied to ours once."""
        today, now = self.clock.today(), self.clock.now()
        queued_refund = None
        async with self.uow() as uow:
            found = await self._find(uow.payments, remote)
            if found is None:
                return NotificationResult.IGNORED
            payment_id, kind = found.id, found.kind
        if kind == BINDING:  # a card check: core.services.cards applies it
            return await self.on_binding(remote, payment_id) if self.on_binding else NotificationResult.IGNORED
        async with self.uow() as uow:
            repo = uow.payments
            payment = await repo.get(payment_id, lock=True)
            if remote.amount != payment.amount_kopecks:  # never ours to settle: set aside for staff
                await self._anomaly(uow, payment, AMOUNT_MISMATCH, now)
                await uow.commit()
                log.error("payment %s: the provider reports another amount; not applied", payment.id)
                return NotificationResult.IGNORED
            what = change(PaymentStatus(payment.status), remote.status)
            if what == Change.NONE:
                return NotificationResult.DUPLICATE
            if payment.provider_id is None:
                await repo.set_created(payment.id, remote.id, remote.confirmation_url, now)
            if what == Change.SETTLE:
                if not await repo.move(payment.id, payment.status, now, status=str(PaymentStatus.SUCCEEDED),
                                       settled_at=now, receipt_registration=remote.receipt_registration):
                    return NotificationResult.DUPLICATE
                queued_refund = await self._settle(uow, repo, payment, today, now)
            else:
                if not await repo.move(payment.id, str(PaymentStatus.PENDING), now, status=str(PaymentStatus.CANCELED),
                                       cancellation_reason=remote.cancellation_reason):
                    return NotificationResult.DUPLICATE
                released = await self._release(uow, payment.id, today, now)
                if payment.kind == AUTOPAY:
                    await self._autopay_failed(uow, payment, released, remote.cancellation_reason, now)
                else:
                    uow.billing.notify(payment.telegram_id, PAYMENT_CANCELED, {
                        "payment_id": payment.id, "amount": payment.amount_kopecks, "invoices": list(released),
                        "reason": remote.cancellation_reason,
                    }, now)  # fmt: skip
                uow.audit.record(now, "payment.canceled", object_type="payment", object_id=payment.id,
                                 reason=remote.cancellation_reason)  # fmt: skip
            await uow.commit()
        if queued_refund is not None:
            await self._send_refund(queued_refund)
        return NotificationResult.APPLIED

    async def _anomaly(
        self, uow: UnitOfWork, payment: models.Payment, reason: str, now: datetime, *, tell: bool = True
    ) -> None:
        """Set aside for staff (once): not read back any more; the payer told that it is being checked."""
        if not await uow.payments.mark_anomaly(payment.id, reason, now):
            return
        log.error("payment %s: anomaly %s, left to staff", payment.id, reason)
        uow.audit.record(now, "payment.anomaly", object_type="payment", object_id=payment.id, reason=reason)
        if tell:
            numbers = [item.number for item in await uow.payments.items([payment.id])]
            uow.billing.notify(payment.telegram_id, PAYMENT_CHECKING, {
                "payment_id": payment.id, "amount": payment.amount_kopecks, "invoices": numbers,
            }, now)  # fmt: skip

    async def _find(self, repo: PaymentRepository, remote: RemotePayment) -> models.Payment | None:
        """Ours by the provider's id, or — when our process died before storing that id — by the id we
        put in its metadata (only if the amount agrees and no other provider id is stored)."""
        payment = await repo.by_provider_id(remote.id)
        if payment is not None:
            return payment
        ours = remote.metadata.get("payment_id", "")
        if not ours.isdigit():
            return None
        payment = await repo.get(int(ours))
        if payment is None or payment.provider_id is not None or payment.amount_kopecks != remote.amount:
            return None
        return payment

    async def _settle(self, uow: UnitOfWork, repo: PaymentRepository, payment: models.Payment, today, now) -> int | None:  # noqa: ANN001
        """Pay its invoices (those already settled are refunded instead), restore access, tell the payer.
        Returns the id of the refund queued for invoices someone had already paid."""
        items = await repo.items([payment.id])
        by_number = {row.rule.number: row for row in await uow.invoices.rules((i.invoice_id for i in items), lock=True)}
        settlement = settle_payment((PaymentItem(item.number, item.amount_kopecks) for item in items),
                                    {number: row.rule for number, row in by_number.items()})  # fmt: skip
        for invoice in settlement.paid:
            await uow.invoices.save(by_number[invoice.number], invoice, now)
        refund_id = None
        if settlement.refunds:
            refund = models.Refund(
                payment_id=payment.id, idempotence_key=refund_key(payment.id, await repo.refund_count(payment.id) + 1),
                amount_kopecks=settlement.refund_total, reason=str(RefundReason.DOUBLE_PAYMENT),
                status=str(RefundStatus.PENDING), created_at=now, updated_at=now,
            )  # fmt: skip
            await repo.insert(refund)
            for item in settlement.refunds:
                repo.add(models.RefundInvoice(refund_id=refund.id, invoice_id=by_number[item.invoice].id,
                                              amount_kopecks=item.amount))  # fmt: skip
            refund_id = refund.id
        person_ids = {by_number[invoice.number].person_id for invoice in settlement.paid}
        await restore_paid_up(uow, person_ids, today, now)
        card = await repo.method(payment.payment_method_id) if payment.kind == AUTOPAY else None
        uow.billing.notify(payment.telegram_id, PAYMENT_SUCCEEDED, {
            "payment_id": payment.id, "amount": payment.amount_kopecks,
            "invoices": [invoice.number for invoice in settlement.paid], "refund": settlement.refund_total,
            **({"card": card.last4} if card else {}),
        }, now)  # fmt: skip
        uow.audit.record(now, "payment.succeeded", object_type="payment", object_id=payment.id,
                         invoices=len(settlement.paid), refund=settlement.refund_total)  # fmt: skip
        return refund_id

    async def _autopay_failed(self, uow: UnitOfWork, payment: models.Payment, released: tuple[str, ...],
                              reason: str | None, now: datetime) -> None:  # fmt: skip
        """An automatic charge that did not go through: its invoices are owed again; the payer is told."""
        card = await uow.payments.method(payment.payment_method_id)
        uow.billing.notify(payment.telegram_id, AUTOPAY_FAILED, {
            "invoices": list(released), "total": payment.amount_kopecks, "reason": reason,
            "last4": card.last4 if card else None,
        }, now)  # fmt: skip

    # Refunds ------------------------------------------------------------------------------------------

    async def refund(self, staff_telegram_id: int, payment_id: int, amount: int) -> RefundResult:
        """Give back `amount` kopecks of a succeeded payment (the staff desk calls this; the role is re-read
        here, `Forbidden` without it), spread over its invoices in number order, recorded per invoice. A
        pending refund of the same payment and amount (a second press) is that refund, not another."""
        if self.gateway is None:
            return RefundResult(refusal=UNAVAILABLE)
        now = self.clock.now()
        async with self.uow() as uow:
            self.roles.require(staff_telegram_id, Capability.REFUND)
            repo = uow.payments
            payment = await repo.get(payment_id, lock=True)
            if payment is None:
                return RefundResult(refusal=NOT_FOUND)
            if payment.status != PaymentStatus.SUCCEEDED:
                return RefundResult(refusal=NOT_REFUNDABLE)
            for earlier in await repo.refunds_of([payment_id]):
                if earlier.status == RefundStatus.PENDING and earlier.amount_kopecks == amount:
                    return RefundResult(await self._refund_record(repo, earlier))
            items = await repo.items([payment_id])
            given = await repo.refunded_per_invoice(payment_id)
            try:
                split = refund_split(
                    ((item.number, item.amount_kopecks, given.get(item.invoice_id, 0)) for item in items), amount
                )
            except ValueError:
                return RefundResult(refusal=TOO_MUCH)
            rows = {row.rule.number: row for row in await uow.invoices.rules(item.invoice_id for item in items)}
            if any(refund_refusal(rows[part.invoice].rule, part.amount) for part in split):
                return RefundResult(refusal=NOT_REFUNDABLE)
            refund = models.Refund(
                payment_id=payment_id, idempotence_key=refund_key(payment_id, await repo.refund_count(payment_id) + 1),
                amount_kopecks=amount, reason=str(RefundReason.REQUESTED), status=str(RefundStatus.PENDING),
                requested_by_telegram_id=staff_telegram_id, created_at=now, updated_at=now,
            )  # fmt: skip
            await repo.insert(refund)
            for part in split:
                repo.add(models.RefundInvoice(refund_id=refund.id, invoice_id=rows[part.invoice].id,
                                              amount_kopecks=part.amount))  # fmt: skip
            uow.audit.record(now, "refund.requested", actor=staff_telegram_id, object_type="payment",
                             object_id=payment_id, amount=amount)  # fmt: skip
            await uow.commit()
            refund_id = refund.id
        await self._send_refund(refund_id)
        async with self.uow() as uow:
            repo = uow.payments
            return RefundResult(await self._refund_record(repo, await repo.refund(refund_id)))

    async def _send_refund(self, refund_id: int) -> None:
        """Ask the provider for a stored pending refund: the request kept with its key, so asking again is
        safe."""
        assert self.gateway is not None
        async with self.uow() as uow:
            repo = uow.payments
            refund = await repo.refund(refund_id)
            if refund is None or refund.status != RefundStatus.PENDING or refund.anomaly is not None:
                return
            if refund.request is None:  # the first call: what it sends is kept for every retry
                await repo.keep_refund_request(refund_id, await self._refund_request(repo, refund))
                await uow.commit()
                refund = await repo.refund(refund_id)
            key, asked = refund.idempotence_key, refund.request
        try:
            remote = await self.gateway.create_refund(asked["payment_id"], asked["amount"], key,
                                                      receipt=receipt_from_data(asked["receipt"]))  # fmt: skip
        except OutcomeUnknown:
            log.warning("refund %s: the provider's answer is unknown; the job asks again", refund_id)
            return
        except Rejected as refused:
            if refused.key_reused:  # made or not, the key is taken: looked for among its payment's refunds
                log.warning("refund %s: the provider knows its key with another request", refund_id)
                await self._find_refund(refund_id)
                return
            log.warning("refund %s: the provider refused it (%s %s)", refund_id, refused.status, refused.code)
            async with self.uow() as uow:
                now = self.clock.now()
                if await uow.payments.move_refund(refund_id, str(RefundStatus.PENDING), now,
                                                                    status=str(RefundStatus.FAILED)):  # fmt: skip
                    uow.audit.record(now, "refund.failed", object_type="refund", object_id=refund_id)
                    await uow.commit()
            return
        await self.apply_refund(remote, refund_id)

    async def _refund_request(self, repo: PaymentRepository, refund: models.Refund) -> dict:
        """Everything a refund's call is built from: the provider's payment, the amount, the receipt."""
        payment = await repo.get(refund.payment_id)
        phone, email = _contact(await repo.customer(payment.payer_person_id))
        receipt = Receipt(
            items=tuple(ReceiptItem(document_text("receipt-item", number=row.number), row.amount_kopecks)
                        for row in await repo.refund_items(refund.id)),
            phone=phone, email=email,
        )  # fmt: skip
        return {"payment_id": payment.provider_id, "amount": refund.amount_kopecks, "receipt": receipt_data(receipt)}

    async def _find_refund(self, refund_id: int) -> bool:
        """A pending refund whose outcome is unknown, looked for among its payment's refunds at the provider
        (the oldest of its amount that no refund of ours is known by) and applied when found."""
        assert self.gateway is not None
        async with self.uow() as uow:
            repo = uow.payments
            refund = await repo.refund(refund_id)
            payment = await repo.get(refund.payment_id)
            known = await repo.refund_provider_ids(payment.id)
        try:
            remotes = await self.gateway.refunds_of(payment.provider_id)
        except (OutcomeUnknown, Rejected):
            return False
        found = [remote for remote in remotes if remote.id not in known and remote.amount == refund.amount_kopecks]
        if not found:
            return False
        await self.apply_refund(found[-1], refund_id)  # the list is newest first
        return True

    async def apply_refund(self, remote: RemoteRefund, refund_id: int | None = None) -> NotificationResult:
        """The provider's refund as it is now, applied to ours once: on success recorded on its invoices
        (a staff refund: REFUNDED when all that was paid is back) and the payer told."""
        now = self.clock.now()
        async with self.uow() as uow:
            repo = uow.payments
            refund = await repo.refund_by_provider_id(remote.id)
            if refund is None and refund_id is not None:
                refund = await repo.refund(refund_id)
            if refund is None and (payment := await repo.by_provider_id(remote.payment_id)) is not None:
                refund = await repo.unmatched_refund(payment.id, remote.amount)  # its answer was lost
            if refund is None:
                return NotificationResult.IGNORED
            if refund.status != RefundStatus.PENDING or remote.status not in ("succeeded", "canceled"):
                return NotificationResult.DUPLICATE
            target = RefundStatus.SUCCEEDED if remote.status == "succeeded" else RefundStatus.CANCELED
            if not await repo.move_refund(refund.id, str(RefundStatus.PENDING), now, status=str(target),
                                          provider_id=remote.id):  # fmt: skip
                return NotificationResult.DUPLICATE
            if target == RefundStatus.SUCCEEDED:
                items = await repo.refund_items(refund.id)
                if refund.reason == RefundReason.REQUESTED:
                    rows = {row.id: row for row in await uow.invoices.rules((i.invoice_id for i in items), lock=True)}
                    for item in items:
                        row = rows[item.invoice_id]
                        await uow.invoices.save(row, record_refund(row.rule, item.amount_kopecks), now)
                payment = await repo.get(refund.payment_id, lock=True)
                payment.refunded_kopecks += refund.amount_kopecks
                payment.updated_at = now
                uow.billing.notify(payment.telegram_id, PAYMENT_REFUNDED, {
                    "payment_id": payment.id, "amount": refund.amount_kopecks, "reason": refund.reason,
                    "invoices": [item.number for item in items],
                }, now)  # fmt: skip
            uow.audit.record(now, f"refund.{target}", object_type="refund", object_id=refund.id)
            await uow.commit()
        return NotificationResult.APPLIED

    # The job ------------------------------------------------------------------------------------------

    async def read_back_stale(self, limit: int = 100) -> ReadBackReport:
        """Pending payments older than an hour asked about (a lost notification, a crash before the
        provider answered); pending refunds asked for again with their keys. Safe to run at any time, in
        any number of processes."""
        if self.gateway is None:
            return ReadBackReport(0, 0)
        now = self.clock.now()
        async with self.uow() as uow:
            repo = uow.payments
            payments = await repo.stale(now - timedelta(seconds=STALE_AFTER_SECONDS), limit)
            refunds = await repo.pending_refunds(now - timedelta(minutes=1), limit)
        for payment_id in payments:
            if await self._expired_unknown(payment_id, now):
                continue
            await self.read_back(payment_id)
        for refund_id in refunds:
            if await self._refund_lapsed(refund_id, now):
                continue
            await self._send_refund(refund_id)
        return ReadBackReport(len(payments), len(refunds))

    async def _expired_unknown(self, payment_id: int, now: datetime) -> bool:
        """A payment the provider never confirmed creating, whose key has lapsed: asking again could make
        a new one, so it fails and its invoices are released. (Had the provider made and charged it, its
        notification finds it through the metadata and settles it — paying the invoices, or refunding.)"""
        async with self.uow() as uow:
            payment = await uow.payments.get(payment_id)
            lapsed = payment.provider_id is None and now - payment.created_at > KEY_LIFETIME
            if lapsed:  # staff check it; an automatic charge is not told "declined": it may have been made
                await self._anomaly(uow, payment, UNKNOWN_AFTER_KEY, now, tell=False)
                await uow.commit()
        if lapsed:
            await self._fail(payment_id, tell=False)
        return lapsed

    async def _refund_lapsed(self, refund_id: int, now: datetime) -> bool:
        """A refund still unknown when its key has lapsed: sent again it could be made twice. Looked for once
        more by its payment; not found, it is an anomaly for staff and never sent again."""
        async with self.uow() as uow:
            refund = await uow.payments.refund(refund_id)
            lapsed = now - refund.created_at > KEY_LIFETIME
        if not lapsed or await self._find_refund(refund_id):
            return lapsed
        async with self.uow() as uow:
            if await uow.payments.mark_refund_anomaly(refund_id, UNKNOWN_AFTER_KEY, now):
                log.error("refund %s: anomaly %s, left to staff", refund_id, UNKNOWN_AFTER_KEY)
                uow.audit.record(now, "refund.anomaly", object_type="refund", object_id=refund_id,
                                 reason=UNKNOWN_AFTER_KEY)  # fmt: skip
                await uow.commit()
        return True

    # Reading ------------------------------------------------------------------------------------------

    async def record(self, payment_id: int) -> PaymentRecord | None:
        async with self.uow() as uow:
            repo = uow.payments
            payment = await repo.get(payment_id)
            return None if payment is None else await self._record(repo, payment)

    async def history(self, viewer: Viewer, page: int, per_page: int = PER_PAGE) -> PaymentPage:
        """The viewer's payments as payer, newest first, with their invoices and refunds."""
        if viewer.person_id is None:
            return PaymentPage((), page_of(0, 0, per_page), 0)
        async with self.uow() as uow:
            repo = uow.payments
            count, _ = await repo.of_payer(viewer.person_id, 0, 0)
            shown = page_of(count, page, per_page)
            _, payments = await repo.of_payer(viewer.person_id, shown.start, shown.end - shown.start)
            records = await self._records(repo, payments)
        return PaymentPage(tuple(records), shown, count)

    async def _record(self, repo: PaymentRepository, payment: models.Payment) -> PaymentRecord:
        return (await self._records(repo, [payment]))[0]

    async def _records(self, repo: PaymentRepository, payments: list[models.Payment]) -> list[PaymentRecord]:
        ids = [payment.id for payment in payments]
        numbers: dict[int, list[str]] = {}
        for item in await repo.items(ids):
            numbers.setdefault(item.payment_id, []).append(item.number)
        refunds: dict[int, list[RefundRecord]] = {}
        for refund in await repo.refunds_of(ids):
            refunds.setdefault(refund.payment_id, []).append(await self._refund_record(repo, refund))
        return [
            PaymentRecord(
                payment_id=payment.id, status=PaymentStatus(payment.status), amount=payment.amount_kopecks,
                created_at=payment.created_at.astimezone(self.clock.zone), invoices=tuple(numbers.get(payment.id, ())),
                confirmation_url=payment.confirmation_url, cancellation_reason=payment.cancellation_reason,
                refunded=payment.refunded_kopecks, receipt_registered=payment.receipt_registration == "succeeded",
                refunds=tuple(refunds.get(payment.id, ())), checking=payment.anomaly is not None,
            )  # fmt: skip
            for payment in payments
        ]

    async def _refund_record(self, repo: PaymentRepository, refund: models.Refund) -> RefundRecord:
        items = await repo.refund_items(refund.id)
        return RefundRecord(refund.id, refund.amount_kopecks, RefundStatus(refund.status), RefundReason(refund.reason),
                            refund.created_at.astimezone(self.clock.zone), tuple(item.number for item in items))  # fmt: skip


def _contact(customer) -> tuple[str | None, str | None]:  # noqa: ANN001
    """The receipt's (phone, e-mail): the account's, else the registry's; (None, None) when neither."""
    if customer is None:
        return None, None
    return customer.phone or customer.person_phone or None, customer.email or customer.person_email or None


def _owed(invoice: StoredInvoice) -> Owed:
    total = total_to_pay(invoice.copay, invoice.rule.deposit_used, invoice.credited)
    return Owed(invoice.rule.number, invoice.rule.status, total)
