"""Whether a failure means a server is away (the database, Redis) rather than a fault of ours, or that the
database could not write at all (its disk full, read-only).

An update that met an outage is answered "temporarily unavailable, try again in a minute", not with an
incident: nothing was written (its transaction never committed) and the same press works once the server
is back. Anything else — a missing table, a bad statement, a bug — stays an incident. A command that met
either says so in one line (`bot/cli.py`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from enum import StrEnum

from asyncpg.exceptions import AdminShutdownError, CannotConnectNowError, CrashShutdownError, PostgresConnectionError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

# ConnectionError covers refused, reset, aborted and broken pipe; TimeoutError a connect or a read that
# outlived its bound; the pool's timeout, every connection waiting on a server that does not answer.
# PostgreSQL stopping, crashed, or starting up again (57P01–57P03; not the rest of class 57, whose
# 57014 is a statement cancelled or timed out: ours to look at).
_AWAY = (
    ConnectionError,
    TimeoutError,
    PostgresConnectionError,
    AdminShutdownError,
    CrashShutdownError,
    CannotConnectNowError,
    RedisConnectionError,
    RedisTimeoutError,
    PoolTimeoutError,
)


class Refusal(StrEnum):
    """Why the database could not write, whatever was to be written: said to an operator, not a user."""

    DISK_FULL = "disk-full"
    READ_ONLY = "read-only"
    DISK_FAILED = "disk-failed"  # an I/O error
    CANNOT_OPEN = "cannot-open"
    LOCKED = "locked"  # another process held SQLite's write lock past the wait


# SQLite's result codes by their names' start (SQLITE_IOERR_WRITE is an I/O error); PostgreSQL's SQLSTATEs.
_SQLITE_REFUSALS = {
    "SQLITE_FULL": Refusal.DISK_FULL,
    "SQLITE_READONLY": Refusal.READ_ONLY,
    "SQLITE_IOERR": Refusal.DISK_FAILED,
    "SQLITE_CANTOPEN": Refusal.CANNOT_OPEN,
    "SQLITE_BUSY": Refusal.LOCKED,
}
_POSTGRES_REFUSALS = {"53100": Refusal.DISK_FULL, "25006": Refusal.READ_ONLY, "58030": Refusal.DISK_FAILED}


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and what caused it, each once."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def storage_refusal(exc: BaseException) -> Refusal | None:
    """Why the database could not write, when `exc` or what caused it says so."""
    for current in _chain(exc):
        if isinstance(current, DBAPIError) and current.orig is not None:
            current = current.orig
        if isinstance(current, sqlite3.Error) and current.sqlite_errorname:
            for name, refusal in _SQLITE_REFUSALS.items():
                if current.sqlite_errorname.startswith(name):
                    return refusal
        if (refusal := _POSTGRES_REFUSALS.get(getattr(current, "sqlstate", None) or "")) is not None:
            return refusal
    return None


def is_outage(exc: BaseException) -> bool:
    """True when `exc`, or what caused it, says a server could not be reached or dropped the connection."""
    for current in _chain(exc):
        if isinstance(current, _AWAY):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
    return False
