"""PostgreSQL's pre-ping, made only for a connection that may have gone stale.

SQLAlchemy's `pool_pre_ping` proves every checked-out connection with a round trip before its use; on
asyncpg that is three (BEGIN, an empty statement, ROLLBACK), which under load was a third of an update's
round trips to the database. A connection that came back to the pool a moment ago, in working order (a
connection that failed is invalidated, never returned) or made a moment ago (`pool_pre_ping` skips a new
one too), and whose socket the server has not closed since (asyncpg notices a server that stops or a reset
at once: `is_closed`), is handed out unproven; one idle longer gets the same ping, and a failed ping does what
`pool_pre_ping` does: the pool is invalidated and a new connection made.
"""

from __future__ import annotations

import time

from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncEngine

RECENT_SECONDS = 1.0
_RETURNED = "returned_at"


def ping_when_stale(engine: AsyncEngine, recent: float = RECENT_SECONDS) -> None:
    """For an engine made without `pool_pre_ping`."""
    sync = engine.sync_engine
    dialect = sync.dialect

    @event.listens_for(sync.pool, "connect")
    @event.listens_for(sync.pool, "checkin")
    def _returned(_dbapi_connection, record) -> None:
        if record is not None:
            record.info[_RETURNED] = time.monotonic()

    @event.listens_for(sync.pool, "checkout")
    def _checked_out(dbapi_connection, record, _proxy) -> None:
        returned = record.info.get(_RETURNED)
        if returned is not None and time.monotonic() - returned < recent and not record.driver_connection.is_closed():
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.InvalidatePoolError() from error  # as pool_pre_ping: every older connection replaced
            raise
