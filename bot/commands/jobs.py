"""`python -m bot jobs run-daily [--today YYYY-MM-DD]`: the daily billing job (core/services/billing.py):
invoices past their due date become OVERDUE, their people are restricted, people with nothing overdue
any more are restored, each with its notice in the outbox. Idempotent: a second run on a day changes
nothing. The worker will schedule it; until then it is a command (cron).

Prints one line: `YYYY-MM-DD: overdue N, restricted M, restored K, notices L`.
"""

from __future__ import annotations

import argparse
from datetime import date

from bot.commands.base import EXIT_OK
from bot.factory.cli import command_container
from core.settings import Settings


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("jobs", help="run a scheduled job once")
    jobs = parser.add_subparsers(dest="job", required=True)
    daily = jobs.add_parser("run-daily", help="mark overdue invoices, restrict and restore access")
    daily.add_argument("--today", type=_iso_date, metavar="YYYY-MM-DD", help="the day to run as (default: today)")
    daily.set_defaults(handler=run_daily)


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
