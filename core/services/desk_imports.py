"""Imports started from the chat (/import, a document with a caption): who may, one at a time per kind,
recorded from start to end so that a restart in the middle is told, never silently half-applied.

The lock is the `import_runs` row itself (a partial unique index: one `running` row per kind), so every
replica sees it whatever the cache or Redis says. A running import beats its heartbeat; a `running` row
whose heartbeat stopped for `STALE` was cut off (a restart, a killed replica) and becomes `interrupted`:
the next start of the bot, or the next import of that kind, marks it so and the one who started it is told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.actors import Capability
from core.audit import AuditAction
from core.calendar import Clock
from core.db.models import ImportRun
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.services.importing.report import ImportResult
from core.services.roles import RoleDirectory

STALE = timedelta(seconds=60)  # a heartbeat older than this: the import is no longer running
HEARTBEAT_S = 15.0


@dataclass(frozen=True, slots=True)
class Busy(Exception):
    """An import of this kind is already running: who started it, when."""

    kind: str
    started_by: int
    started_at: datetime


@dataclass(frozen=True, slots=True)
class Interrupted:
    run_id: int
    kind: str
    started_by: int
    chat_id: int
    language: str
    started_at: datetime


class DeskImportService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, roles: RoleDirectory) -> None:
        self.uow = uow
        self.clock = clock
        self.roles = roles

    async def begin(self, telegram_id: int, kind: str, *, chat_id: int, language: str) -> int:
        """The run's id, the kind's lock taken. Raises `Forbidden` (not an admin), `Busy`."""
        now = self.clock.now()
        async with self.uow() as uow:
            await self.roles.require(uow, telegram_id, Capability.IMPORT_FILES)
            await self._interrupt(uow, now, kind)
            run = ImportRun(
                kind=kind,
                status="running",
                started_by=telegram_id,
                chat_id=chat_id,
                language=language,
                started_at=now,
                heartbeat_at=now,
            )
            if not await uow.import_runs.start(run):
                raise await self._busy(kind)
            uow.audit.record(
                now,
                AuditAction.IMPORT_STARTED,
                actor=telegram_id,
                object_type="import_run",
                object_id=run.id,
                kind=kind,
            )
            await uow.commit()
            return run.id

    async def _busy(self, kind: str) -> Busy:
        async with self.uow() as uow:
            row = await uow.import_runs.running(kind)
        if row is None:  # finished in between: still refused, the caller may try again
            return Busy(kind, 0, self.clock.now())
        return Busy(kind, row.started_by, row.started_at)

    async def beat(self, run_id: int) -> None:
        async with self.uow() as uow:
            await uow.import_runs.beat(run_id, self.clock.now())
            await uow.commit()

    async def finish(self, run_id: int, telegram_id: int, kind: str, result: ImportResult | None, status: str) -> None:
        """The lock released; `status`: done | refused | failed | interrupted; the counts audited (never the content)."""
        now = self.clock.now()
        counts = {}
        if result is not None:
            counts = {
                "imported": result.imported,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "rejected": result.rejected,
            }
            if kind == "bills":
                counts["invoices"] = result.invoices_issued
        async with self.uow() as uow:
            await uow.import_runs.finish(run_id, status, now)
            uow.audit.record(
                now,
                AuditAction.IMPORT_FINISHED,
                actor=telegram_id,
                object_type="import_run",
                object_id=run_id,
                kind=kind,
                status=status,
                **counts,
            )
            await uow.commit()

    async def interrupted(self) -> list[Interrupted]:
        """Runs cut off by a restart (heartbeat stopped), marked `interrupted` and audited: to be told."""
        async with self.uow() as uow:
            found = await self._interrupt(uow, self.clock.now(), None)
            await uow.commit()
        return found

    async def _interrupt(self, uow: UnitOfWork, now: datetime, kind: str | None) -> list[Interrupted]:
        found = []
        for run in await uow.import_runs.stale(now - STALE, kind):
            if not await uow.import_runs.interrupt(run.id, now):  # another process marked it first: it tells
                continue
            uow.audit.record(
                now, AuditAction.IMPORT_INTERRUPTED, object_type="import_run", object_id=run.id, kind=run.kind
            )
            found.append(Interrupted(run.id, run.kind, run.started_by, run.chat_id, run.language, run.started_at))
        return found
