"""Blocked Telegram users (`BlockRepository`): set and lifted by an admin, read by the viewer cache, and the
one line a day a blocked user is told."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import BlockedUser


class BlockRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, telegram_id: int) -> BlockedUser | None:
        return await self.session.get(BlockedUser, telegram_id)

    async def is_blocked(self, telegram_id: int) -> bool:
        query = select(BlockedUser.telegram_id).where(BlockedUser.telegram_id == telegram_id)
        return await self.session.scalar(query) is not None

    async def of_person(self, person_id: int) -> list[BlockedUser]:
        query = select(BlockedUser).where(BlockedUser.person_id == person_id).order_by(BlockedUser.blocked_at)
        return list(await self.session.scalars(query))

    def add(self, block: BlockedUser) -> None:
        self.session.add(block)

    async def remove(self, telegram_id: int) -> bool:
        result = await self.session.execute(delete(BlockedUser).where(BlockedUser.telegram_id == telegram_id))
        return result.rowcount > 0

    async def claim_notice(self, telegram_id: int, today: date) -> bool:
        """Whether today's one line is due (and now taken): a conditional update, so two replicas never
        both send it."""
        statement = (
            update(BlockedUser)
            .where(
                BlockedUser.telegram_id == telegram_id,
                or_(BlockedUser.noticed_on.is_(None), BlockedUser.noticed_on < today),
            )
            .values(noticed_on=today)
        )
        return (await self.session.execute(statement)).rowcount == 1

    async def blocked_at(self, telegram_id: int) -> datetime | None:
        block = await self.get(telegram_id)
        return block.blocked_at if block else None
