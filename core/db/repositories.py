"""Repositories: the queries the services need, by name."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import Account, AuditEvent


class AccountRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_telegram_id(self, telegram_id: int) -> Account | None:
        return await self.session.scalar(select(Account).where(Account.telegram_id == telegram_id))

    def add(self, account: Account) -> None:
        self.session.add(account)


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def record(
        self,
        at: datetime,
        action: str,
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
