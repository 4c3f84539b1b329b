"""`migrate`: bring the database schema up to date (PostgreSQL deploys run it once per release)."""

from bot.commands.base import command_parser
from core.db.migrate import upgrade
from core.settings import Settings

DESCRIPTION = """\
Apply the database migrations to DATABASE_URL and print "database is up to date".

Run it once per release before starting the new `run` and `worker` processes on PostgreSQL
(`docker compose run --rm migrate`). On SQLite `run` migrates by itself. Running it again on an
up-to-date database changes nothing."""


def add_parser(subparsers) -> None:
    parser = command_parser(subparsers, "migrate", help="apply database migrations", description=DESCRIPTION)
    parser.set_defaults(handler=run)


async def run(_args, settings: Settings) -> int:
    await upgrade(settings.database_url)
    print("database is up to date")
    return 0
