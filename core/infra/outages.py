"""Whether a failure means a server is away (the database, Redis) rather than a fault of ours.

An update that met one is answered "temporarily unavailable, try again in a minute", not with an incident:
nothing was written (its transaction never committed) and the same press works once the server is back.
Anything else — a missing table, a bad statement, a bug — stays an incident.
"""

from __future__ import annotations

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


def is_outage(exc: BaseException) -> bool:
    """True when `exc`, or what caused it, says a server could not be reached or dropped the connection."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, _AWAY):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        current = current.__cause__ or current.__context__
    return False
