"""Telling a process-local cache that something was committed through an engine.

Every commit in this process goes through one of the engine's pooled connections (a unit of work's
session, the importer's Core connection, the code store's sessions), and that connection goes back to
the pool once its transaction has ended. The listener is called then, after the database has the change,
for each connection that committed: a read that starts afterwards sees the change, and a read that
started before it is one a cache must not keep (the cache's own epoch, as in `PolicyRowsCache`).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

_COMMITTED = "committed"


def on_commit(engine: AsyncEngine, listener: Callable[[], None]) -> None:
    """`listener` (synchronous, quick: it runs in the pool's return path) after each commit."""
    sync = engine.sync_engine

    @event.listens_for(sync, "commit")
    def _committing(connection) -> None:  # before the COMMIT itself: only noted here
        connection.info[_COMMITTED] = True

    @event.listens_for(sync.pool, "checkin")
    def _returned(_dbapi_connection, record) -> None:
        if record is not None and record.info.pop(_COMMITTED, False):
            listener()
