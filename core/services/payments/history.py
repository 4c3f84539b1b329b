"""The payer's history: payments with their invoices and refunds, as plain records."""

from __future__ import annotations

from core.billing.payments import PaymentStatus, RefundReason, RefundStatus
from core.cabinet.paging import page_of
from core.db import models
from core.db.payments import PaymentRepository
from core.services.payments.records import PER_PAGE, PaymentPage, PaymentRecord, RefundRecord
from core.services.viewers import Viewer


class History:
    """A part of `PaymentService` (`core.services.payments`), which holds the unit of work, the clock, the
    gateway and the roles."""

    async def record(self, payment_id: int) -> PaymentRecord | None:
        async with self.uow.reading() as uow:
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
                payment_id=payment.id,
                status=PaymentStatus(payment.status),
                amount=payment.amount_kopecks,
                created_at=payment.created_at.astimezone(self.clock.zone),
                invoices=tuple(numbers.get(payment.id, ())),
                confirmation_url=payment.confirmation_url,
                cancellation_reason=payment.cancellation_reason,
                refunded=payment.refunded_kopecks,
                receipt_registered=payment.receipt_registration == "succeeded",
                refunds=tuple(refunds.get(payment.id, ())),
                checking=payment.anomaly is not None,
            )
            for payment in payments
        ]

    async def _refund_record(self, repo: PaymentRepository, refund: models.Refund) -> RefundRecord:
        items = await repo.refund_items(refund.id)
        return RefundRecord(
            refund.id,
            refund.amount_kopecks,
            RefundStatus(refund.status),
            RefundReason(refund.reason),
            refund.created_at.astimezone(self.clock.zone),
            tuple(item.number for item in items),
        )
