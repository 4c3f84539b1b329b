"""The audit trail (`AuditRepository`): who did what to which object, by ids and reason codes only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import AuditAction
from core.db.models import AuditEvent


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def record(
        self,
        at: datetime,
        action: AuditAction,
        *,
        actor: int | None = None,
        object_type: str | None = None,
        object_id: str | int | None = None,
        reason: str | None = None,
        **details: str | int | None,
    ) -> None:
        """Ids and reason codes only: callers never pass names, phones or e-mails."""
        self.session.add(
            AuditEvent(
                at=at,
                action=action,
                actor_telegram_id=actor,
                object_type=object_type,
                object_id=None if object_id is None else str(object_id),
                reason=reason,
                details=details,
            )
        )

    async def count_object_since(self, action: AuditAction, object_id: str, since: datetime) -> int:
        query = (
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == action, AuditEvent.object_id == object_id, AuditEvent.at >= since)
        )
        return await self.session.scalar(query) or 0

    async def count_since(self, actor_telegram_id: int, action: AuditAction, since: datetime) -> int:
        query = (
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.actor_telegram_id == actor_telegram_id, AuditEvent.action == action, AuditEvent.at >= since
            )
        )
        return await self.session.scalar(query) or 0
