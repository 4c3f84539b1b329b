"""Roles granted in the bot (`StaffRoleRepository`): one row per Telegram user, its role, who granted it, when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import StaffRole


class StaffRoleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def role_of(self, telegram_id: int) -> str | None:
        return await self.session.scalar(select(StaffRole.role).where(StaffRole.telegram_id == telegram_id))

    async def all(self) -> list[Row]:
        """(telegram_id, role, granted_by_telegram_id, granted_at), in the order granted."""
        query = select(
            StaffRole.telegram_id, StaffRole.role, StaffRole.granted_by_telegram_id, StaffRole.granted_at
        ).order_by(StaffRole.granted_at, StaffRole.telegram_id)
        return list((await self.session.execute(query)).all())

    async def put(self, telegram_id: int, role: str, granted_by: int, at: datetime) -> None:
        """Granted, or changed to `role` (a second grant replaces the first)."""
        row = await self.session.get(StaffRole, telegram_id)
        if row is None:
            self.session.add(
                StaffRole(telegram_id=telegram_id, role=role, granted_by_telegram_id=granted_by, granted_at=at)
            )
        else:
            row.role, row.granted_by_telegram_id, row.granted_at = role, granted_by, at
        await self.session.flush()

    async def remove(self, telegram_id: int) -> bool:
        """Revoked; False when there was nothing stored."""
        result = await self.session.execute(delete(StaffRole).where(StaffRole.telegram_id == telegram_id))
        return bool(result.rowcount)
