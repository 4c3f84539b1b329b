"""Importing the insurer's files (docs/formats.md): one module per kind, all through `import_file`.

Each kind module has `REQUIRED` (its required columns) and `async run(conn, table, report,
options)`; a new kind (bills) is one more module and one more entry in `KINDS`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import ModuleType

from sqlalchemy.ext.asyncio import AsyncEngine

from core.calendar import Clock

from core.services.importing import clinics, deposits, programs, registry
from core.services.importing.options import Options
from core.services.importing.reader import UnreadableFile, open_table
from core.services.importing.report import ImportReport, RowIssue

KINDS = {"registry": registry, "programs": programs, "clinics": clinics, "deposits": deposits}

__all__ = ["KINDS", "ImportReport", "Importer", "RowIssue", "UnreadableFile", "check_file", "import_file"]


class Importer:
    """The use case the command line (and the staff desk's uploads) call: today's date from the clock.
    The bulk path writes through one Core connection for speed, not through the unit of work."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    async def run(
        self, kind: str, source: Path | bytes, *, filename: str | None = None, full: bool = False
    ) -> ImportReport:
        return await import_file(self.engine, kind, source, filename=filename, full=full, today=self.clock.today())


async def import_file(
    engine: AsyncEngine,
    kind: str,
    source: Path | bytes,
    *,
    filename: str | None = None,
    full: bool = False,
    today: date,
) -> ImportReport:
    """Imports one file in one transaction. Bad rows are reported and skipped; a file that cannot
    be read at all raises `UnreadableFile`, and nothing is written."""
    module = _module(kind)
    report = ImportReport(kind)
    with open_table(source, filename) as table:
        table.require(module.REQUIRED)
        async with engine.begin() as conn:
            await module.run(conn, table, report, Options(today=today, full=full))
    return report


def check_file(kind: str, source: Path | bytes, *, filename: str | None = None) -> None:
    """Raises `UnreadableFile` when `import_file` would before reading a row: no database needed."""
    module = _module(kind)
    with open_table(source, filename) as table:
        table.require(module.REQUIRED)


def _module(kind: str) -> ModuleType:
    if kind not in KINDS:
        raise UnreadableFile(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
    return KINDS[kind]
