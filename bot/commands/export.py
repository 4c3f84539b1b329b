"""`python -m bot export KIND --since YYYY-MM-DD FILE`: a register back to the insurer's back office
(docs/formats.md "Exports"), CSV or XLSX by the file's extension."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.commands.base import EXIT_OK, UsageError, command_parser, iso_date
from bot.factory.cli import command_container
from core.exports import KINDS
from core.settings import Settings

DESCRIPTION = """\
Write a register for the insurer's back office: payments, refunds, invoices (offline payments and
cancellations included), franchise activations, suspensions of access, disputes or requests. The
columns: docs/formats.md. CSV (UTF-8 with a BOM, `,`), or XLSX when FILE ends in .xlsx.

--since keeps every row with any of its dates or timestamps on or after that day (a payment created
before it and settled after it is in), a timestamp counting from the start of the day in TIMEZONE.
Exit status 0 when written, 2 on bad usage or a file that cannot be written (one line on standard error)."""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = command_parser(
        subparsers,
        "export",
        help="write a register for the insurer: payments, refunds, invoices, …",
        description=DESCRIPTION,
    )
    parser.add_argument("kind", choices=list(KINDS), help="which register")
    parser.add_argument(
        "--since", type=iso_date, metavar="YYYY-MM-DD", required=True, help="rows that changed on or after this day"
    )
    parser.add_argument("file", type=Path, help="the CSV or XLSX file to write")
    parser.set_defaults(handler=run)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    if not args.file.parent.is_dir():
        raise UsageError(f"cannot write {args.file}: no such folder")
    async with command_container(settings) as container:
        try:
            done = await container.exports.write(args.kind, args.since, args.file)
        except OSError as exc:
            if exc.filename is None:  # not the file: the database's connection, say
                raise
            raise UsageError(f"cannot write {args.file}: {exc.strerror}") from None
    print(f"{done.rows} rows written to {args.file}")
    return EXIT_OK
