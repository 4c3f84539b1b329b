"""`python -m bot jobs run-daily [--today YYYY-MM-DD]`: the daily billing job (core/services/billing.py):
invoices past their due date become OVERDUE, their people are restricted, people with nothing overdue
any more are restored, each with its notice in the outbox. Idempotent: a second run on a day changes
nothing. The worker runs it every night at 00:05; this command runs it once.

Prints one line: `YYYY-MM-DD: overdue N, restricted M, restored K, notices L`.

`python -m bot jobs retention`: the retention job (core/services/retention.py) once, as the worker runs it
every night at 03:30; prints what it deleted in one line.
"""

from __future__ import annotations

import argparse
from datetime import date

from bot.commands.base import EXIT_OK, command_parser
from bot.factory.cli import command_container
from core.settings import Settings

DAILY = """\
The daily billing job once: invoices past their due date become overdue, their people's access is
restricted, people with nothing overdue any more are restored, each with its notice. Running it again
on the same day changes nothing. Prints `YYYY-MM-DD: overdue N, restricted M, restored K, notices L`."""

RETENTION = """\
The retention job once: unfinished registrations older than RETAIN_DIALOG_DAYS are erased as /delete_me
erases, registration attempts older than RETAIN_ATTEMPTS_DAYS, questions to support from people who never
registered older than RETAIN_QUESTIONS_DAYS and audit entries older than RETAIN_AUDIT_DAYS are deleted, in
chunks. Running it again deletes nothing more. Prints one line of counts."""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = command_parser(
        subparsers,
        "jobs",
        help="run a scheduled job once",
        description="Run one of the worker's scheduled jobs once, now (the worker runs them on its own).",
    )
    jobs = parser.add_subparsers(dest="job", required=True)
    daily = command_parser(
        jobs,
        "run-daily",
        help="mark overdue invoices, restrict and restore access",
        description=DAILY,
    )
    daily.add_argument("--today", type=_iso_date, metavar="YYYY-MM-DD", help="the day to run as (default: today)")
    daily.set_defaults(handler=run_daily)
    retention = command_parser(
        jobs, "retention", help="delete what is past its retention period", description=RETENTION
    )
    retention.set_defaults(handler=run_retention)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date {text!r}: use YYYY-MM-DD") from None


async def run_daily(args: argparse.Namespace, settings: Settings) -> int:
    async with command_container(settings) as container:
        report = await container.billing.run_daily(args.today)
    print(report.summary())
    return EXIT_OK


async def run_retention(args: argparse.Namespace, settings: Settings) -> int:
    async with command_container(settings) as container:
        report = await container.retention.run()
    print(report.summary())
    return EXIT_OK
