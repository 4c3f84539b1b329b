"""Payments and refunds stored (`PaymentRepository`): what `core.services.payments` reads and writes.

Status changes are conditional updates (`WHERE status = <what was read>`): two processes applying the same
provider answer at once both run the statement and only one changes the row (`rowcount`), so a payment is
credited once however many notifications, presses and read-backs race."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import Row, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.cards import expired
from core.db.models import (
    Account,
    InsuredPerson,
    Invoice,
    Payment,
    PaymentInvoice,
    PaymentMethod,
    Refund,
    RefundInvoice,
)


class PaymentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # Payments -----------------------------------------------------------------------------------------

    async def attempts(self, invoice_set: str) -> int:
        return await self.session.scalar(select(func.count(Payment.id)).where(Payment.invoice_set == invoice_set))

    def add(self, row: Payment | PaymentInvoice | Refund | RefundInvoice) -> None:
        self.session.add(row)

    async def insert(self, row: Payment | Refund) -> None:
        """Stored now, within the transaction: its id is known, and a key already taken raises
        IntegrityError here."""
        self.session.add(row)
        await self.session.flush()

    async def get(self, payment_id: int, *, lock: bool = False) -> Payment | None:
        query = select(Payment).where(Payment.id == payment_id).execution_options(populate_existing=True)
        if lock:
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def by_provider_id(self, provider_id: str) -> Payment | None:
        return await self.session.scalar(select(Payment).where(Payment.provider_id == provider_id))

    async def pending_with(self, payer_person_id: int, invoice_ids: Iterable[int]) -> Payment | None:
        """The latest pending payment of this payer covering any of these invoices."""
        ids = list(set(invoice_ids))
        if not ids:
            return None
        query = (
            select(Payment)
            .join(PaymentInvoice, PaymentInvoice.payment_id == Payment.id)
            .where(
                Payment.payer_person_id == payer_person_id,
                Payment.status == "pending",
                PaymentInvoice.invoice_id.in_(ids),
            )
            .order_by(Payment.id.desc())
            .limit(1)
        )
        return await self.session.scalar(query)

    async def items(self, payment_ids: Iterable[int]) -> list[Row]:
        """(payment id, invoice id, invoice number, amount) of these payments, by invoice number."""
        ids = list(set(payment_ids))
        if not ids:
            return []
        query = (
            select(PaymentInvoice.payment_id, PaymentInvoice.invoice_id, Invoice.number, PaymentInvoice.amount_kopecks)
            .join(Invoice, Invoice.id == PaymentInvoice.invoice_id)
            .where(PaymentInvoice.payment_id.in_(ids))
            .order_by(Invoice.number)
        )
        return list(await self.session.execute(query))

    async def move(self, payment_id: int, expected: str, now: datetime, **values: object) -> bool:
        """Change a payment only if its status is still `expected`."""
        _forget_request(values)
        result = await self.session.execute(
            update(Payment)
            .where(Payment.id == payment_id, Payment.status == expected)
            .values(updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def set_created(self, payment_id: int, provider_id: str, confirmation_url: str | None, now: datetime) -> None:
        """The provider's id and page, once known (the same on every retry with the key)."""
        await self.session.execute(
            update(Payment)
            .where(Payment.id == payment_id)
            .values(provider_id=provider_id, confirmation_url=confirmation_url, updated_at=now)
            .execution_options(synchronize_session=False)
        )

    async def keep_request(self, payment_id: int, request: dict) -> None:
        """The request prepared for the provider, unless one is stored already (another process prepared it
        first: its own is what is sent)."""
        await self.session.execute(
            update(Payment)
            .where(Payment.id == payment_id, Payment.request.is_(None))
            .values(request=request)
            .execution_options(synchronize_session=False)
        )

    async def mark_anomaly(self, payment_id: int, reason: str, now: datetime) -> bool:
        """Set aside for staff, once: False when it already was."""
        result = await self.session.execute(
            update(Payment)
            .where(Payment.id == payment_id, Payment.anomaly.is_(None))
            .values(anomaly=reason, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def may_charge(self, payment: Payment, today: date) -> bool:
        """An automatic charge may still be made: its card not removed nor expired, and its payer's account
        there with automatic charges on."""
        card = await self.method(payment.payment_method_id)
        autopay = await self.session.scalar(
            select(Account.autopay).where(Account.insured_person_id == payment.payer_person_id)
        )
        return bool(
            card and card.removed_at is None and autopay and not expired(card.expiry_month, card.expiry_year, today)
        )

    async def paid_by(self, invoice_id: int) -> Row | None:
        """The succeeded payment that paid this invoice (the first settled, should a second have paid it
        again): its id, when it settled, its kind, and the last digits of the saved card an automatic
        charge used."""
        query = (
            select(Payment.id, Payment.settled_at, Payment.kind, PaymentMethod.last4)
            .join(PaymentInvoice, PaymentInvoice.payment_id == Payment.id)
            .outerjoin(PaymentMethod, PaymentMethod.id == Payment.payment_method_id)
            .where(PaymentInvoice.invoice_id == invoice_id, Payment.status == "succeeded")
            .order_by(Payment.settled_at, Payment.id)
            .limit(1)
        )
        return (await self.session.execute(query)).first()

    async def method(self, method_id: int | None) -> PaymentMethod | None:
        """A saved card (removed or not: what a payment was made with)."""
        return None if method_id is None else await self.session.get(PaymentMethod, method_id)

    async def of_payer(self, payer_person_id: int, offset: int, limit: int) -> tuple[int, list[Payment]]:
        """This payer's payments (the failed ones left out: nothing happened; card checks too: nothing is
        charged), newest first, one page."""
        where = (Payment.payer_person_id == payer_person_id, Payment.status != "failed", Payment.kind != "binding")
        count = await self.session.scalar(select(func.count(Payment.id)).where(*where))
        rows = await self.session.scalars(
            select(Payment)
            .where(*where)
            .order_by(Payment.created_at.desc(), Payment.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return count, list(rows)

    async def stale(self, created_before: datetime, limit: int) -> list[int]:
        query = (
            select(Payment.id)
            .where(Payment.status == "pending", Payment.created_at < created_before, Payment.anomaly.is_(None))
            .order_by(Payment.id)
            .limit(limit)
        )
        return list(await self.session.scalars(query))

    async def customer(self, payer_person_id: int) -> Row | None:
        """(account phone, account e-mail, registry phone, registry e-mail) of the payer: the receipt's
        customer."""
        query = (
            select(
                Account.phone,
                Account.email,
                InsuredPerson.phone.label("person_phone"),
                InsuredPerson.email.label("person_email"),
            )
            .select_from(InsuredPerson)
            .outerjoin(Account, Account.insured_person_id == InsuredPerson.id)
            .where(InsuredPerson.id == payer_person_id)
        )
        return (await self.session.execute(query)).first()

    # Refunds ------------------------------------------------------------------------------------------

    async def refunds_of(self, payment_ids: Iterable[int]) -> list[Refund]:
        ids = list(set(payment_ids))
        if not ids:
            return []
        return list(await self.session.scalars(select(Refund).where(Refund.payment_id.in_(ids)).order_by(Refund.id)))

    async def refund(self, refund_id: int) -> Refund | None:
        return await self.session.scalar(
            select(Refund).where(Refund.id == refund_id).execution_options(populate_existing=True)
        )

    async def refund_by_provider_id(self, provider_id: str) -> Refund | None:
        return await self.session.scalar(select(Refund).where(Refund.provider_id == provider_id))

    async def unmatched_refund(self, payment_id: int, amount: int) -> Refund | None:
        """The oldest pending refund of this payment and amount whose provider id is not known yet: the one a
        refund the provider names (by its payment) is."""
        query = (
            select(Refund)
            .where(
                Refund.payment_id == payment_id,
                Refund.status == "pending",
                Refund.provider_id.is_(None),
                Refund.amount_kopecks == amount,
            )
            .order_by(Refund.id)
            .limit(1)
        )
        return await self.session.scalar(query)

    async def refund_provider_ids(self, payment_id: int) -> set[str]:
        query = select(Refund.provider_id).where(Refund.payment_id == payment_id, Refund.provider_id.is_not(None))
        return set(await self.session.scalars(query))

    async def keep_refund_request(self, refund_id: int, request: dict) -> None:
        """As `keep_request`, for a refund."""
        await self.session.execute(
            update(Refund)
            .where(Refund.id == refund_id, Refund.request.is_(None))
            .values(request=request)
            .execution_options(synchronize_session=False)
        )

    async def mark_refund_anomaly(self, refund_id: int, reason: str, now: datetime) -> bool:
        result = await self.session.execute(
            update(Refund)
            .where(Refund.id == refund_id, Refund.anomaly.is_(None))
            .values(anomaly=reason, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def refund_items(self, refund_id: int) -> list[Row]:
        """(invoice id, invoice number, amount) of a refund, by number."""
        query = (
            select(RefundInvoice.invoice_id, Invoice.number, RefundInvoice.amount_kopecks)
            .join(Invoice, Invoice.id == RefundInvoice.invoice_id)
            .where(RefundInvoice.refund_id == refund_id)
            .order_by(Invoice.number)
        )
        return list(await self.session.execute(query))

    async def refunded_per_invoice(self, payment_id: int) -> dict[int, int]:
        """invoice id → what the refunds of this payment (pending or done) give back for it."""
        query = (
            select(RefundInvoice.invoice_id, func.sum(RefundInvoice.amount_kopecks))
            .join(Refund, Refund.id == RefundInvoice.refund_id)
            .where(Refund.payment_id == payment_id, Refund.status.in_(("pending", "succeeded")))
            .group_by(RefundInvoice.invoice_id)
        )
        return {invoice: int(amount) for invoice, amount in await self.session.execute(query)}

    async def refund_count(self, payment_id: int) -> int:
        return await self.session.scalar(select(func.count(Refund.id)).where(Refund.payment_id == payment_id))

    async def move_refund(self, refund_id: int, expected: str, now: datetime, **values: object) -> bool:
        _forget_request(values)
        result = await self.session.execute(
            update(Refund)
            .where(Refund.id == refund_id, Refund.status == expected)
            .values(updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def pending_refunds(self, created_before: datetime, limit: int) -> list[int]:
        query = (
            select(Refund.id)
            .where(Refund.status == "pending", Refund.created_at < created_before, Refund.anomaly.is_(None))
            .order_by(Refund.id)
            .limit(limit)
        )
        return list(await self.session.scalars(query))


def _forget_request(values: dict[str, object]) -> None:
    """Out of pending, nothing is sent again: the stored request (which holds the payer's phone and e-mail)
    is not kept longer than needed."""
    if values.get("status", "pending") != "pending":
        values["request"] = None
