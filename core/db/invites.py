"""Personal invite links stored (`InviteRepository`): issued, looked up by token, the unused ones expired."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import Invite


class InviteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, token: str) -> Invite | None:
        return await self.session.get(Invite, token)

    def add(self, invite: Invite) -> None:
        self.session.add(invite)

    async def drop_expired(self, now: datetime) -> int:
        """The links never used whose expiry has passed; how many."""
        result = await self.session.execute(delete(Invite).where(Invite.used_at.is_(None), Invite.expires_at < now))
        return result.rowcount
