"""Writing checked rows: upserts by key in large batches, on SQLite and PostgreSQL.

Rows arrive as tuples of plain values: text, numbers, bools, dates as ISO text. SQLite takes
them as they are through the driver's executemany (no per-value type processing, which would
dominate a million-row import); PostgreSQL gets a Core `INSERT ... ON CONFLICT DO UPDATE` with
dates made `date` again, fine for its admin-sized files.

A big file (the registry) goes through `bulk_store`: on SQLite each batch is its own transaction,
so that the bot's own writes get in between (WAL lets its reads through anyway); on PostgreSQL the
rows are COPYed into a staging table and moved into place by one set-based upsert, all in one
transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import (
    Awaitable,
    Callable,
    Collection,
    Hashable,
    Iterator,
    Sequence,
)
from datetime import date
from typing import Any

import asyncpg
from sqlalchemy import Boolean, Column, Date, Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from core.services.importing.report import ImportReport
from core.services.importing.sqlite_writer import SQLiteWriter

BATCH = 20_000
SQLITE_BATCH = 20_000
# Between two of a big import's transactions on SQLite the write lock stays free this long: a writer
# waiting for it (SQLite's busy handler sleeps 100 ms at most between tries) then always gets in.
SQLITE_GAP = 0.1
# The page cache of an importing connection or writer: SQLite's default 2 MB makes a bulk write into a
# table of many indexes rewrite the same index pages again and again.
SQLITE_CACHE_KB = 64 * 1024
FIRST_BATCH = 2000
IN_CHUNK = 500  # keys per `IN (...)`: far below every driver's parameter limit
STAGING = "import_staging"  # PostgreSQL: a temporary table, dropped at commit


class Store:
    """Inserts new rows of `columns` into `table`, and overwrites changed ones by `key`
    (`clear_on_update` columns become NULL)."""

    batch = BATCH  # rows per write

    def __init__(
        self,
        conn: AsyncConnection,
        table: Table,
        columns: Sequence[str],
        key: str,
        clear_on_update: Sequence[str] = (),
    ) -> None:
        self.conn = conn
        self.table = table
        self.columns = columns
        self.key = key
        self.clear_on_update = clear_on_update
        self.sqlite = conn.dialect.name == "sqlite"
        self.pending: asyncio.Future[None] | None = None  # a batch being written meanwhile, if any
        quote = conn.dialect.identifier_preparer.quote
        self.quote = quote
        if self.sqlite:
            names = ", ".join(quote(column) for column in columns)
            updates = [f"{quote(c)} = excluded.{quote(c)}" for c in columns if c != key]
            updates += [f"{quote(c)} = NULL" for c in clear_on_update]
            # A plain INSERT for new rows: SQLite's upsert costs about half as much again.
            self.insert_sql = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({', '.join('?' * len(columns))})"
            self.upsert_sql = f"{self.insert_sql} ON CONFLICT ({quote(key)}) DO UPDATE SET {', '.join(updates)}"
        else:
            statement = pg_insert(table)
            sets: dict[str, Any] = {c: statement.excluded[c] for c in columns if c != key}
            sets.update({c: None for c in clear_on_update})
            self.statement = statement.on_conflict_do_update(index_elements=[key], set_=sets)
            self.converters = [_from_plain(table.c[c]) for c in columns]

    async def write(self, rows: Sequence[tuple], new: bool) -> None:
        """`new`: none of the keys is stored yet (as far as the caller knows)."""
        if not rows:
            return
        if self.sqlite:
            await self.conn.exec_driver_sql(self.insert_sql if new else self.upsert_sql, rows)
        else:
            converters, columns = self.converters, self.columns
            params = [{c: f(v) for c, f, v in zip(columns, converters, row, strict=True)} for row in rows]
            await self.conn.execute(self.statement, params)

    async def write_batch(self, new: Sequence[tuple], changed: Sequence[tuple]) -> None:
        await self.write(new, new=True)
        await self.write(changed, new=False)

    def file_read(self) -> None:
        """Every row of the file has been read (no read-through is needed any more)."""

    async def settle(self) -> None:
        """Returns once no write is under way (before the connection is used for anything else), raising
        what the write raised."""
        pending, self.pending = self.pending, None
        if pending is not None:
            await pending

    async def finish(self) -> None:
        """After the last batch."""
        await self.settle()

    async def abandon(self) -> None:
        """The import failed: stop whatever is under way (the transaction is rolled back after)."""
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.cancel()
            with contextlib.suppress(BaseException):
                await pending


class CommittingStore(Store):
    """SQLite, big files: each batch is a transaction of its own. `before_first_commit` runs once,
    before the first batch is written (the importer reads the file through then: a file found
    unreadable halfway must leave nothing written).

    A batch full before the end of the file is handed to a writer process (sqlite_writer.py), which
    commits it while the importer checks the next rows; a file of one batch is written here, at the end,
    with no process started. A database in memory has no file for a writer: its batches are written here.
    Either way a batch whose new rows meet a key another import stored meanwhile is written again as
    upserts (that key is updated), as `CopyStore` does."""

    # Rows per transaction: the bot's writes wait for one batch at most (a fraction of a second).
    batch = SQLITE_BATCH

    def __init__(self, *args: Any, before_first_commit: Callable[[], Awaitable[None]] | None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.before_first_commit = before_first_commit
        self.reading = True
        database = self.conn.engine.url.database
        self.database = database if database and database != ":memory:" else None
        self.writer: SQLiteWriter | None = None

    def file_read(self) -> None:
        self.before_first_commit = None
        self.reading = False

    async def write_batch(self, new: Sequence[tuple], changed: Sequence[tuple]) -> None:
        await self.settle()  # one batch under way at a time
        if self.before_first_commit is not None:
            check, self.before_first_commit = self.before_first_commit, None
            await check()
        if self.writer is None and self.reading and self.database is not None:
            self.writer = await SQLiteWriter.start(self.database, SQLITE_GAP, SQLITE_CACHE_KB)
        if self.writer is None:
            try:
                await super().write_batch(new, changed)
            except IntegrityError:  # another import stored one of the new keys meanwhile: upserted instead
                await self.conn.rollback()
                await self.write([*new, *changed], new=False)
            await self.conn.commit()
            return
        statements = [(self.insert_sql, list(new), self.upsert_sql), (self.upsert_sql, list(changed), None)]
        await self.writer.send([statement for statement in statements if statement[1]])
        self.pending = asyncio.ensure_future(self.writer.committed())

    async def finish(self) -> None:
        await super().finish()
        if self.writer is not None:
            writer, self.writer = self.writer, None
            await writer.close()

    async def abandon(self) -> None:
        await super().abandon()
        if self.writer is not None:
            writer, self.writer = self.writer, None
            await writer.kill()


class CopyStore(Store):
    """PostgreSQL, big files: each batch is written with asyncpg's binary `copy_records_to_table`
    while the importer checks the next batch (the server works on one core, the checks on another),
    all within the import's one transaction. New rows are COPYed into the table itself, within a
    savepoint (measured: about 15 % less of the server's CPU than the upsert below). Changed rows,
    and new ones whose COPY met a key stored meanwhile by someone else, are COPYed into a temporary
    staging table of the written columns and moved into the table by one set-based `INSERT ...
    SELECT ... ON CONFLICT DO UPDATE`: such a key is updated, not a failure."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.staged = False
        # Flags need a Python type of their own for the binary COPY; dates are staged as the ISO text
        # they are and cast by the move, set-based (a date object a value costs the checks' core), and
        # made dates only for the new rows COPYed into the table itself (a C call a value, on the way).
        types = [
            (at, f, self.table.c[c].type) for at, (c, f) in enumerate(zip(self.columns, self.converters, strict=True))
        ]
        self.typed = [(at, f) for at, f, kind in types if isinstance(kind, Boolean)]
        self.typed_in_place = [(at, f) for at, f, kind in types if isinstance(kind, Boolean | Date)]
        quote, key = self.quote, self.key
        dates = {c for c in self.columns if isinstance(self.table.c[c].type, Date)}
        names = ", ".join(quote(c) for c in self.columns)
        staged = ", ".join(f"CAST({quote(c)} AS text) AS {quote(c)}" if c in dates else quote(c) for c in self.columns)
        moved = ", ".join(f"CAST({quote(c)} AS date)" if c in dates else quote(c) for c in self.columns)
        sets = [f"{quote(c)} = excluded.{quote(c)}" for c in self.columns if c != key]
        sets += [f"{quote(c)} = NULL" for c in self.clear_on_update]
        self.create_sql = (
            f"CREATE TEMPORARY TABLE {STAGING} ON COMMIT DROP AS "
            f"SELECT {staged} FROM {quote(self.table.name)} WITH NO DATA"
        )
        self.move_sql = (
            f"INSERT INTO {quote(self.table.name)} ({names}) SELECT {moved} FROM {STAGING} "
            f"ON CONFLICT ({quote(key)}) DO UPDATE SET {', '.join(sets)}"
        )

    async def write_batch(self, new: Sequence[tuple], changed: Sequence[tuple]) -> None:
        if not new and not changed:
            return
        await self.settle()  # one batch under way at a time
        if not self.staged:
            await self.conn.exec_driver_sql(self.create_sql)
            self.staged = True
        driver = (await self.conn.get_raw_connection()).driver_connection
        self.pending = asyncio.ensure_future(self._move(driver, new, changed))

    async def _move(self, driver: Any, new: Sequence[tuple], changed: Sequence[tuple]) -> None:
        columns = list(self.columns)
        if new:
            try:
                async with driver.transaction():  # a savepoint: a failed COPY leaves the import's transaction sound
                    records = [_typed(row, self.typed_in_place) for row in new]
                    await driver.copy_records_to_table(self.table.name, records=records, columns=columns)
                new = ()
            except asyncpg.UniqueViolationError:
                pass  # another import stored one of these keys meanwhile: the upsert sorts them out
        rows = [*new, *changed]
        if rows:
            if self.typed:
                rows = [_typed(row, self.typed) for row in rows]
            await driver.copy_records_to_table(STAGING, records=rows, columns=columns)
            await driver.execute(self.move_sql)
            await driver.execute(f"TRUNCATE {STAGING}")

    async def finish(self) -> None:
        await super().finish()
        if self.staged:
            await self.conn.exec_driver_sql(f"DROP TABLE {STAGING}")
            self.staged = False


def _typed(row: tuple, typed: list[tuple[int, Callable[[Any], Any]]]) -> tuple:
    values = list(row)
    for at, convert in typed:
        values[at] = convert(values[at])
    return tuple(values)


def bulk_store(
    conn: AsyncConnection,
    table: Table,
    columns: Sequence[str],
    key: str,
    clear_on_update: Sequence[str] = (),
    before_first_commit: Callable[[], Awaitable[None]] | None = None,
) -> Store:
    """The store of a big file: batches committed one by one on SQLite, COPY on PostgreSQL."""
    if conn.dialect.name == "sqlite":
        return CommittingStore(conn, table, columns, key, clear_on_update, before_first_commit=before_first_commit)
    if conn.dialect.driver == "asyncpg":
        return CopyStore(conn, table, columns, key, clear_on_update)
    return Store(conn, table, columns, key, clear_on_update)


class Upserts:
    """Sorts accepted rows into imported, updated and unchanged by their fingerprint, and
    batches the first two for the store. `existing` maps each stored key to its fingerprint.
    `keep_written`: the keys written are listed in `written` (a kind with child rows needs them; a
    big file's would be a million keys in memory)."""

    def __init__(
        self,
        store: Store,
        existing: dict[Hashable, Any],
        report: ImportReport,
        batch: int | None = None,
        keep_written: bool = False,
    ) -> None:
        self.store = store
        self.existing = existing
        self.report = report
        self.full_batch = batch or store.batch
        # The first batch is small, so that the writing (SQLite's writer process, PostgreSQL's server)
        # begins soon and runs beside the checks of the rest: a big first batch would be checked alone.
        self.batch_size = min(self.full_batch, FIRST_BATCH)
        self.new: list[tuple] = []
        self.changed: list[tuple] = []
        self.keep_written = keep_written
        self.written: list[Hashable] = []  # keys written, in order, when kept

    def add(self, key: Hashable, fingerprint: Any, row: tuple) -> bool:
        """True when a batch is full: a big file's loop then awaits `flush()`; small kinds
        flush once at the end."""
        before = self.existing.get(key)
        if before is None:
            self.report.imported += 1
            batch = self.new
        elif before == fingerprint:
            self.report.unchanged += 1
            return False
        else:
            self.report.updated += 1
            batch = self.changed
        batch.append(row)
        if self.keep_written:
            self.written.append(key)
        return len(batch) >= self.batch_size

    async def flush(self) -> None:
        new, changed, self.new, self.changed = self.new, self.changed, [], []
        self.batch_size = self.full_batch
        if new or changed:
            await self.store.write_batch(new, changed)

    async def finish(self) -> None:
        """The last batch, and whatever the store does once all are written."""
        await self.flush()
        await self.store.finish()

    async def settle(self) -> None:
        await self.store.settle()


async def lookup(conn: AsyncConnection, key: Column, value: Column, keys: Collection[Any]) -> dict[Any, Any]:
    """`{key: value}` for the rows whose `key` is among `keys`."""
    found: dict[Any, Any] = {}
    for chunk in chunks(sorted(keys), IN_CHUNK):
        found.update((k, v) for k, v in await conn.execute(select(key, value).where(key.in_(chunk))))
    return found


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def stored(conn: AsyncConnection, table: Table, columns: Sequence[str], key: str) -> dict[Any, tuple]:
    """`{key: row}` of a small table, each row in the plain form checked rows have."""
    result = await conn.execute(select(*(table.c[c] for c in columns)))
    at = columns.index(key)
    return {row[at]: tuple(_plain(value) for value in row) for row in result}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _from_plain(column: Column) -> Callable[[Any], Any]:
    if isinstance(column.type, Date):
        return lambda value: None if value is None else date.fromisoformat(value)
    if isinstance(column.type, Boolean):
        return lambda value: None if value is None else bool(value)
    return lambda value: value
