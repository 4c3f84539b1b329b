"""What expires: one-time codes past their life, counters of past days, invite links never used past
their expiry (registration dialogs themselves expire in Redis after a day; in memory, with the process)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from core.calendar import Clock
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
            codes = await uow.codes.drop_expired(now)
            counters = await uow.codes.drop_counters_before(today - timedelta(days=COUNTER_DAYS_KEPT))
            counters += await uow.counters.drop_before(today - timedelta(days=COUNTER_DAYS_KEPT))  # limits
            invites = await uow.invites.drop_expired(now)
            await uow.commit()
        return ExpiryReport(codes, counters, invites)
