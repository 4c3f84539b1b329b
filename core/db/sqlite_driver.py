"""aiosqlite as SQLAlchemy drives it, one trip to the connection's thread per statement.

aiosqlite runs each call on a thread of its own, and each call is a trip there and back through the
event loop. SQLAlchemy's adapter makes several per statement (open a cursor, execute, fetch, close the
cursor) and one more for the ROLLBACK a unit of work ends with, even when no transaction was open: a
policy card read six trips for one SELECT, most of its time. Here:

- a statement is one call on the thread: open a cursor, execute, fetch every row, close it, and bring
  back the rows, the description, the row count and the last row id (what the cursor answers later);
- COMMIT and ROLLBACK go to the thread only when SQLite has a transaction open. Python's `sqlite3`
  skips them itself in that case (it checks `sqlite3_get_autocommit` first), so nothing changes but the
  trip: a unit of work that only read (a SELECT opens no transaction in `sqlite3`'s default mode) ends
  without one.

The rest is SQLAlchemy's own adapter (server-side cursors, the connection's life, the errors). Every
statement still runs on the database when asked: nothing is cached, another process's commit is seen
by the next statement as before.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_connection, AsyncAdapt_aiosqlite_dbapi
from sqlalchemy.util.concurrency import await_


def _statement(
    connection: sqlite3.Connection, operation: str, parameters: Any, many: bool
) -> tuple[Any, list[Any], int, int | None]:
    """On the connection's thread: the whole statement, from cursor to rows."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneTripCursor:
    """A DB-API cursor whose statement has run to the end: its rows are held here."""

    server_side = False
    __slots__ = ("_adapt_connection", "_rows", "arraysize", "description", "lastrowid", "rowcount")

    def __init__(self, adapt_connection: OneTripConnection) -> None:
        self._adapt_connection = adapt_connection
        self._rows: collections.deque[Any] = collections.deque()
        self.arraysize = 1
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None

    def execute(self, operation: str, parameters: Sequence[Any] | None = None) -> None:
        self._run(operation, () if parameters is None else parameters, many=False)

    def executemany(self, operation: str, seq_of_parameters: Sequence[Sequence[Any]]) -> None:
        self._run(operation, seq_of_parameters, many=True)

    def _run(self, operation: str, parameters: Any, *, many: bool) -> None:
        adapt = self._adapt_connection
        try:
            self.description, rows, self.rowcount, self.lastrowid = await_(adapt.run(operation, parameters, many))
        except Exception as error:
            adapt._handle_exception(error)
        self._rows = collections.deque(rows)

    async def _async_soft_close(self) -> None:
        """SQLAlchemy's asyncio results call it to close the cursor on its thread: nothing is open."""

    def close(self) -> None:
        self._rows.clear()

    def setinputsizes(self, *inputsizes: Any) -> None:
        pass

    def setoutputsize(self, size: Any, column: Any = None) -> None:
        pass

    def nextset(self) -> None:
        return None

    def __enter__(self) -> OneTripCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[Any]:
        while self._rows:
            yield self._rows.popleft()

    def fetchone(self) -> Any:
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: int | None = None) -> list[Any]:
        rows = self._rows
        return [rows.popleft() for _ in range(min(self.arraysize if size is None else size, len(rows)))]

    def fetchall(self) -> list[Any]:
        rows = list(self._rows)
        self._rows.clear()
        return rows


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    def cursor(self, server_side: bool = False) -> Any:
        return super().cursor(server_side) if server_side else OneTripCursor(self)

    async def run(self, operation: str, parameters: Any, many: bool) -> tuple[Any, list[Any], int, int | None]:
        driver: aiosqlite.Connection = self._connection
        async with self._execute_mutex:
            return await driver._execute(_statement, driver._conn, operation, parameters, many)

    def _in_transaction(self) -> bool:
        # Read here, not on the thread: sqlite3_get_autocommit is a flag, and no call of this
        # connection is under way (SQLAlchemy awaits each one before the next).
        connection: sqlite3.Connection | None = self._connection._connection
        return connection is not None and connection.in_transaction

    def commit(self) -> None:
        if self._in_transaction():
            super().commit()

    def rollback(self) -> None:
        if self._in_transaction():
            super().rollback()


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection)


def dbapi() -> OneTripDBAPI:
    """The DB-API module to hand `create_async_engine(..., module=...)` for `sqlite+aiosqlite` URLs."""
    return OneTripDBAPI(aiosqlite, sqlite3)
