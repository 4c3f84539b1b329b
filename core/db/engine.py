"""Engine and session factory for SQLite (embedded) and PostgreSQL (production)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import ORMExecuteState, Session

from core.db import sqlite_driver
from core.db.ping import ping_when_stale


def sqlite_file(url: str) -> Path | None:
    if not url.startswith("sqlite"):
        return None
    path = url.split(":///", 1)[1] if ":///" in url else ""
    return None if path in ("", ":memory:") else Path(path)


def create_engine(url: str) -> AsyncEngine:
    # hide_parameters: an error message must never carry a bound value (names, phones).
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        # One trip to aiosqlite's thread per statement, none for an empty COMMIT or ROLLBACK (sqlite_driver.py).
        engine = create_async_engine(
            url, module=sqlite_driver.dbapi(), connect_args={"timeout": 30}, hide_parameters=True
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # A server that went away without a word (no refusal) fails a connect in 10 s, not asyncpg's 60.
    engine = create_async_engine(url, pool_size=10, max_overflow=10, hide_parameters=True, connect_args={"timeout": 10})
    ping_when_stale(engine)  # pool_pre_ping's round trips, only where a connection may have gone stale
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets the worker and the bot read while one writes; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


class ReadingSession(Session):
    """The session of a unit of work that only reads (`reading_sessions`). Outside a transaction a write
    would be kept at once, statement by statement: one is a mistake, refused before it reaches the database."""


@event.listens_for(ReadingSession, "before_flush")
def _no_flush(_session, _context, _instances) -> None:
    raise RuntimeError("a unit of work that only reads has nothing to flush")


@event.listens_for(ReadingSession, "do_orm_execute")
def _selects_only(state: ORMExecuteState) -> None:
    if not state.is_select:
        raise RuntimeError("a unit of work that only reads runs SELECTs only")


def reading_sessions(sessions: async_sessionmaker[AsyncSession]) -> async_sessionmaker[AsyncSession]:
    """Sessions for units of work that only read. On PostgreSQL their statements run outside a transaction
    (AUTOCOMMIT): no BEGIN and no ROLLBACK around them, two round trips of a short read's three or four. Under
    READ COMMITTED (PostgreSQL's default, this bot's) a statement sees what was committed when it began, in a
    transaction or not, so each reads the same. SQLite's driver begins a transaction only before a write: there
    they are the same sessions."""
    engine: AsyncEngine = sessions.kw["bind"]
    if engine.dialect.name != "postgresql":
        return sessions
    return async_sessionmaker(
        engine.execution_options(isolation_level="AUTOCOMMIT"),
        expire_on_commit=False,
        sync_session_class=ReadingSession,
    )
