"""What every subcommand shares: exit codes, the usage error and how its parser is made."""

import argparse

EXIT_OK, EXIT_USAGE = 0, 2  # 1, done with rejected rows, is the import's (`ImportResult.exit_code`)


class UsageError(Exception):
    """Bad usage or unreadable input: one line on stderr, exit 2."""


def command_parser(subparsers, name: str, *, help: str, description: str) -> argparse.ArgumentParser:
    """A subcommand's parser: `help` is its line in `python -m bot --help`, `description` what
    `python -m bot NAME --help` prints above the options (paragraphs kept as written)."""
    return subparsers.add_parser(
        name, help=help, description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
