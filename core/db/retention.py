"""What the retention job finds due and deletes (`RetentionRepository`), a chunk at a time: each chunk is
its own short transaction, so SQLite's write lock is never held for long."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.cabinet.requests import RequestKind
from core.db.models import Account, AuditEvent, Consent, UserRequest


class RetentionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def unfinished_registrations(self, cutoff: datetime, questions_cutoff: datetime, limit: int) -> list[Account]:
        """Accounts linked to nobody that gave consents (registration begun), none of them since `cutoff`,
        created before it, and with no question to support touched since `questions_cutoff` (a question
        keeps its asker's account as long as it is kept)."""
        consents = select(Consent.id).where(Consent.account_id == Account.id)
        recent_question = select(UserRequest.id).where(
            UserRequest.account_id == Account.id, UserRequest.updated_at >= questions_cutoff
        )
        query = (
            select(Account)
            .where(
                Account.insured_person_id.is_(None),
                Account.created_at < cutoff,
                exists(consents),
                ~exists(consents.where(Consent.at >= cutoff)),
                ~exists(recent_question),
            )
            .order_by(Account.id)
            .limit(limit)
        )
        return list(await self.session.scalars(query))

    async def unregistered_questions(self, cutoff: datetime, limit: int) -> list[int]:
        """Questions to support last touched before `cutoff` by accounts linked to nobody."""
        unregistered = select(Account.id).where(
            Account.id == UserRequest.account_id, Account.insured_person_id.is_(None)
        )
        query = (
            select(UserRequest.id)
            .where(UserRequest.kind == RequestKind.SUPPORT, UserRequest.updated_at < cutoff, exists(unregistered))
            .order_by(UserRequest.id)
            .limit(limit)
        )
        return list(await self.session.scalars(query))

    async def drop_requests(self, ids: Sequence[int]) -> int:
        """Their conversations go with them (ON DELETE CASCADE)."""
        result = await self.session.execute(delete(UserRequest).where(UserRequest.id.in_(ids)))
        return result.rowcount

    async def audit_before(self, cutoff: datetime, limit: int, actions: Sequence[str] | None = None) -> list[int]:
        """Audit entries older than `cutoff` (of `actions` only, when given)."""
        query = select(AuditEvent.id).where(AuditEvent.at < cutoff)
        if actions is not None:
            query = query.where(AuditEvent.action.in_(actions))
        return list(await self.session.scalars(query.order_by(AuditEvent.id).limit(limit)))

    async def drop_audit(self, ids: Sequence[int]) -> int:
        result = await self.session.execute(delete(AuditEvent).where(AuditEvent.id.in_(ids)))
        return result.rowcount
