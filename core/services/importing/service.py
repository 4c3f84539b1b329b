"""`ImportService`: every kind of the insurer's files through one call, for the command line and the
chat's uploads alike: the same limits, the same checks, one `ImportResult` to print or show.

The tables of reference data (registry, programs, clinics, deposits) are written by `import_file` through
one Core connection, for speed; bills by the billing service, whose invoices need the unit of work.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine

from core.calendar import Clock
from core.services.billing import bills
from core.services.importing import KINDS as TABLES
from core.services.importing import import_file
from core.services.importing.issues_file import issues_csv
from core.services.importing.limits import COMMAND_LINE, Limits
from core.services.importing.progress import EVERY_S, Progress, ProgressTracker
from core.services.importing.reader import ImportRefused, open_table
from core.services.importing.report import ImportResult

if TYPE_CHECKING:
    from core.services.billing import BillingService

BILLS = bills.KIND
REQUIRED = {**{kind: module.REQUIRED for kind, module in TABLES.items()}, BILLS: bills.REQUIRED}
KINDS = tuple(REQUIRED)  # registry, programs, clinics, deposits, bills


def check_import(
    kind: str,
    source: Path | bytes,
    *,
    filename: str | None = None,
    limits: Limits = COMMAND_LINE,
    full: bool = False,
    issued_on: date | None = None,
) -> None:
    """Raises `ImportRefused` where `ImportService.run` would before reading a row, with no database (the
    command line checks before it migrates one)."""
    _check_options(kind, full, issued_on)
    with open_table(source, filename, limits) as table:
        table.require(REQUIRED[kind])


def _check_options(kind: str, full: bool, issued_on: date | None) -> None:
    if kind not in REQUIRED:
        raise ImportRefused(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
    if full and kind != "registry":
        raise ImportRefused("--full applies to the registry only")
    if issued_on is not None and kind != BILLS:
        raise ImportRefused("--issued-on applies to bills only")


class ImportService:
    def __init__(self, engine: AsyncEngine, clock: Clock, billing: BillingService) -> None:
        self.engine = engine
        self.clock = clock
        self.billing = billing
        self.progress_every_s = EVERY_S  # between two reports of progress

    async def run(
        self,
        kind: str,
        source: Path | bytes,
        *,
        filename: str | None = None,
        limits: Limits = COMMAND_LINE,
        full: bool = False,
        issued_on: date | None = None,
        progress: Progress | None = None,
        report_to: Path | None = None,
    ) -> ImportResult:
        """Imports one file of `kind` (`KINDS`) within `limits`. `full`: the registry lists everyone of its
        contracts; `issued_on`: the bills' invoices' issue date (default today). `progress` is told how far
        the import is every few seconds, and once at the end (progress.py); `report_to` gets every issue as
        CSV, written once the import is done.

        Bad rows are rejected and reported, the others imported. Raises `ImportRefused` for an import not
        done as asked (`UnreadableFile`: the file cannot be read at all), and then nothing is written."""
        _check_options(kind, full, issued_on)
        tracker = ProgressTracker(progress, self.progress_every_s) if progress is not None else None
        try:
            with issues_csv(report_to) as sink:
                if kind == BILLS:
                    result = await self.billing.issue_from_bills(
                        source, issued_on, filename=filename, limits=limits, sink=sink, progress=tracker
                    )
                else:
                    result = await import_file(
                        self.engine,
                        kind,
                        source,
                        filename=filename,
                        full=full,
                        today=self.clock.today(),
                        limits=limits,
                        sink=sink,
                        progress=tracker,
                    )
        except BaseException:
            if tracker is not None:
                tracker.abandon()
            raise
        if tracker is not None:
            await tracker.finish()
        return replace(result, report_file=report_to)
