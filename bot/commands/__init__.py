"""Subcommands of `python -m bot`. Each module has `add_parser(subparsers)` setting `handler`."""

from bot.commands import export, importing, invite, jobs, migrate, run, sandbox, set_webhook, worker

COMMANDS = [run, worker, migrate, sandbox, set_webhook, importing, export, invite, jobs]
