"""The registers back to the insurer (`core/exports.py`): written by the command line (`export`) and, for an
admin, by `/export` in the chat. Rows are streamed from the database a chunk at a time and written on a
worker thread, so memory stays flat and the event loop free whatever the number of rows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from core import exports
from core.actors import Capability
from core.audit import AuditAction
from core.calendar import Clock
from core.db.exports import CHUNK, register_query
from core.db.uow import UnitOfWorkFactory
from core.files import write_table_off_loop
from core.services.roles import RoleDirectory


@dataclass(frozen=True, slots=True)
class ExportDone:
    kind: str
    since: date
    rows: int
    path: Path


class ExportService:
    def __init__(self, uow: UnitOfWorkFactory, engine: AsyncEngine, clock: Clock, roles: RoleDirectory) -> None:
        self.uow = uow
        self.engine = engine
        self.clock = clock
        self.roles = roles

    async def write(self, kind: str, since: date, path: Path, *, caller: int | None = None) -> ExportDone:
        """The register `kind` since `since` into `path` (XLSX when it ends in `.xlsx`, else CSV). `caller`:
        the staff member asking in the chat, whose role is re-read first (`Forbidden` unless an admin);
        None for the operator's command line. Audited either way."""
        if kind not in exports.KINDS:
            raise ValueError(f"no register {kind!r}")
        if caller is not None:
            async with self.uow() as uow:
                await self.roles.require(uow, caller, Capability.EXPORT_REGISTERS)
        rows = await write_table_off_loop(
            path, exports.columns(kind), self._chunks(kind, since), exports.build_row(kind)
        )
        async with self.uow() as uow:
            uow.audit.record(
                self.clock.now(),
                AuditAction.EXPORT_WRITTEN,
                actor=caller,
                reason=kind,
                since=since.isoformat(),
                format="xlsx" if path.suffix.lower() == ".xlsx" else "csv",
                rows=rows,
            )
            await uow.commit()
        return ExportDone(kind, since, rows, path)

    async def _chunks(self, kind: str, since: date) -> AsyncIterator[list]:
        query = register_query(kind, since, exports.since_moment(since, self.clock.zone), self.engine.dialect.name)
        async with self.engine.connect() as connection:
            result = await connection.stream(query.execution_options(yield_per=CHUNK))
            async for chunk in result.partitions():
                yield chunk
