"""The new bill lines of one bills import (`BillLineWriter`), staged as the file is read and moved into
`bill_lines` once the invoices are in."""

from __future__ import annotations

from datetime import datetime
from itertools import chain

from sqlalchemy.ext.asyncio import AsyncSession

from core.db.bulk import KEYS_JOIN, SQLITE_IN_CHUNK, SQLITE_VARIABLES, chunks, memoised
from core.db.models import BillLine


class BillLineWriter:
    """The new bill lines of one import. Their invoices cannot exist before the whole file is read
    (numbering needs every line), so they are staged as the file is read, in batches (`stage`), in a
    temporary table of the connection; once the invoices are in, `finish` moves them into `bill_lines`
    in one statement, each line with a co-pay given its person's new invoice, in person order (a
    person's lines land together in the lines' indexes). All in the import's transaction, but with `apart`.

    `stored_contents` sees the staged lines as stored: a line id repeated further down the file is
    compared with its first occurrence. One call at a time (the connection serves one statement at a
    time): the caller awaits each before the next, and may run them beside its own work. Rows are plain
    tuples in `COLUMNS` order, values already in the driver's form (`day`), for the driver's executemany:
    processing each value in Core would take longer than storing it. On SQLite the page cache is enlarged
    meanwhile, as the importer does. The statements are written for the two drivers the project runs on:
    sqlite3 (`?`) and asyncpg (`$n`).

    SQLite has one write lock for the whole database. With `apart`, the staging is committed batch by
    batch (a temporary table is the connection's own: that writes nothing of the database and takes no
    lock on it), so reading and checking the file leave the bot free to write; the import's transaction
    begins once the caller takes the counter's lock after the last batch, and `overtaken` then says
    whether another import stored one of the staged lines meanwhile."""

    COLUMNS = (
        "id",
        "person_id",
        "clinic_id",
        "service_date",
        "service_code",
        "service_name",
        "quantity",
        "unit_price_kopecks",
        "cost_kopecks",
        "copay_kopecks",
        "content_hash",
    )  # `imported_at`, the same for every line, is set in `finish`
    SQLITE_CACHE_KB = 64 * 1024

    def __init__(self, session: AsyncSession, now: datetime, apart: bool = False) -> None:
        self.session = session
        self.now = now
        self.apart = apart
        self.stored_before = 0  # `apart`: the largest rowid of `bill_lines` before the first line was read

    async def __aenter__(self) -> BillLineWriter:
        conn = self.conn = await self.session.connection()
        dialect = conn.dialect
        self.sqlite = dialect.name == "sqlite"
        if dialect.paramstyle != ("qmark" if self.sqlite else "numeric_dollar"):
            raise RuntimeError(f"bill lines are written through sqlite3 or asyncpg, not {dialect.driver}")
        table = BillLine.__table__
        columns = ", ".join(self.COLUMNS)
        if self.sqlite:
            marks = ", ".join("?" * len(self.COLUMNS))
            self.cache = (await conn.exec_driver_sql("PRAGMA cache_size")).scalar_one()
            await conn.exec_driver_sql(f"PRAGMA cache_size = -{self.SQLITE_CACHE_KB}")
            # No declared types: the values keep the storage class they came with, as in `bill_lines`.
            await conn.exec_driver_sql(f"CREATE TEMP TABLE IF NOT EXISTS {_STAGED} ({columns}, PRIMARY KEY (id))")
            await conn.exec_driver_sql(f"DELETE FROM {_STAGED}")
            if self.apart:
                await self._commit()
                await self._temp_journal("MEMORY")
                latest = await conn.exec_driver_sql("SELECT max(rowid) FROM bill_lines")
                self.stored_before = latest.scalar_one() or 0
        else:
            marks = ", ".join(f"${n}" for n in range(1, len(self.COLUMNS) + 1))
            self.cache = None
            await conn.exec_driver_sql(
                f"CREATE TEMPORARY TABLE {_STAGED} ON COMMIT DROP AS SELECT {columns} FROM bill_lines WITH NO DATA"
            )
            await conn.exec_driver_sql(f"ALTER TABLE {_STAGED} ADD PRIMARY KEY (id)")
        self.insert_sql = f"INSERT INTO {_STAGED} ({columns}) VALUES ({marks})"
        self.rows_per_insert = SQLITE_VARIABLES // len(self.COLUMNS)  # SQLite's (`stage`)
        self.marks = f"({marks})"
        day = table.c.service_date.type.dialect_impl(dialect).bind_processor(dialect)
        self.day = memoised(day) if day else lambda value: value
        stamp = table.c.imported_at.type.dialect_impl(dialect).bind_processor(dialect)
        self.stamp = stamp(self.now) if stamp else self.now
        return self

    async def __aexit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if self.cache is not None:
            await self.conn.exec_driver_sql(f"PRAGMA cache_size = {int(self.cache)}")

    async def stored_contents(self, line_ids: list[str]) -> dict[str, str]:
        """line id → content key (`core.billing.lines.content_keys`) of the ids already imported, or staged
        by this import. Called for every few thousand lines: plain SQL, nothing compiled each time."""
        conn = self.conn
        found: dict[str, str] = {}
        if self.sqlite:
            for chunk in chunks(line_ids, SQLITE_IN_CHUNK):
                marks = ", ".join("?" * len(chunk))
                sql = (
                    f"SELECT id, content_hash FROM bill_lines WHERE id IN ({marks}) "
                    f"UNION ALL SELECT id, content_hash FROM {_STAGED} WHERE id IN ({marks})"
                )
                found.update((await conn.exec_driver_sql(sql, tuple(chunk) * 2)).all())
        else:  # one array parameter, no limit on the ids (see `KEYS_JOIN`)
            for table in ("bill_lines", _STAGED):
                sql = f"SELECT t.id, t.content_hash {KEYS_JOIN.format(table=f'{table} t', column='t.id')}"
                found.update((await conn.exec_driver_sql(sql, (list(line_ids),))).all())
        return found

    async def stage(self, rows: list[tuple]) -> None:
        """Stages these lines (`stored_contents` finds them from then on)."""
        if not rows:
            return
        if self.sqlite:
            # Statements of many rows each, not executemany: sqlite3 takes Python's lock back after every
            # row it stores, and the reading of the next rows holds that lock meanwhile.
            for start in range(0, len(rows), self.rows_per_insert):
                part = rows[start : start + self.rows_per_insert]
                await self.conn.exec_driver_sql(self._insert(len(part)), tuple(chain.from_iterable(part)))
        else:
            await self.conn.exec_driver_sql(self.insert_sql, rows)
        if self.apart:
            await self._commit()

    def _insert(self, rows: int) -> str:
        """SQLite: the INSERT of that many staged rows."""
        return f"{self.insert_sql}{f', {self.marks}' * (rows - 1)}"

    async def staged_all(self) -> None:
        """The file is read: what the staging alone needed is undone (before the import's transaction)."""
        if self.sqlite and self.apart:
            await self._temp_journal("DELETE")

    async def _temp_journal(self, mode: str) -> None:
        """SQLite, between transactions: the journal of the connection's temporary tables. `apart` commits
        each batch staged, and a batch's ids land all over the staged table's key: in memory, the journal
        of the pages a batch changes costs no file writes (the staging 10.2 → 7.5 s at 1,000,000 lines,
        sqlite3 alone). Only while staging: the move's transaction would keep every page it frees there."""
        await self.conn.exec_driver_sql(f"PRAGMA temp.journal_mode = {mode}")

    async def _commit(self) -> None:
        """`apart`: the staged lines so far committed (only the temporary table has changed), so that the
        next reads of the database see it as it is now and no transaction spans them."""
        await self.conn.run_sync(lambda sync: sync.connection.dbapi_connection.commit())

    async def overtaken(self) -> bool:
        """`apart`, once the caller holds the write lock: whether a line staged here has been stored by
        another import since the file began to be read (its checks may then be wrong)."""
        found = await self.conn.exec_driver_sql(
            # CROSS JOIN: SQLite then scans the lines stored since (few), not every staged one.
            f"SELECT 1 FROM bill_lines b CROSS JOIN {_STAGED} s ON s.id = b.id WHERE b.rowid > ? LIMIT 1",
            (self.stored_before,),
        )
        return found.first() is not None

    async def finish(self, month: str, after: int) -> None:
        """The staged lines into `bill_lines`; those with a co-pay on their person's invoice numbered
        `month`/N, N > `after` (one per person and import)."""
        run = self.conn.exec_driver_sql
        columns = ", ".join(self.COLUMNS)
        staged = ", ".join(f"s.{column}" for column in self.COLUMNS)
        if self.sqlite:
            # Each staged line finds its invoice in a map by person: the planner would rather search the
            # month's invoices for every line.
            await run(f"CREATE TEMP TABLE IF NOT EXISTS {_INVOICE_OF} (person_id INTEGER PRIMARY KEY, invoice_id)")
            await run(f"DELETE FROM {_INVOICE_OF}")
            await run(
                f"INSERT INTO {_INVOICE_OF} SELECT person_id, id FROM invoices WHERE month = ? AND sequence > ?",
                (month, after),
            )
            await run(
                f"INSERT INTO bill_lines ({columns}, imported_at, invoice_id) "
                f"SELECT {staged}, ?, CASE WHEN s.copay_kopecks > 0 THEN m.invoice_id END "
                f"FROM {_STAGED} s LEFT JOIN {_INVOICE_OF} m ON m.person_id = s.person_id "
                "ORDER BY s.person_id, s.rowid",
                (self.stamp,),
            )
            await run(f"DROP TABLE {_INVOICE_OF}")
        else:
            await run(
                f"INSERT INTO bill_lines ({columns}, imported_at, invoice_id) "
                f"SELECT {staged}, $3::timestamptz, CASE WHEN s.copay_kopecks > 0 THEN i.id END "
                f"FROM {_STAGED} s LEFT JOIN invoices i ON i.person_id = s.person_id AND i.month = $1 "
                "AND i.sequence > $2 ORDER BY s.person_id",
                (month, after, self.stamp),
            )
        await run(f"DROP TABLE {_STAGED}")


# SQLite: temporary tables of the connection (PostgreSQL: of the session), dropped once used.
_STAGED = "bill_lines_new"  # the lines of the import being written
_INVOICE_OF = "bill_line_invoice_of"  # person id → their invoice of that import
