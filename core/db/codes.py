"""One-time codes as housekeeping sees them (`CodeRepository`): the codes past their life and the daily
counters of past days, dropped (issuing and checking codes is `core.infra.otp_store`'s)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import OtpCode, OtpCounter


class CodeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def drop_expired(self, now: datetime) -> int:
        return (await self.session.execute(delete(OtpCode).where(OtpCode.expires_at < now))).rowcount

    async def drop_counters_before(self, day: date) -> int:
        return (await self.session.execute(delete(OtpCounter).where(OtpCounter.day < day))).rowcount
