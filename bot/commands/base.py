"""What every subcommand shares: exit codes and the usage error."""

EXIT_OK, EXIT_USAGE = 0, 2  # 1, done with rejected rows, is the import's (`ImportResult.exit_code`)


class UsageError(Exception):
    """Bad usage or unreadable input: one line on stderr, exit 2."""
