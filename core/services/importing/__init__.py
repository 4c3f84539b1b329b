"""Importing the insurer's files (docs/formats.md). `ImportService` (service.py) is the use case for every
kind; the tables of reference data (`KINDS` here) go through `import_file`, bills through the billing service.

Each kind module here has `REQUIRED` (its required columns) and `async run(conn, table, report, options)`;
a new kind of table is one more module and one more entry in `KINDS`. Every file is read within a named
set of `Limits` (limits.py): the command line's, or the uploads' tighter ones.
"""

from __future__ import annotations

import asyncio
import itertools
from datetime import date
from pathlib import Path
from types import ModuleType

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from core.services.importing import clinics, deposits, programs, registry
from core.services.importing.collector import collector_paused
from core.services.importing.limits import COMMAND_LINE, LIMIT_SETS, UPLOAD, Limits
from core.services.importing.options import Options
from core.services.importing.progress import ProgressTracker
from core.services.importing.reader import ImportRefused, UnreadableFile, open_table
from core.services.importing.report import ImportReport, ImportResult, RowIssue, Sink
from core.services.importing.store import SQLITE_CACHE_KB

KINDS = {"registry": registry, "programs": programs, "clinics": clinics, "deposits": deposits}

__all__ = [
    "COMMAND_LINE",
    "KINDS",
    "LIMIT_SETS",
    "UPLOAD",
    "ImportRefused",
    "ImportReport",
    "ImportResult",
    "Limits",
    "RowIssue",
    "Sink",
    "UnreadableFile",
    "import_file",
]


async def import_file(
    engine: AsyncEngine,
    kind: str,
    source: Path | bytes,
    *,
    filename: str | None = None,
    full: bool = False,
    today: date,
    limits: Limits = COMMAND_LINE,
    sink: Sink | None = None,
    progress: ProgressTracker | None = None,
) -> ImportResult:
    """Imports one file of reference data. Bad rows are reported (the first ones kept, every one given to `sink`)
    and skipped; a file that cannot be read at all raises `UnreadableFile`, and nothing is written.

    One transaction per file, except the registry on SQLite: there each batch of rows commits
    on its own, so that a big import does not hold the database's only write lock for minutes;
    the file is then read through once before the first batch is written.
    """
    module = _module(kind)
    report = ImportReport(kind, sink)
    with open_table(source, filename, limits) as table, collector_paused():
        table.require(module.REQUIRED)
        if progress is not None:
            progress.follow(table)
        async with engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            # A file the reader has not proven readable is read through before the first commit.
            read_through = (lambda: _read_through(source, filename, limits)) if sqlite and not table.readable else None
            options = Options(today=today, full=full, read_through=read_through)
            cache = await _bigger_cache(conn) if sqlite else None
            try:
                await module.run(conn, table, report, options)
                await conn.commit()
            except BaseException:
                await conn.rollback()
                raise
            finally:
                if cache is not None:
                    await conn.exec_driver_sql(f"PRAGMA cache_size = {int(cache)}")
    return report.result()


async def _bigger_cache(conn: AsyncConnection) -> int:
    """The importer's page cache (`SQLITE_CACHE_KB`); the previous size is returned, to restore."""
    previous = (await conn.exec_driver_sql("PRAGMA cache_size")).scalar_one()
    await conn.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
    return previous


async def _read_through(source: Path | bytes, filename: str | None, limits: Limits) -> None:
    """Every row of the file read once, for nothing but the errors; the event loop turns between
    pieces (a bot importing an upload keeps answering)."""
    with open_table(source, filename, limits) as table:
        rows = table.rows
        while sum(1 for _ in itertools.islice(rows, 20_000)) == 20_000:
            await asyncio.sleep(0)


def _module(kind: str) -> ModuleType:
    if kind not in KINDS:
        raise UnreadableFile(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
    return KINDS[kind]
