"""What the provider says: a notification is only a signal, the payment is re-read from the provider and
its status applied once, in one transaction with its invoices, the access restored, the refund owed for
invoices someone already paid and the notice to the payer; another amount than ours is set aside for staff."""

from __future__ import annotations

import logging
from datetime import datetime

from core.audit import AuditAction
from core.billing.payments import Change, PaymentStatus, RefundReason, RefundStatus, change, refund_key
from core.billing.settlement import PaymentItem, settle_payment
from core.db import models
from core.db.payments import PaymentRepository
from core.db.uow import UnitOfWork
from core.desk.queue import ItemKind
from core.gateways.payments import OutcomeUnknown, Rejected, RemotePayment, parse_notification
from core.notices import AutopayFailed, PaymentCanceled, PaymentChecking, PaymentSucceeded
from core.services.access import restore_paid_up
from core.services.payments.records import (
    AMOUNT_MISMATCH,
    AUTOPAY,
    BINDING,
    NotificationResult,
)
from core.services.staff_told import tell_staff

log = logging.getLogger(__name__)


class Notifications:
    """A part of `PaymentService` (`core.services.payments`), which holds the unit of work, the clock, the
    gateway and the roles."""

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
                if not await repo.move(
                    payment.id,
                    payment.status,
                    now,
                    status=str(PaymentStatus.SUCCEEDED),
                    settled_at=now,
                    receipt_registration=remote.receipt_registration,
                ):
                    return NotificationResult.DUPLICATE
                queued_refund = await self._settle(uow, repo, payment, today, now)
            else:
                if not await repo.move(
                    payment.id,
                    str(PaymentStatus.PENDING),
                    now,
                    status=str(PaymentStatus.CANCELED),
                    cancellation_reason=remote.cancellation_reason,
                ):
                    return NotificationResult.DUPLICATE
                released = await self._release(uow, payment.id, today, now)
                if payment.kind == AUTOPAY:
                    await self._autopay_failed(uow, payment, released, remote.cancellation_reason, now)
                else:
                    notice = PaymentCanceled(
                        to=payment.telegram_id,
                        payment_id=payment.id,
                        amount=payment.amount_kopecks,
                        invoices=released,
                        reason=remote.cancellation_reason,
                    )
                    uow.outbox.add(notice, now)
                uow.audit.record(
                    now,
                    AuditAction.PAYMENT_CANCELED,
                    object_type="payment",
                    object_id=payment.id,
                    reason=remote.cancellation_reason,
                )
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
        uow.audit.record(now, AuditAction.PAYMENT_ANOMALY, object_type="payment", object_id=payment.id, reason=reason)
        await tell_staff(uow, self.roles, ItemKind.ANOMALY, payment.id, now)
        if tell:
            numbers = tuple(item.number for item in await uow.payments.items([payment.id]))
            notice = PaymentChecking(
                to=payment.telegram_id, payment_id=payment.id, amount=payment.amount_kopecks, invoices=numbers
            )
            uow.outbox.add(notice, now)

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

    async def _settle(
        self, uow: UnitOfWork, repo: PaymentRepository, payment: models.Payment, today, now
    ) -> int | None:
        """Pay its invoices (those already settled are refunded instead), restore access, tell the payer.
        Returns the id of the refund queued for invoices someone had already paid."""
        items = await repo.items([payment.id])
        by_number = {row.rule.number: row for row in await uow.invoices.rules((i.invoice_id for i in items), lock=True)}
        settlement = settle_payment(
            (PaymentItem(item.number, item.amount_kopecks) for item in items),
            {number: row.rule for number, row in by_number.items()},
        )
        for invoice in settlement.paid:
            await uow.invoices.save(by_number[invoice.number], invoice, now)
        refund_id = None
        if settlement.refunds:
            refund = models.Refund(
                payment_id=payment.id,
                idempotence_key=refund_key(payment.id, await repo.refund_count(payment.id) + 1),
                amount_kopecks=settlement.refund_total,
                reason=str(RefundReason.DOUBLE_PAYMENT),
                status=str(RefundStatus.PENDING),
                created_at=now,
                updated_at=now,
            )
            await repo.insert(refund)
            for item in settlement.refunds:
                repo.add(
                    models.RefundInvoice(
                        refund_id=refund.id, invoice_id=by_number[item.invoice].id, amount_kopecks=item.amount
                    )
                )
            refund_id = refund.id
        person_ids = {by_number[invoice.number].person_id for invoice in settlement.paid}
        await restore_paid_up(uow, person_ids, today, now)
        card = await repo.method(payment.payment_method_id) if payment.kind == AUTOPAY else None
        notice = PaymentSucceeded(
            to=payment.telegram_id,
            payment_id=payment.id,
            amount=payment.amount_kopecks,
            invoices=tuple(invoice.number for invoice in settlement.paid),
            refund=settlement.refund_total,
            card=card.last4 if card else None,
        )
        uow.outbox.add(notice, now)
        uow.audit.record(
            now,
            AuditAction.PAYMENT_SUCCEEDED,
            object_type="payment",
            object_id=payment.id,
            invoices=len(settlement.paid),
            refund=settlement.refund_total,
        )
        return refund_id

    async def _autopay_failed(
        self, uow: UnitOfWork, payment: models.Payment, released: tuple[str, ...], reason: str | None, now: datetime
    ) -> None:
        """An automatic charge that did not go through: its invoices are owed again; the payer is told."""
        card = await uow.payments.method(payment.payment_method_id)
        notice = AutopayFailed(
            to=payment.telegram_id,
            invoices=released,
            total=payment.amount_kopecks,
            reason=reason,
            last4=card.last4 if card else None,
        )
        uow.outbox.add(notice, now)
