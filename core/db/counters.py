"""Named limit counters (`CounterRepository`, core.limits): read, bumped in the use case's transaction,
reset by staff."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import LimitCounter


class CounterRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, name: str, subject: str, window: date) -> int:
        query = select(LimitCounter.count).where(
            LimitCounter.name == name, LimitCounter.subject == subject, LimitCounter.window == window
        )
        return await self.session.scalar(query) or 0

    async def counts(self, name: str, subjects: Iterable[str], window: date) -> dict[str, int]:
        subjects = list(subjects)
        if not subjects:
            return {}
        query = select(LimitCounter.subject, LimitCounter.count).where(
            LimitCounter.name == name, LimitCounter.subject.in_(subjects), LimitCounter.window == window
        )
        return dict((await self.session.execute(query)).all())

    async def bump(self, name: str, subject: str, window: date, by: int = 1) -> None:
        """One more (an upsert: concurrent bumps add up)."""
        dialect = self.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = insert(LimitCounter).values(name=name, subject=subject, window=window, count=by)
        statement = statement.on_conflict_do_update(
            index_elements=[LimitCounter.name, LimitCounter.subject, LimitCounter.window],
            set_={"count": LimitCounter.count + by},
        )
        await self.session.execute(statement)

    async def reset(self, name: str, subjects: Iterable[str], window: date) -> int:
        """The window's counts of these subjects back to zero; how many counters were above it."""
        subjects = list(subjects)
        if not subjects:
            return 0
        statement = (
            update(LimitCounter)
            .where(
                LimitCounter.name == name,
                LimitCounter.subject.in_(subjects),
                LimitCounter.window == window,
                LimitCounter.count > 0,
            )
            .values(count=0)
        )
        return (await self.session.execute(statement)).rowcount

    async def drop_before(self, window: date) -> int:
        return (await self.session.execute(delete(LimitCounter).where(LimitCounter.window < window))).rowcount
