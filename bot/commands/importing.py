"""`python -m bot import KIND FILE [--full] [--report FILE] [--limits SET]`: import one file
(docs/formats.md).

Prints the first 1,000 issue lines (a rejected row or a dropped value each), then `… and K more`
if there were more, then the summary; `--report FILE` writes every issue as CSV. Exit 1 when rows
were rejected, 2 when the file cannot be read at all (one line on standard error).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from bot.commands.base import UsageError
from bot.factory.cli import command_container
from core.files import table_writer
from core.services.billing import check_bills
from core.services.importing import (
    COMMAND_LINE,
    KINDS,
    LIMIT_SETS,
    RowIssue,
    Sink,
    UnreadableFile,
    check_file,
)
from core.settings import Settings

BILLS = "bills"  # stored and invoiced by the billing service (core/services/billing.py), not the importer
REPORT_COLUMNS = ("line", "column", "level", "code", "reason")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("import", help="import registry, programs, clinics, deposits or bills from CSV/XLSX")
    parser.add_argument("kind", choices=[*KINDS, BILLS])
    parser.add_argument("file", type=Path)
    parser.add_argument("--full", action="store_true", help="registry: the file lists everyone of its contracts")
    parser.add_argument("--issued-on", type=_iso_date, metavar="YYYY-MM-DD", help="bills: the invoices' issue date")
    parser.add_argument("--report", type=Path, metavar="FILE", help="write every issue to this CSV file")
    parser.add_argument(
        "--limits",
        choices=list(LIMIT_SETS),
        default=COMMAND_LINE.name,
        help="the limits the file must keep to: the command line's (default) or the bot uploads' tighter ones",
    )
    parser.set_defaults(handler=run)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date {text!r}: use YYYY-MM-DD") from None


async def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.full and args.kind != "registry":
        raise UsageError("--full applies to the registry only")
    if args.issued_on is not None and args.kind != BILLS:
        raise UsageError("--issued-on applies to bills only")
    limits = LIMIT_SETS[args.limits]
    try:
        # before migrating: an unreadable file is one line
        if args.kind == BILLS:
            check_bills(args.file, limits=limits)
        else:
            check_file(args.kind, args.file, limits=limits)
        async with command_container(settings) as container:
            with _report(args.report) as sink:
                if args.kind == BILLS:
                    report = await container.billing.issue_from_bills(
                        args.file, args.issued_on, limits=limits, sink=sink
                    )
                else:
                    report = await container.importer.run(
                        args.kind, args.file, full=args.full, limits=limits, sink=sink
                    )
    except UnreadableFile as exc:
        raise UsageError(str(exc)) from None
    except MemoryError:  # the limits are meant to make this impossible; still one line, no traceback
        raise UsageError(f"{args.file}: not enough memory to import it") from None
    for line in report.lines():
        print(line)
    print(report.summary())
    return report.exit_code


@contextmanager
def _report(path: Path | None) -> Iterator[Sink | None]:
    """Every issue as a CSV row; the file appears only once the import is done."""
    if path is None:
        yield None
        return
    try:
        writer = table_writer(path, REPORT_COLUMNS)
        write = writer.__enter__()
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None

    def sink(issue: RowIssue) -> None:
        write([issue.line, issue.column, "warning" if issue.warning else "rejected", issue.code, issue.reason()])

    try:
        yield sink
    except BaseException as exc:
        writer.__exit__(type(exc), exc, exc.__traceback__)
        raise
    try:
        writer.__exit__(None, None, None)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
