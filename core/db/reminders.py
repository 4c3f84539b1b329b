"""What the reminders job reads (`ReminderRepository`): unpaid invoices near or past their due date,
open disputes near their deadline, people whose policy an import ended; and the reminders already sent."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import Row, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import Account, Dispute, InsuredPerson, Invoice, SentReminder


def _not_sent(subject: str, subject_id, kind: str):
    return ~exists().where(
        SentReminder.subject == subject, SentReminder.subject_id == subject_id, SentReminder.kind == kind
    )


class ReminderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def invoices(self, today: date, window_days: int, overdue_after: int, limit: int) -> list[Row]:
        """Invoices with a payer: NEW and due within `window_days`, or OVERDUE for `overdue_after` days and
        not yet reminded of it."""
        query = (
            select(
                Invoice.id,
                Invoice.number,
                Invoice.status,
                Invoice.due_on,
                Invoice.person_id,
                Invoice.payer_person_id,
                Invoice.copay_kopecks,
                Invoice.deposit_used_kopecks,
                Invoice.credited_kopecks,
            )
            .where(
                Invoice.payer_person_id.is_not(None),
                or_(
                    and_(
                        Invoice.status == "new",
                        Invoice.due_on >= today,
                        Invoice.due_on <= today + timedelta(days=window_days),
                    ),
                    and_(
                        Invoice.status == "overdue",
                        Invoice.due_on <= today - timedelta(days=overdue_after),
                        _not_sent("invoice", Invoice.id, "overdue"),
                    ),
                ),
            )
            .order_by(Invoice.id)
            .limit(limit)
        )
        return list(await self.session.execute(query))

    async def open_disputes(self, deadline_by: date, limit: int) -> list[Row]:
        query = (
            select(Dispute.id, Dispute.deadline, Invoice.number)
            .join(Invoice, Invoice.id == Dispute.invoice_id)
            .where(Dispute.status == "open", Dispute.deadline <= deadline_by, _not_sent("dispute", Dispute.id, "late"))
            .order_by(Dispute.id)
            .limit(limit)
        )
        return list(await self.session.execute(query))

    async def ended_policies(self, since: date, limit: int) -> list[Row]:
        """(person id, removed on, telegram id) of people with an account whose policy an import ended
        on or after `since`, not yet told."""
        query = (
            select(InsuredPerson.id, InsuredPerson.removed_on, Account.telegram_id)
            .join(Account, Account.insured_person_id == InsuredPerson.id)
            .where(InsuredPerson.removed_on >= since, _not_sent("person", InsuredPerson.id, "policy_ended"))
            .order_by(InsuredPerson.id)
            .limit(limit)
        )
        return list(await self.session.execute(query))

    async def sent(self, subject: str, subject_ids: Iterable[int]) -> set[tuple[int, str]]:
        ids = list(set(subject_ids))
        if not ids:
            return set()
        query = select(SentReminder.subject_id, SentReminder.kind).where(
            SentReminder.subject == subject, SentReminder.subject_id.in_(ids)
        )
        return {(subject_id, kind) for subject_id, kind in await self.session.execute(query)}

    def mark(self, subject: str, subject_id: int, kind: str, at: datetime) -> None:
        self.session.add(SentReminder(subject=subject, subject_id=subject_id, kind=kind, sent_at=at))
