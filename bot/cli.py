"""`python -m bot COMMAND`: one small module per command in `bot/commands/`.

Exit status: 0 done, 1 done but some rows rejected, 2 bad usage, unreadable input, a server (the
database, Redis) that could not be reached, or a database that could not write (its disk full,
read-only) — always one clear line, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.commands import COMMANDS
from bot.commands.base import EXIT_OK, EXIT_USAGE, UsageError
from bot.logging_setup import setup_logging
from core.db.migrate import is_unmigrated
from core.infra.outages import Refusal, is_outage, storage_refusal
from core.settings import ConfigError, load_settings

REFUSALS = {
    Refusal.DISK_FULL: "its disk is full",
    Refusal.READ_ONLY: "it is read-only",
    Refusal.DISK_FAILED: "its disk failed (an I/O error)",
    Refusal.CANNOT_OPEN: "its file cannot be opened",
    Refusal.LOCKED: "another process held its write lock past the wait",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exits with 2 after a usage dump
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m bot", description="DMS cabinet bot")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        setup_logging(settings.log_level)
        return asyncio.run(args.handler(args, settings)) or EXIT_OK
    except (ConfigError, UsageError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_OK
    except Exception as exc:
        if is_outage(exc):
            print(
                f"{args.command}: stopped: {_away(exc)} could not be reached or dropped the connection", file=sys.stderr
            )
        elif (refusal := storage_refusal(exc)) is not None:
            print(
                f"{args.command}: stopped: the database (DATABASE_URL) could not write: {REFUSALS[refusal]}",
                file=sys.stderr,
            )
        elif is_unmigrated(exc):
            print(
                f"{args.command}: stopped: the database (DATABASE_URL) has no tables yet: run migrate first",
                file=sys.stderr,
            )
        else:
            raise  # a fault of ours: its traceback is what finds it
        return EXIT_USAGE


def _away(exc: BaseException) -> str:
    """Which server an outage was met on: Redis when the error chain names it, else the database."""
    while exc is not None:
        if type(exc).__module__.startswith("redis"):
            return "Redis (REDIS_URL)"
        exc = exc.__cause__ or exc.__context__
    return "the database (DATABASE_URL)"
