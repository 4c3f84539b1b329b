"""Bulk reading and writing, for imports and the daily job: values in chunks for IN lists, plain tuples
inserted through the driver's executemany, and the driver-specific lookups by many keys."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

from sqlalchemy import Table, bindparam, insert
from sqlalchemy.ext.asyncio import AsyncConnection

_IN_CHUNK = 500  # values per IN (...) list: well under SQLite's and asyncpg's parameter limits


def chunks(values: Iterable, size: int = _IN_CHUNK) -> Iterable[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


# Keys per lookup, each twice in the statement: SQLite before 3.32 takes no more than 999 parameters.
SQLITE_IN_CHUNK = 499 if sqlite3.sqlite_version_info < (3, 32) else 5000
SQLITE_VARIABLES = 999 if sqlite3.sqlite_version_info < (3, 32) else 32766  # parameters a statement takes
WRITE_BATCH = 5000  # rows per executemany


class PlainRows:
    """An INSERT of plain tuples straight through the driver's executemany, each value converted by its
    column type's own bind processor, once per distinct value (dates and instants repeat): Core would
    process every value of every row, which takes longer than the database takes to store it."""

    def __init__(self, conn: AsyncConnection, table: Table, columns: tuple[str, ...]) -> None:
        self.conn = conn
        dialect = conn.dialect
        compiled = insert(table).values({c: bindparam(c) for c in columns}).compile(dialect=dialect)
        if not compiled.positional or tuple(compiled.positiontup) != columns:
            raise RuntimeError(f"{table.name}: an insert of exactly {columns} expected on {dialect.name}")
        self.sql = compiled.string
        self.convert = []
        for at, column in enumerate(columns):
            processor = table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                self.convert.append((at, memoised(processor)))

    def row(self, values: tuple) -> tuple:
        if not self.convert:
            return values
        values = list(values)
        for at, convert in self.convert:
            values[at] = convert(values[at])
        return tuple(values)

    async def insert(self, rows: list[tuple]) -> None:
        for start in range(0, len(rows), WRITE_BATCH):
            await self.conn.exec_driver_sql(self.sql, [self.row(row) for row in rows[start : start + WRITE_BATCH]])


def memoised(convert: Callable[[object], object]) -> Callable[[object], object]:
    known: dict[object, object] = {}

    def converted(value: object) -> object:
        if value is None:
            return None
        found = known.get(value, known)
        if found is known:
            found = known[value] = convert(value)
        return found

    return converted


# PostgreSQL: rows by the keys of an array parameter. Not `= ANY($1)`: asyncpg prepares each statement, and
# after a few runs PostgreSQL may keep a generic plan, one that cannot hash the array and compares every row
# scanned with every key (seconds a lookup once the table is big).
KEYS_JOIN = "FROM unnest($1::varchar[]) AS keys(key) JOIN {table} ON {column} = keys.key"
