"""`migrate`: bring the database schema up to date (PostgreSQL deploys run it once per release)."""

from core.db.migrate import upgrade
from core.settings import Settings


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("migrate", help="apply database migrations")
    parser.set_defaults(handler=run)


async def run(_args, settings: Settings) -> int:
    await upgrade(settings.database_url)
    print("database is up to date")
    return 0
