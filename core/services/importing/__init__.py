"""Importing the insurer's files (FORMATS.md): one module per kind, all through `import_file`.

Each kind module has `REQUIRED` (its required columns) and `async run(conn, table, report,
options)`; a new kind (bills) is one more module and one more entry in `KINDS`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from core.services.importing import clinics, deposits, programs, registry
from core.services.importing.options import Options
from core.services.importing.reader import UnreadableFile, open_table
from core.services.importing.report import ImportReport, RowIssue

KINDS = {"registry": registry, "programs": programs, "clinics": clinics, "deposits": deposits}

__all__ = ["KINDS", "ImportReport", "RowIssue", "UnreadableFile", "import_file"]


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
    be read at all raises `UnreadableFile` before anything is written."""
    module = KINDS.get(kind)
    if module is None:
        raise UnreadableFile(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
    report = ImportReport(kind)
    with open_table(source, filename) as table:
        table.require(module.REQUIRED)
        async with engine.begin() as conn:
            await module.run(conn, table, report, Options(today=today, full=full))
    return report
