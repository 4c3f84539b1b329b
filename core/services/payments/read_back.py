"""Reading back: a payment asked about at the provider now (the payer's check button, the automatic charges)
or by the job, which also sends pending refunds again with their keys; what is still unknown once the
provider forgets the key (24 h) is not asked again but left to staff."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from core.audit import AuditAction
from core.billing.payments import STALE_AFTER_SECONDS, PaymentStatus
from core.gateways.payments import OutcomeUnknown, Rejected
from core.services.payments.records import (
    KEY_LIFETIME,
    NOT_FOUND,
    UNAVAILABLE,
    UNKNOWN_AFTER_KEY,
    UNREACHABLE,
    PayResult,
    ReadBackReport,
)
from core.services.viewers import Viewer

log = logging.getLogger(__name__)


class ReadBack:
    """A part of `PaymentService` (`core.services.payments`), which holds the unit of work, the clock, the
    gateway and the roles."""

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
                uow.audit.record(
                    now, AuditAction.REFUND_ANOMALY, object_type="refund", object_id=refund_id, reason=UNKNOWN_AFTER_KEY
                )
                await uow.commit()
        return True
