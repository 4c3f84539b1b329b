"""The admin's money actions on the desk (rules: `core.desk.money`): an invoice's and a payment's details
as staff see them, then a plan (what will happen to which invoices, for how much) shown for confirmation,
then the action, which computes the plan again in its own transaction and applies exactly that plan — or
refuses (`changed`) when the invoices moved meanwhile.

- mark paid offline (with a reference), cancel (with a reason): one transaction with the invoice, the
  payer's notice, the restriction lifted when nothing of the person is overdue any more, and the audit;
- refund: through `PaymentService.refund` (its key and request stored before the call, the provider's
  answer read back, the payer told when the refund succeeds), held to the split confirmed;
- a payment anomaly of the queue: its invoices marked paid, or the payment refunded (both close the
  anomaly), or dismissed with a comment.

Every call re-reads the caller's role in its transaction (`RoleDirectory.require`): `Forbidden` for
anyone without the action's capability, whatever the front end showed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.actors import Capability
from core.audit import AuditAction
from core.billing.payments import PaymentStatus
from core.billing.settlement import cancel
from core.billing.status import UNPAID, InvoiceStatus
from core.calendar import Clock
from core.db.invoices import StoredInvoice
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.desk.money import (
    NEEDS,
    MoneyAction,
    MoneyPlan,
    MoneyRefusal,
    MoneyRefused,
    Owed,
    PaidItem,
    marked_paid,
    may,
    plan_cancel,
    plan_mark_paid,
    plan_refund,
    read_reason,
    read_reference,
    refundable,
)
from core.desk.queue import ItemKind
from core.notices import InvoiceCancelled, InvoiceMarkedPaid
from core.services.access import restore_paid_up
from core.services.invoices import total_to_pay
from core.services.payments import PaymentService
from core.services.roles import RoleDirectory

_REFUSALS = {refusal.value: refusal for refusal in MoneyRefusal}


@dataclass(frozen=True)
class InvoiceCard:
    invoice_id: int
    number: str
    status: InvoiceStatus
    issued_on: date
    due_on: date
    copay: int  # kopecks
    deposit_used: int
    credited: int
    total: int  # left to pay
    paid: int
    refunded: int
    insured_person_id: int
    payer_person_id: int | None
    paid_how: str | None
    paid_at: datetime | None  # the operator's clock
    offline_reference: str | None  # staff's words: escape before showing
    cancelled_at: datetime | None
    cancel_reason: str | None
    payments: tuple[int, ...]  # the payments that carried it
    actions: tuple[MoneyAction, ...]  # what this member may do with it now


@dataclass(frozen=True)
class PaymentCard:
    payment_id: int
    provider_id: str | None
    status: str
    amount: int
    refunded: int  # given back so far (succeeded refunds)
    refundable: int  # left to refund (pending refunds counted as given)
    created_at: datetime
    payer_person_id: int
    invoices: tuple[tuple[int, str], ...]  # (id, number)
    anomaly: str | None
    anomaly_open: bool  # still in the queue
    actions: tuple[MoneyAction, ...]


@dataclass(frozen=True)
class MoneyOutcome:
    plan: MoneyPlan | None  # what was done (None when refused)
    refusal: MoneyRefusal | None = None
    refund_status: str | None = None  # a refund's, as the provider answered (pending until it confirms)


class MoneyService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, roles: RoleDirectory, payments: PaymentService) -> None:
        self.uow = uow
        self.clock = clock
        self.roles = roles
        self.payments = payments

    # --- details

    async def invoice(self, staff_telegram_id: int, invoice_id: int) -> InvoiceCard | None:
        async with self.uow() as uow:
            role = await self.roles.require(uow, staff_telegram_id, Capability.VIEW_RECORD)
            row = await uow.desk.invoice(invoice_id)
            if row is None:
                return None
            total = total_to_pay(row.copay_kopecks, row.deposit_used_kopecks, row.credited_kopecks)
            status = InvoiceStatus(row.status)
            actions = tuple(
                action
                for action in (MoneyAction.MARK_PAID, MoneyAction.CANCEL)
                if may(role, action) and status in UNPAID
            )
            local = self.clock.local
            return InvoiceCard(
                invoice_id=row.id,
                number=row.number,
                status=status,
                issued_on=row.issued_on,
                due_on=row.due_on,
                copay=row.copay_kopecks,
                deposit_used=row.deposit_used_kopecks,
                credited=row.credited_kopecks,
                total=total,
                paid=row.paid_kopecks,
                refunded=row.refunded_kopecks,
                insured_person_id=row.person_id,
                payer_person_id=row.payer_person_id,
                paid_how=row.paid_how,
                paid_at=local(row.paid_at) if row.paid_at else None,
                offline_reference=row.offline_reference,
                cancelled_at=local(row.cancelled_at) if row.cancelled_at else None,
                cancel_reason=row.cancel_reason,
                payments=tuple(p.id for p in await uow.desk.payments_of_invoice(row.id)),
                actions=actions,
            )

    async def payment(self, staff_telegram_id: int, payment_id: int) -> PaymentCard | None:
        async with self.uow() as uow:
            role = await self.roles.require(uow, staff_telegram_id, Capability.VIEW_RECORD)
            payment = await uow.payments.get(payment_id)
            if payment is None:
                return None
            items = await self._paid_items(uow, payment_id)
            anomaly = await uow.queue.anomaly(payment_id)
            anomaly_open = anomaly is not None and not anomaly.checked
            left = refundable(items) if payment.status == PaymentStatus.SUCCEEDED else 0
            possible = {
                MoneyAction.REFUND: left > 0,
                MoneyAction.MARK_PAID: anomaly_open,
                MoneyAction.DISMISS: anomaly_open,
            }
            return PaymentCard(
                payment_id=payment.id,
                provider_id=payment.provider_id,
                status=payment.status,
                amount=payment.amount_kopecks,
                refunded=payment.refunded_kopecks,
                refundable=left,
                created_at=self.clock.local(payment.created_at),
                payer_person_id=payment.payer_person_id,
                invoices=tuple((item.invoice_id, item.invoice.number) for item in items),
                anomaly=payment.anomaly,
                anomaly_open=anomaly_open,
                actions=tuple(action for action, ok in possible.items() if ok and may(role, action)),
            )

    # --- plans

    async def plan(
        self,
        staff_telegram_id: int,
        action: MoneyAction,
        *,
        invoice_id: int | None = None,
        payment_id: int | None = None,
        amount: int | None = None,
    ) -> MoneyPlan:
        """What `action` would do now, for the confirmation. MoneyRefused, Forbidden."""
        async with self.uow() as uow:
            await self.roles.require(uow, staff_telegram_id, NEEDS[action])
            return await self._plan(uow, action, invoice_id, payment_id, amount)

    async def _plan(
        self,
        uow: UnitOfWork,
        action: MoneyAction,
        invoice_id: int | None,
        payment_id: int | None,
        amount: int | None,
        *,
        lock: bool = False,
    ) -> MoneyPlan:
        if invoice_id is not None and action in (MoneyAction.MARK_PAID, MoneyAction.CANCEL):
            rows = await uow.invoices.rules([invoice_id], lock=lock)
            if not rows:
                raise MoneyRefused(MoneyRefusal.NOT_FOUND)
            owed = _owed(rows[0])
            return plan_mark_paid([owed]) if action is MoneyAction.MARK_PAID else plan_cancel(owed)
        payment = None if payment_id is None else await uow.payments.get(payment_id, lock=lock)
        if payment is None or action is MoneyAction.CANCEL:
            raise MoneyRefused(MoneyRefusal.NOT_FOUND)
        if action is MoneyAction.REFUND:
            if payment.status != PaymentStatus.SUCCEEDED:
                raise MoneyRefused(MoneyRefusal.NOT_REFUNDABLE)
            return plan_refund(payment_id, await self._paid_items(uow, payment_id), amount)
        anomaly = await uow.queue.anomaly(payment_id)
        if anomaly is None or anomaly.checked:  # settling a payment's invoices, or dismissing: anomalies only
            raise MoneyRefused(MoneyRefusal.NOTHING)
        if action is MoneyAction.DISMISS:
            return MoneyPlan(MoneyAction.DISMISS, (), payment_id)
        ids = [item.invoice_id for item in await uow.payments.items([payment_id])]
        owed = [_owed(row) for row in await uow.invoices.rules(ids, lock=lock)]
        # Invoices PENDING are in this payment only while it is pending (a failed one released them).
        return plan_mark_paid(owed, payment_id, pending_in_it=payment.status == PaymentStatus.PENDING)

    async def _paid_items(self, uow: UnitOfWork, payment_id: int) -> list[PaidItem]:
        items = await uow.payments.items([payment_id])
        given = await uow.payments.refunded_per_invoice(payment_id)
        rows = {row.id: row for row in await uow.invoices.rules(item.invoice_id for item in items)}
        return [
            PaidItem(item.invoice_id, rows[item.invoice_id].rule, item.amount_kopecks, given.get(item.invoice_id, 0))
            for item in items
        ]

    # --- actions

    async def apply(
        self,
        staff_telegram_id: int,
        action: MoneyAction,
        shown: list[list],
        *,
        invoice_id: int | None = None,
        payment_id: int | None = None,
        amount: int | None = None,
        text: str | None = None,
    ) -> MoneyOutcome:
        """Does what the plan `shown` (`MoneyPlan.stored()`) said, when the plan computed now is the same;
        else `changed` and nothing is done. `text`: the reference (mark paid), the reason (cancel), the
        comment (dismiss), read again by `core.desk.money` (InputError). Forbidden without the capability."""
        if action is MoneyAction.REFUND:
            return await self._refund(staff_telegram_id, payment_id, amount, shown)
        now, today = self.clock.now(), self.clock.today()
        async with self.uow() as uow:
            await self.roles.require(uow, staff_telegram_id, NEEDS[action])
            text = (read_reference if action is MoneyAction.MARK_PAID else read_reason)(text or "")
            try:
                plan = await self._plan(uow, action, invoice_id, payment_id, amount, lock=True)
            except MoneyRefused as refused:
                return _refused_now(refused)
            if not plan.same_as(shown):
                return MoneyOutcome(None, MoneyRefusal.CHANGED)
            if action is MoneyAction.DISMISS:
                await uow.queue.close(ItemKind.ANOMALY.value, payment_id, now, comment=text)
                uow.audit.record(
                    now,
                    AuditAction.ANOMALY_DISMISSED,
                    actor=staff_telegram_id,
                    object_type="payment",
                    object_id=payment_id,
                )
                await uow.commit()
                return MoneyOutcome(plan)
            rows = {row.id: row for row in await uow.invoices.rules((c.invoice_id for c in plan.changes), lock=True)}
            for change in plan.changes:
                row = rows[change.invoice_id]
                if action is MoneyAction.MARK_PAID:
                    saved = await uow.invoices.save(
                        row, marked_paid(row.rule, change.amount, today), now, offline_reference=text
                    )
                    notice = InvoiceMarkedPaid
                    audit = AuditAction.INVOICE_MARKED_PAID
                else:
                    saved = await uow.invoices.save(row, cancel(row.rule), now, cancel_reason=text)
                    notice, audit = InvoiceCancelled, AuditAction.INVOICE_CANCELLED
                if not saved:  # a concurrent change got there first (SQLite: no row lock)
                    await uow.rollback()
                    return MoneyOutcome(None, MoneyRefusal.CHANGED)
                payer = (await uow.accounts.of_people([row.payer_person_id])).get(row.payer_person_id)
                if payer is not None:
                    uow.outbox.add(
                        notice(to=payer[1], invoice=change.number, person_id=row.person_id, amount=change.amount), now
                    )
                uow.audit.record(
                    now,
                    audit,
                    actor=staff_telegram_id,
                    object_type="invoice",
                    object_id=change.invoice_id,
                    amount=change.amount,
                    **({} if payment_id is None else {"payment": payment_id}),
                )
            await restore_paid_up(uow, {row.person_id for row in rows.values()}, today, now)
            if payment_id is not None:
                await self._settled(uow, staff_telegram_id, payment_id, "paid", now)
            await uow.commit()
        return MoneyOutcome(plan)

    async def _refund(
        self, staff_telegram_id: int, payment_id: int | None, amount: int | None, shown: list[list]
    ) -> MoneyOutcome:
        async with self.uow() as uow:
            await self.roles.require(uow, staff_telegram_id, Capability.REFUND)
            try:
                plan = await self._plan(uow, MoneyAction.REFUND, None, payment_id, amount)
            except MoneyRefused as refused:
                return _refused_now(refused)
        if not plan.same_as(shown):
            return MoneyOutcome(None, MoneyRefusal.CHANGED)
        parts = tuple((change.number, change.amount, change.left) for change in plan.changes)
        result = await self.payments.refund(staff_telegram_id, payment_id, plan.amount, expected=parts)
        if result.refusal is not None:
            return MoneyOutcome(None, _REFUSALS.get(result.refusal, MoneyRefusal.CHANGED))
        async with self.uow() as uow:
            anomaly = await uow.queue.anomaly(payment_id)
            if anomaly is not None and not anomaly.checked:
                await self._settled(uow, staff_telegram_id, payment_id, "refund", self.clock.now())
                await uow.commit()
        return MoneyOutcome(plan, refund_status=str(result.refund.status))

    async def _settled(self, uow: UnitOfWork, staff_telegram_id: int, payment_id: int, how: str, now: datetime) -> None:
        """The anomaly of this payment, settled by a money action: out of the queue, audited."""
        await uow.queue.close(ItemKind.ANOMALY.value, payment_id, now)
        uow.audit.record(
            now,
            AuditAction.ANOMALY_SETTLED,
            actor=staff_telegram_id,
            object_type="payment",
            object_id=payment_id,
            reason=how,
        )


def _refused_now(refused: MoneyRefused) -> MoneyOutcome:
    """A plan shown that cannot be made any more: its invoices changed (paid, cancelled, refunded) since."""
    gone = refused.refusal in (MoneyRefusal.NOT_FOUND, MoneyRefusal.UNAVAILABLE)
    return MoneyOutcome(None, refused.refusal if gone else MoneyRefusal.CHANGED)


def _owed(row: StoredInvoice) -> Owed:
    return Owed(row.id, row.rule, total_to_pay(row.copay, row.rule.deposit_used, row.credited))


__all__ = ["InvoiceCard", "MoneyOutcome", "MoneyService", "PaymentCard"]
