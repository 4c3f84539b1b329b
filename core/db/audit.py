"""The audit trail (`AuditRepository`): who did what to which object, by ids and reason codes only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, or_, select
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
        """Ids and reason codes only: callers never pass names, phones or e-mails. `action` is one of the
        catalogue's (a ValueError otherwise, so a typo cannot start a new kind of entry)."""
        action = AuditAction(action)
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

    def _where(self, actors: tuple[int, ...], objects: tuple[tuple[str, str], ...]) -> list:
        """Entries by any of `actors` or about any of `objects` ((type, id) pairs); none given: every entry."""
        if not actors and not objects:
            return []
        conditions = [AuditEvent.actor_telegram_id.in_(actors)] if actors else []
        conditions += [and_(AuditEvent.object_type == kind, AuditEvent.object_id == key) for kind, key in objects]
        return [or_(*conditions)]

    async def count(self, actors: tuple[int, ...] = (), objects: tuple[tuple[str, str], ...] = ()) -> int:
        query = select(func.count()).select_from(AuditEvent).where(*self._where(actors, objects))
        return await self.session.scalar(query) or 0

    async def newest(
        self, offset: int, limit: int, actors: tuple[int, ...] = (), objects: tuple[tuple[str, str], ...] = ()
    ) -> list[AuditEvent]:
        """Newest first (the later id first within one instant)."""
        query = (
            select(AuditEvent)
            .where(*self._where(actors, objects))
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return list((await self.session.scalars(query)).all())
