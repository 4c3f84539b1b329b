"""`python -m bot import KIND FILE [--full] [--issued-on YYYY-MM-DD]`: import one file (docs/formats.md).

Prints one line per rejected row or dropped value, then the summary; exit 1 when rows were
rejected, 2 when the file cannot be read at all.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from bot.commands.base import UsageError
from core.bootstrap import bootstrap
from core.services.importing import KINDS, UnreadableFile, check_file
from core.settings import Settings

LATER = ("bills",)  # a documented kind, not importable yet


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import", help="import registry, programs, clinics, deposits or bills from CSV/XLSX"
    )
    parser.add_argument("kind", choices=[*KINDS, *LATER])
    parser.add_argument("file", type=Path)
    parser.add_argument("--full", action="store_true", help="registry: the file lists everyone of its contracts")
    parser.add_argument(
        "--issued-on", type=_iso_date, metavar="YYYY-MM-DD", help="bills: the invoices' issue date"
    )
    parser.set_defaults(handler=run)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date {text!r}: use YYYY-MM-DD") from None


async def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.kind in LATER:
        raise UsageError(f"{args.kind}: not available yet")
    if args.full and args.kind != "registry":
        raise UsageError("--full applies to the registry only")
    if args.issued_on is not None:
        raise UsageError("--issued-on applies to bills only")
    try:
        check_file(args.kind, args.file)  # before migrating: an unreadable file is one line, nothing else
        container = await bootstrap(settings)
        try:
            report = await container.importer.run(args.kind, args.file, full=args.full)
        finally:
            await container.close()
    except UnreadableFile as exc:
        raise UsageError(str(exc)) from None
    for line in report.lines():
        print(line)
    print(report.summary())
    return report.exit_code
