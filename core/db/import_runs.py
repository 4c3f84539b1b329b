"""Imports started from the chat (`ImportRunRepository`): the `import_runs` row is each kind's lock (a
partial unique index allows one `running` row per kind) and the record of how the run ended."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import ImportRun


class ImportRunRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def start(self, run: ImportRun) -> bool:
        """The run stored with its id, or False when one of its kind is running already (the transaction
        is then rolled back)."""
        self.session.add(run)
        try:
            await self.session.flush()
        except IntegrityError:
            await self.session.rollback()
            return False
        return True

    async def running(self, kind: str) -> ImportRun | None:
        query = select(ImportRun).where(ImportRun.kind == kind, ImportRun.status == "running")
        return await self.session.scalar(query)

    async def beat(self, run_id: int, now: datetime) -> None:
        statement = update(ImportRun).where(ImportRun.id == run_id, ImportRun.status == "running")
        await self.session.execute(statement.values(heartbeat_at=now))

    async def finish(self, run_id: int, status: str, now: datetime) -> None:
        await self.session.execute(
            update(ImportRun).where(ImportRun.id == run_id).values(status=status, finished_at=now)
        )

    async def stale(self, before: datetime, kind: str | None) -> list[ImportRun]:
        """Runs still `running` whose heartbeat stopped before `before` (of `kind`, or of every kind)."""
        query = select(ImportRun).where(ImportRun.status == "running", ImportRun.heartbeat_at < before)
        if kind is not None:
            query = query.where(ImportRun.kind == kind)
        return list(await self.session.scalars(query))

    async def interrupt(self, run_id: int, now: datetime) -> bool:
        """Marked `interrupted`, or False when another process marked it first."""
        statement = (
            update(ImportRun)
            .where(ImportRun.id == run_id, ImportRun.status == "running")
            .values(status="interrupted", finished_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool((await self.session.execute(statement)).rowcount)
