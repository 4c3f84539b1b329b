"""Subcommands of `python -m bot`. Each module has `add_parser(subparsers)` setting `handler`."""

from bot.commands import migrate, run, sandbox

COMMANDS = [run, migrate, sandbox]
