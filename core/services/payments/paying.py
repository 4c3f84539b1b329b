"""Paying: one payment for the payer's invoices, stored with its key and request before the provider is
called, created there (again with the same key when its answer was lost), failed and released when the
provider refuses it; the receipt's contact."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from core.audit import AuditAction
from core.billing.payments import Owed, PaymentStatus, PayRefusal, invoice_set, pay_refusal, payment_items, payment_key
from core.billing.settlement import payment_canceled, start_payment
from core.billing.status import InvoiceStatus
from core.db import models
from core.db.invoices import StoredInvoice
from core.db.payments import PaymentRepository
from core.db.uow import UnitOfWork
from core.document_texts import document_text
from core.gateways.payments import (
    OutcomeUnknown,
    PaymentRequest,
    Receipt,
    ReceiptItem,
    Rejected,
    request_data,
    request_from_data,
)
from core.normalize import email_key
from core.services.invoices import total_to_pay
from core.services.payments.records import (
    AUTOPAY,
    AUTOPAY_UNDER_WAY,
    BINDING,
    NEEDS_EMAIL,
    NOT_FOUND,
    PROVIDER_REFUSED,
    UNAVAILABLE,
    UNREACHABLE,
    PayResult,
)
from core.services.viewers import Viewer

log = logging.getLogger(__name__)


class Paying:
    """A part of `PaymentService` (`core.services.payments`), which holds the unit of work, the clock, the
    gateway and the roles."""

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
            if refusal is None and not any(receipt_contact(await repo.customer(viewer.person_id))):
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
            uow.audit.record(
                now,
                AuditAction.EMAIL_CHANGED,
                actor=viewer.telegram_id,
                object_type="account",
                object_id=viewer.account_id,
                reason="receipt",
            )
            try:
                await uow.commit()
            except IntegrityError:  # another account took it in between
                return False
        return True

    async def _store(self, uow: UnitOfWork, repo: PaymentRepository, viewer: Viewer, rows, owed, now) -> int | None:
        """The payment row, its items and its invoices in PENDING, committed; None when another press got
        there first (the invoices moved, or the key is taken)."""
        chosen = invoice_set(row.id for row in rows)
        attempt = await repo.attempts(chosen) + 1
        items = {item.invoice: item.amount for item in payment_items(owed)}
        payment = models.Payment(
            idempotence_key=payment_key((row.id for row in rows), attempt),
            invoice_set=chosen,
            attempt=attempt,
            payer_person_id=viewer.person_id,
            telegram_id=viewer.telegram_id,
            amount_kopecks=sum(items.values()),
            status=str(PaymentStatus.PENDING),
            refunded_kopecks=0,
            created_at=now,
            updated_at=now,
        )
        try:
            await repo.insert(payment)
        except IntegrityError:
            await uow.rollback()
            return None
        for row in rows:
            if not await uow.invoices.save(row, start_payment(row.rule), now):
                await uow.rollback()
                return None
            repo.add(
                models.PaymentInvoice(payment_id=payment.id, invoice_id=row.id, amount_kopecks=items[row.rule.number])
            )
        uow.audit.record(
            now,
            AuditAction.PAYMENT_STARTED,
            actor=viewer.telegram_id,
            object_type="payment",
            object_id=payment.id,
            invoices=len(rows),
            amount=payment.amount_kopecks,
        )
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
        phone, email = receipt_contact(await repo.customer(payment.payer_person_id))
        metadata = {"payment_id": str(payment.id)}
        if payment.kind == BINDING:
            item = ReceiptItem(document_text("binding-receipt-item"), payment.amount_kopecks)
            return PaymentRequest(
                amount=payment.amount_kopecks,
                description=document_text("binding-description"),
                metadata=metadata,
                receipt=Receipt(items=(item,), phone=phone, email=email),
                return_url=self.return_to(payment.id),
                capture=False,
                save_payment_method=True,
            )
        items = await repo.items([payment.id])
        numbers = [row.number for row in items]
        method = await repo.method(payment.payment_method_id) if payment.kind == AUTOPAY else None
        return PaymentRequest(
            amount=payment.amount_kopecks,
            description=document_text("payment-description", numbers=", ".join(numbers)),
            metadata=metadata,
            receipt=Receipt(
                items=tuple(
                    ReceiptItem(document_text("receipt-item", number=row.number), row.amount_kopecks) for row in items
                ),
                phone=phone,
                email=email,
            ),
            return_url=None if method else self.return_to(payment.id),
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
            uow.audit.record(now, AuditAction.PAYMENT_FAILED, object_type="payment", object_id=payment_id)
            await uow.commit()

    async def _release(self, uow: UnitOfWork, payment_id: int, today, now: datetime) -> tuple[str, ...]:
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

    async def _owns(self, viewer: Viewer, payment_id: int) -> bool:
        if viewer.person_id is None:
            return False
        async with self.uow() as uow:
            payment = await uow.payments.get(payment_id)
        return payment is not None and payment.payer_person_id == viewer.person_id


def receipt_contact(customer) -> tuple[str | None, str | None]:
    """The receipt's (phone, e-mail): the account's, else the registry's; (None, None) when neither."""
    if customer is None:
        return None, None
    return customer.phone or customer.person_phone or None, customer.email or customer.person_email or None


def _owed(invoice: StoredInvoice) -> Owed:
    total = total_to_pay(invoice.copay, invoice.rule.deposit_used, invoice.credited)
    return Owed(invoice.rule.number, invoice.rule.status, total)
