"""What expires: one-time codes past their life, counters of past days, invite links never used past
their expiry (registration dialogs themselves expire in Redis after a day; in memory, with the process)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete

from core.calendar import Clock
from core.db.models import Invite, OtpCode, OtpCounter
from core.db.uow import UnitOfWorkFactory

COUNTER_DAYS_KEPT = 2  # daily caps count today's codes; yesterday's kept for a day across time zones


@dataclass(frozen=True)
class ExpiryReport:
    codes: int
    counters: int
    invites: int


class HousekeepingService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

    async def expire(self) -> ExpiryReport:
        now, today = self.clock.now(), self.clock.today()
        async with self.uow() as uow:
            session = uow.session
            codes = await session.execute(delete(OtpCode).where(OtpCode.expires_at < now))
            counters = await session.execute(
                delete(OtpCounter).where(OtpCounter.day < today - timedelta(days=COUNTER_DAYS_KEPT))
            )
            invites = await session.execute(delete(Invite).where(Invite.used_at.is_(None), Invite.expires_at < now))
            await uow.commit()
        return ExpiryReport(codes.rowcount, counters.rowcount, invites.rowcount)
