"""Saved cards, the payer's autopay switch and the queue of automatic charges (`CardRepository`): what
`core.services.cards` and the issuing of invoices read and write."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Row, exists, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.bulk import chunks
from core.db.models import Account, AutopayCharge, InsuredPerson, Payment, PaymentMethod, SentReminder

_HAS_CARD = exists().where(PaymentMethod.binding_payment_id == Payment.id)


class CardRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # Cards --------------------------------------------------------------------------------------------

    async def cards(self, payer_person_id: int) -> list[PaymentMethod]:
        """The payer's cards not removed, bound last first."""
        query = (
            select(PaymentMethod)
            .where(PaymentMethod.payer_person_id == payer_person_id, PaymentMethod.removed_at.is_(None))
            .order_by(PaymentMethod.id.desc())
        )
        return list(await self.session.scalars(query))

    async def card(self, card_id: int) -> PaymentMethod | None:
        return await self.session.get(PaymentMethod, card_id)

    async def card_of_binding(self, payment_id: int) -> PaymentMethod | None:
        return await self.session.scalar(select(PaymentMethod).where(PaymentMethod.binding_payment_id == payment_id))

    def add(self, row: PaymentMethod | Payment | AutopayCharge) -> None:
        self.session.add(row)

    async def insert(self, row: PaymentMethod | Payment) -> None:
        """Stored now, within the transaction: its id is known, and a key already taken raises
        IntegrityError here."""
        self.session.add(row)
        await self.session.flush()

    async def remove(self, card_id: int, payer_person_id: int, now: datetime) -> bool:
        result = await self.session.execute(
            update(PaymentMethod)
            .where(
                PaymentMethod.id == card_id,
                PaymentMethod.payer_person_id == payer_person_id,
                PaymentMethod.removed_at.is_(None),
            )
            .values(removed_at=now)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def remove_all(self, payer_person_id: int, now: datetime) -> None:
        await self.session.execute(
            update(PaymentMethod)
            .where(PaymentMethod.payer_person_id == payer_person_id, PaymentMethod.removed_at.is_(None))
            .values(removed_at=now)
            .execution_options(synchronize_session=False)
        )

    async def pending_binding(self, payer_person_id: int) -> Payment | None:
        """The payer's binding under way: pending, and no card saved by it yet (one that saved its card and
        waits for its hold to be released is done for the payer)."""
        query = (
            select(Payment)
            .where(
                Payment.payer_person_id == payer_person_id,
                Payment.kind == "binding",
                Payment.status == "pending",
                ~_HAS_CARD,
            )
            .order_by(Payment.id.desc())
            .limit(1)
        )
        return await self.session.scalar(query)

    async def bindings(self, binding_set: str) -> int:
        """The payer's bindings that are over (or saved their card): the next one's attempt number follows.
        One under way is not counted, so two presses at once take the same number, hence the same key, and
        the second finds the first's row instead of making another binding."""
        query = select(func.count(Payment.id)).where(
            Payment.invoice_set == binding_set, (Payment.status != "pending") | _HAS_CARD
        )
        return await self.session.scalar(query)

    # The payer's switch -------------------------------------------------------------------------------

    async def account(self, person_id: int) -> Account | None:
        return await self.session.scalar(select(Account).where(Account.insured_person_id == person_id))

    async def set_autopay(self, person_id: int, on: bool) -> None:
        await self.session.execute(
            update(Account)
            .where(Account.insured_person_id == person_id)
            .values(autopay=on)
            .execution_options(synchronize_session=False)
        )

    async def autopay_payers(self, person_ids: Iterable[int]) -> set[int]:
        """Of these people, those with automatic charges on and a card not removed."""
        found: set[int] = set()
        card = exists().where(
            PaymentMethod.payer_person_id == Account.insured_person_id, PaymentMethod.removed_at.is_(None)
        )
        for chunk in chunks(set(person_ids)):
            query = select(Account.insured_person_id).where(Account.insured_person_id.in_(chunk), Account.autopay, card)
            found.update(await self.session.scalars(query))
        return found

    async def without_contact(self, person_ids: Iterable[int]) -> set[int]:
        """Of these people, those with no phone or e-mail for a receipt (their account's or the registry's)."""
        found: set[int] = set()
        contacts = (Account.phone, Account.email, InsuredPerson.phone, InsuredPerson.email)
        for chunk in chunks(set(person_ids)):
            query = (
                select(InsuredPerson.id)
                .outerjoin(Account, Account.insured_person_id == InsuredPerson.id)
                .where(InsuredPerson.id.in_(chunk), *(func.coalesce(column, "") == "" for column in contacts))
            )
            found.update(await self.session.scalars(query))
        return found

    # The queue ----------------------------------------------------------------------------------------

    async def queue(self, rows: list[dict]) -> None:
        if rows:
            await self.session.execute(insert(AutopayCharge), rows)

    async def open_charges(self, limit: int) -> list[int]:
        query = select(AutopayCharge.invoice_id).where(AutopayCharge.done_at.is_(None))
        return list(
            await self.session.scalars(query.order_by(AutopayCharge.queued_at, AutopayCharge.invoice_id).limit(limit))
        )

    async def charge(self, invoice_id: int, *, lock: bool = False) -> AutopayCharge | None:
        query = (
            select(AutopayCharge)
            .where(AutopayCharge.invoice_id == invoice_id)
            .execution_options(populate_existing=True)
        )
        if lock:
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def finish(self, invoice_id: int, now: datetime, **values: object) -> bool:
        result = await self.session.execute(
            update(AutopayCharge)
            .where(AutopayCharge.invoice_id == invoice_id, AutopayCharge.done_at.is_(None))
            .values(done_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    # Expiry -------------------------------------------------------------------------------------------

    async def cards_with_accounts(self, after_id: int, limit: int) -> list[Row]:
        """(card, telegram id) of cards not removed whose payer has an account, by id, one batch."""
        query = (
            select(PaymentMethod, Account.telegram_id)
            .join(Account, Account.insured_person_id == PaymentMethod.payer_person_id)
            .where(PaymentMethod.removed_at.is_(None), PaymentMethod.id > after_id)
            .order_by(PaymentMethod.id)
            .limit(limit)
        )
        return list(await self.session.execute(query))

    async def notice_sent(self, card_id: int, kind: str) -> bool:
        query = select(SentReminder.subject_id).where(
            SentReminder.subject == "card", SentReminder.subject_id == card_id, SentReminder.kind == kind
        )
        return await self.session.scalar(query) is not None
