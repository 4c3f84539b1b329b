"""What the support desk reads (`DeskRepository`): people found by every form /find takes, and one
person's record. Each lookup goes by an indexed column; lists are bounded."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import Row, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import AuditAction
from core.db.models import (
    Account,
    AuditEvent,
    BlockedUser,
    ChildLink,
    Consent,
    Dispute,
    InsuredPerson,
    Invoice,
    Payment,
    PaymentInvoice,
    Refund,
    UserRequest,
)

FOUND_MAX = 200  # people one /find lists at most
RECORD_ROWS = 20  # of each kind in a record (the newest)
REGISTRATION_ACTIONS = (
    AuditAction.REGISTRATION_SUBMIT,
    AuditAction.REGISTRATION_REFUSED,
    AuditAction.REGISTRATION_LINKED,
)


class DeskRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- finding: each returns person ids

    async def by_number(self, key: str) -> list[int]:
        query = select(InsuredPerson.id).where(or_(InsuredPerson.policy_key == key, InsuredPerson.personnel_key == key))
        return list(await self.session.scalars(query.limit(FOUND_MAX)))

    async def by_phone(self, e164: str) -> list[int]:
        listed = select(InsuredPerson.id).where(InsuredPerson.phone == e164)
        linked = select(Account.insured_person_id).where(Account.phone == e164, Account.insured_person_id.is_not(None))
        return [*await self.session.scalars(listed.limit(FOUND_MAX)), *await self.session.scalars(linked)]

    async def by_email_key(self, key: str) -> list[int]:
        listed = select(InsuredPerson.id).where(InsuredPerson.email_key == key)
        linked = select(Account.insured_person_id).where(
            Account.email_key == key, Account.insured_person_id.is_not(None)
        )
        return [*await self.session.scalars(listed.limit(FOUND_MAX)), *await self.session.scalars(linked)]

    async def by_telegram_id(self, telegram_id: int) -> list[int]:
        linked = select(Account.insured_person_id).where(
            Account.telegram_id == telegram_id, Account.insured_person_id.is_not(None)
        )
        blocked = select(BlockedUser.person_id).where(
            BlockedUser.telegram_id == telegram_id, BlockedUser.person_id.is_not(None)
        )
        return [*await self.session.scalars(linked), *await self.session.scalars(blocked)]

    async def by_name(self, last: str, first: str, born: date | None) -> list[InsuredPerson]:
        """By the surname key, and the first name and birth date when given (the name index's prefix)."""
        query = select(InsuredPerson).where(InsuredPerson.last_name_key == last)
        if first:
            query = query.where(InsuredPerson.first_name_key == first)
        if born is not None:
            query = query.where(InsuredPerson.birth_date == born)
        return list(await self.session.scalars(query.order_by(InsuredPerson.id).limit(FOUND_MAX)))

    async def by_birth_date(self, born: date) -> list[InsuredPerson]:
        query = select(InsuredPerson).where(InsuredPerson.birth_date == born).order_by(InsuredPerson.id)
        return list(await self.session.scalars(query.limit(10 * FOUND_MAX)))

    async def by_invoice(self, number: str) -> list[int]:
        row = (
            await self.session.execute(
                select(Invoice.person_id, Invoice.payer_person_id).where(Invoice.number == number)
            )
        ).first()
        return [] if row is None else [p for p in row if p is not None]

    async def by_payment(self, provider_id: str) -> list[int]:
        """The payer and the insured people of a payment's invoices; a refund's id finds its payment's."""
        payment_id = await self.session.scalar(select(Payment.id).where(Payment.provider_id == provider_id))
        if payment_id is None:
            payment_id = await self.session.scalar(select(Refund.payment_id).where(Refund.provider_id == provider_id))
        if payment_id is None:
            return []
        payer = await self.session.scalar(select(Payment.payer_person_id).where(Payment.id == payment_id))
        insured = (
            select(Invoice.person_id)
            .join(PaymentInvoice, PaymentInvoice.invoice_id == Invoice.id)
            .where(PaymentInvoice.payment_id == payment_id)
        )
        return [payer, *await self.session.scalars(insured)]

    async def listed(self, person_ids: Iterable[int]) -> list[Row]:
        """(InsuredPerson, the linked account's Telegram id or None, blocked) by surname, then id."""
        ids = list(dict.fromkeys(person_ids))[:FOUND_MAX]
        if not ids:
            return []
        blocked = (
            select(BlockedUser.telegram_id)
            .where(or_(BlockedUser.person_id == InsuredPerson.id, BlockedUser.telegram_id == Account.telegram_id))
            .exists()
        )
        query = (
            select(InsuredPerson, Account.telegram_id, blocked.label("blocked"))
            .outerjoin(Account, Account.insured_person_id == InsuredPerson.id)
            .where(InsuredPerson.id.in_(ids))
            .order_by(InsuredPerson.last_name_key, InsuredPerson.first_name_key, InsuredPerson.id)
        )
        return list(await self.session.execute(query))

    # --- one record

    async def account_of(self, person_id: int) -> Account | None:
        return await self.session.scalar(select(Account).where(Account.insured_person_id == person_id))

    async def relatives(self, person: InsuredPerson) -> list[tuple[str, InsuredPerson]]:
        """(relation, person): the holder whose policy this row names, the relatives naming this policy,
        the children this person added, the parent who added this one."""
        found: list[tuple[str, InsuredPerson]] = []
        if person.holder_policy_key:
            holder = await self.session.scalar(
                select(InsuredPerson).where(InsuredPerson.policy_key == person.holder_policy_key)
            )
            if holder is not None:
                found.append(("holder", holder))
        for relative in await self.session.scalars(
            select(InsuredPerson).where(InsuredPerson.holder_policy_key == person.policy_key).order_by(InsuredPerson.id)
        ):
            found.append(("relative", relative))
        for child in await self.session.scalars(
            select(InsuredPerson)
            .join(ChildLink, ChildLink.child_person_id == InsuredPerson.id)
            .where(ChildLink.parent_person_id == person.id)
        ):
            found.append(("child", child))
        parent = await self.session.scalar(
            select(InsuredPerson)
            .join(ChildLink, ChildLink.parent_person_id == InsuredPerson.id)
            .where(ChildLink.child_person_id == person.id)
        )
        if parent is not None:
            found.append(("parent", parent))
        return found[:RECORD_ROWS]

    async def consents(self, account_id: int) -> list[Consent]:
        query = select(Consent).where(Consent.account_id == account_id).order_by(Consent.at.desc(), Consent.id.desc())
        return list(await self.session.scalars(query.limit(RECORD_ROWS)))

    async def registration_events(self, person_id: int, telegram_id: int | None) -> list[AuditEvent]:
        """Registration attempts naming this person, or made by the account's Telegram user: newest first."""
        about = (AuditEvent.object_type == "insured_person") & (AuditEvent.object_id == str(person_id))
        if telegram_id is not None:
            about = or_(about, AuditEvent.actor_telegram_id == telegram_id)
        query = (
            select(AuditEvent)
            .where(AuditEvent.action.in_(REGISTRATION_ACTIONS), about)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        )
        return list(await self.session.scalars(query.limit(RECORD_ROWS)))

    async def submitters_since(self, person_id: int, since: datetime) -> list[int]:
        """Telegram users whose submissions matched this person since `since` (their day's counts)."""
        query = select(AuditEvent.actor_telegram_id).where(
            AuditEvent.action == AuditAction.REGISTRATION_SUBMIT,
            AuditEvent.object_type == "insured_person",
            AuditEvent.object_id == str(person_id),
            AuditEvent.at >= since,
            AuditEvent.actor_telegram_id.is_not(None),
        )
        return list(dict.fromkeys(await self.session.scalars(query)))

    async def invoices(self, person_id: int) -> list[Invoice]:
        query = (
            select(Invoice)
            .where(or_(Invoice.person_id == person_id, Invoice.payer_person_id == person_id))
            .order_by(Invoice.issued_on.desc(), Invoice.id.desc())
        )
        return list(await self.session.scalars(query.limit(RECORD_ROWS)))

    async def invoice(self, invoice_id: int) -> Invoice | None:
        return await self.session.get(Invoice, invoice_id, populate_existing=True)

    async def payments_of_invoice(self, invoice_id: int) -> list[Payment]:
        """The payments that carried this invoice, oldest first."""
        query = (
            select(Payment)
            .join(PaymentInvoice, PaymentInvoice.payment_id == Payment.id)
            .where(PaymentInvoice.invoice_id == invoice_id)
            .order_by(Payment.id)
        )
        return list(await self.session.scalars(query))

    async def payments(self, person_id: int) -> list[Payment]:
        query = select(Payment).where(Payment.payer_person_id == person_id).order_by(Payment.id.desc())
        return list(await self.session.scalars(query.limit(RECORD_ROWS)))

    async def refunds(self, payment_ids: Iterable[int]) -> list[Refund]:
        ids = list(payment_ids)
        if not ids:
            return []
        return list(await self.session.scalars(select(Refund).where(Refund.payment_id.in_(ids)).order_by(Refund.id)))

    async def open_requests(self, person_id: int, account_id: int | None) -> list[UserRequest]:
        about = UserRequest.person_id == person_id
        if account_id is not None:
            about = or_(about, UserRequest.account_id == account_id)
        query = (
            select(UserRequest)
            .where(about, UserRequest.status == "new")
            .order_by(UserRequest.created_at.desc(), UserRequest.id.desc())
        )
        return list(await self.session.scalars(query.limit(RECORD_ROWS)))

    async def open_disputes(self, person_id: int) -> list[Row]:
        """(Dispute, invoice number) of the person's invoices (insured or payer), still open."""
        query = (
            select(Dispute, Invoice.number)
            .join(Invoice, Invoice.id == Dispute.invoice_id)
            .where(or_(Invoice.person_id == person_id, Invoice.payer_person_id == person_id), Dispute.status == "open")
            .order_by(Dispute.deadline, Dispute.id)
        )
        return list(await self.session.execute(query.limit(RECORD_ROWS)))
