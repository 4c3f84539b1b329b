"""Schema migrations (Alembic), driven from code so no alembic.ini is needed."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(url: str, revision: str = "head") -> None:
    # Alembic's env runs its own event loop, so it gets a thread of its own.
    await asyncio.to_thread(command.upgrade, alembic_config(url), revision)


def is_unmigrated(exc: BaseException) -> bool:
    """True when `exc`, or what caused it, is PostgreSQL's missing table: a database `migrate` never ran on
    (SQLite is migrated by every process that opens it)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if type(current).__name__ == "UndefinedTableError":  # asyncpg's, not imported here for it
            return True
        current = current.__cause__ or current.__context__
    return False
