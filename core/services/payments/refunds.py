"""Refunds: staff give back part of a succeeded payment (the role re-read in its own transaction), stored
with its key and request before the call, applied when the provider confirms it (found by its id, or — its
answer lost — by its payment and amount)."""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError

from core.actors import Capability
from core.audit import AuditAction
from core.billing.payments import PaymentStatus, RefundReason, RefundStatus, refund_key, refund_split
from core.billing.settlement import record_refund, refund_refusal
from core.db import models
from core.db.payments import PaymentRepository
from core.document_texts import document_text
from core.gateways.payments import (
    OutcomeUnknown,
    Receipt,
    ReceiptItem,
    Rejected,
    RemoteRefund,
    receipt_data,
    receipt_from_data,
)
from core.notices import PaymentRefunded
from core.services.payments.paying import receipt_contact
from core.services.payments.records import (
    CHANGED,
    NOT_FOUND,
    NOT_REFUNDABLE,
    TOO_MUCH,
    UNAVAILABLE,
    NotificationResult,
    RefundResult,
)

log = logging.getLogger(__name__)


class Refunds:
    """A part of `PaymentService` (`core.services.payments`), which holds the unit of work, the clock, the
    gateway and the roles."""

    async def refund(
        self,
        staff_telegram_id: int,
        payment_id: int,
        amount: int,
        *,
        expected: tuple[tuple[str, int, int], ...] | None = None,
    ) -> RefundResult:
        """Give back `amount` kopecks of a succeeded payment (the staff desk calls this; the role is re-read
        here, `Forbidden` without it), spread over its invoices in number order, recorded per invoice. A
        pending refund of the same payment and amount (a second press) is that refund, not another.
        `expected`: the (invoice number, amount, left to refund on it before) parts staff confirmed, checked
        under the payment's lock; any other split, or one of a payment refunded meanwhile (a second submit
        of the same confirmation), is refused (`changed`) rather than made."""
        if self.gateway is None:
            return RefundResult(refusal=UNAVAILABLE)
        now = self.clock.now()
        async with self.uow() as uow:
            await self.roles.require(uow, staff_telegram_id, Capability.REFUND)
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
            left = {item.number: item.amount_kopecks - given.get(item.invoice_id, 0) for item in items}
            if expected is not None and tuple((p.invoice, p.amount, left[p.invoice]) for p in split) != expected:
                return RefundResult(refusal=CHANGED)
            rows = {row.rule.number: row for row in await uow.invoices.rules(item.invoice_id for item in items)}
            if any(refund_refusal(rows[part.invoice].rule, part.amount) for part in split):
                return RefundResult(refusal=NOT_REFUNDABLE)
            refund = models.Refund(
                payment_id=payment_id,
                idempotence_key=refund_key(payment_id, await repo.refund_count(payment_id) + 1),
                amount_kopecks=amount,
                reason=str(RefundReason.REQUESTED),
                status=str(RefundStatus.PENDING),
                requested_by_telegram_id=staff_telegram_id,
                created_at=now,
                updated_at=now,
            )
            try:
                await repo.insert(refund)
            except IntegrityError:  # its key taken by a refund made meanwhile (SQLite: no row lock)
                await uow.rollback()
                return RefundResult(refusal=CHANGED)
            # Read again under the write lock the insert took (SQLite has no row lock; PostgreSQL holds the
            # payment's): a refund made since the first reading (a second submit) is not made twice.
            if await repo.refunded_per_invoice(payment_id) != given:
                await uow.rollback()
                return RefundResult(refusal=CHANGED)
            for part in split:
                repo.add(
                    models.RefundInvoice(
                        refund_id=refund.id, invoice_id=rows[part.invoice].id, amount_kopecks=part.amount
                    )
                )
            uow.audit.record(
                now,
                AuditAction.REFUND_REQUESTED,
                actor=staff_telegram_id,
                object_type="payment",
                object_id=payment_id,
                amount=amount,
            )
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
            remote = await self.gateway.create_refund(
                asked["payment_id"], asked["amount"], key, receipt=receipt_from_data(asked["receipt"])
            )
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
                if await uow.payments.move_refund(
                    refund_id, str(RefundStatus.PENDING), now, status=str(RefundStatus.FAILED)
                ):
                    uow.audit.record(now, AuditAction.REFUND_FAILED, object_type="refund", object_id=refund_id)
                    await uow.commit()
            return
        await self.apply_refund(remote, refund_id)

    async def _refund_request(self, repo: PaymentRepository, refund: models.Refund) -> dict:
        """Everything a refund's call is built from: the provider's payment, the amount, the receipt."""
        payment = await repo.get(refund.payment_id)
        phone, email = receipt_contact(await repo.customer(payment.payer_person_id))
        receipt = Receipt(
            items=tuple(
                ReceiptItem(document_text("receipt-item", number=row.number), row.amount_kopecks)
                for row in await repo.refund_items(refund.id)
            ),
            phone=phone,
            email=email,
        )
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
            if not await repo.move_refund(
                refund.id, str(RefundStatus.PENDING), now, status=str(target), provider_id=remote.id
            ):
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
                notice = PaymentRefunded(
                    to=payment.telegram_id,
                    payment_id=payment.id,
                    amount=refund.amount_kopecks,
                    invoices=tuple(item.number for item in items),
                    reason=RefundReason(refund.reason),
                )
                uow.outbox.add(notice, now)
            uow.audit.record(
                now,
                AuditAction.REFUND_SUCCEEDED if target == RefundStatus.SUCCEEDED else AuditAction.REFUND_CANCELED,
                object_type="refund",
                object_id=refund.id,
            )
            await uow.commit()
        return NotificationResult.APPLIED
