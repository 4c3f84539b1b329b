"""What every subcommand shares: exit codes, the usage error and how its parser is made."""

import argparse
from datetime import date

EXIT_OK, EXIT_USAGE = 0, 2  # 1, done with rejected rows, is the import's (`ImportResult.exit_code`)


class UsageError(Exception):
    """Bad usage or unreadable input: one line on stderr, exit 2."""


def command_parser(subparsers, name: str, *, help: str, description: str) -> argparse.ArgumentParser:
    """A subcommand's parser: `help` is its line in `python -m bot --help`, `description` what
    `python -m bot NAME --help` prints above the options (paragraphs kept as written)."""
    return subparsers.add_parser(
        name, help=help, description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )


def iso_date(text: str) -> date:
    """An option's date, as YYYY-MM-DD (argparse tells anything else as bad usage)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date {text!r}: use YYYY-MM-DD") from None
