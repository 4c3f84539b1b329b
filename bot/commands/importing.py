"""`python -m bot import KIND FILE [--full] [--issued-on YYYY-MM-DD] [--report FILE] [--limits SET]`: import
one file (docs/formats.md) through the import service, as the chat's uploads will.

Prints the first 1,000 issue lines (a rejected row or a dropped value each), then `… and K more`
if there were more, then the summary; `--report FILE` writes every issue as CSV. Exit 1 when rows
were rejected, 2 when the file cannot be read at all or the database refused a batch (one line on
standard error).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.commands.base import UsageError, command_parser, iso_date
from bot.factory.cli import command_container
from core.services.importing.limits import COMMAND_LINE, LIMIT_SETS
from core.services.importing.reader import ImportRefused
from core.services.importing.service import KINDS, check_import
from core.services.importing.sqlite_writer import WriteFailed
from core.settings import Settings

DESCRIPTION = """\
Import one CSV or XLSX file of the given kind (the columns: docs/formats.md). Import order:
programs, clinics, registry, deposits; bills issue the invoices of the lines they bring.

Prints the first 1,000 issues as `line N: column: reason`, then the summary `imported N, updated M,
unchanged U, rejected R` (bills: also `invoices issued K`). Exit status 0 when every row was taken,
1 when rows were rejected, 2 when the file cannot be read at all (nothing is written then), the
database refused a batch of a big registry on SQLite (the batches before it stay), or the database
could not write (its disk full, read-only: the import's transaction is rolled back)."""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = command_parser(
        subparsers,
        "import",
        help="import registry, programs, clinics, deposits or bills from CSV/XLSX",
        description=DESCRIPTION,
    )
    parser.add_argument("kind", choices=KINDS, help="what the file holds")
    parser.add_argument("file", type=Path, help="the CSV or XLSX file")
    parser.add_argument("--full", action="store_true", help="registry: the file lists everyone of its contracts")
    parser.add_argument("--issued-on", type=iso_date, metavar="YYYY-MM-DD", help="bills: the invoices' issue date")
    parser.add_argument("--report", type=Path, metavar="FILE", help="write every issue to this CSV file")
    parser.add_argument(
        "--limits",
        choices=list(LIMIT_SETS),
        default=COMMAND_LINE.name,
        help="the limits the file must keep to: the command line's (default) or the bot uploads' tighter ones",
    )
    parser.set_defaults(handler=run)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    asked = {"limits": LIMIT_SETS[args.limits], "full": args.full, "issued_on": args.issued_on}
    try:
        check_import(args.kind, args.file, **asked)  # before migrating: an unreadable file is one line
        async with command_container(settings) as container:
            result = await container.imports.run(args.kind, args.file, report_to=args.report, **asked)
    except ImportRefused as exc:
        raise UsageError(str(exc)) from None
    except WriteFailed as exc:  # SQLite, a big file: its batches committed before the refusal stay
        raise UsageError(f"{args.file}: import stopped, {exc}; the rows written before it stay") from None
    except MemoryError:  # the limits are meant to make this impossible; still one line, no traceback
        raise UsageError(f"{args.file}: not enough memory to import it") from None
    for line in result.lines():
        print(line)
    print(result.summary())
    return result.exit_code
