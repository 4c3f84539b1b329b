"""Writing checked rows: upserts by key in large batches, on SQLite and PostgreSQL.

Rows arrive as tuples of plain values: text, numbers, bools, dates as ISO text. SQLite takes
them as they are through the driver's executemany (no per-value type processing, which would
dominate a million-row import); PostgreSQL gets a Core `INSERT ... ON CONFLICT DO UPDATE` with
dates made `date` again, fine for its admin-sized files.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Boolean, Column, Date, Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from core.services.importing.report import ImportReport

BATCH = 20_000
IN_CHUNK = 500  # keys per `IN (...)`: far below every driver's parameter limit


class Store:
    """Inserts new rows of `columns` into `table`, and overwrites changed ones by `key`
    (`clear_on_update` columns become NULL)."""

    def __init__(
        self,
        conn: AsyncConnection,
        table: Table,
        columns: Sequence[str],
        key: str,
        clear_on_update: Sequence[str] = (),
    ) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        if self.sqlite:
            quote = conn.dialect.identifier_preparer.quote
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
            self.columns = columns
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


class Upserts:
    """Sorts accepted rows into imported, updated and unchanged by their fingerprint, and
    batches the first two for the store. `existing` maps each stored key to its fingerprint."""

    def __init__(
        self, store: Store, existing: dict[Hashable, Any], report: ImportReport, batch: int = BATCH
    ) -> None:
        self.store = store
        self.existing = existing
        self.report = report
        self.batch_size = batch
        self.new: list[tuple] = []
        self.changed: list[tuple] = []
        self.written: list[Hashable] = []  # keys written, in order: kinds with child rows need them

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
        self.written.append(key)
        return len(batch) >= self.batch_size

    async def flush(self) -> None:
        new, changed, self.new, self.changed = self.new, self.changed, [], []
        await self.store.write(new, new=True)
        await self.store.write(changed, new=False)


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
