"""The new bill lines of one bills import (`BillLineWriter`), written straight into `bill_lines` as the
file is read, each with its invoice's id, allocated before the invoice itself is written."""

from __future__ import annotations

from collections import deque
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.db.bulk import KEYS_JOIN, SQLITE_IN_CHUNK, WRITE_BATCH, chunks, memoised
from core.db.models import BillLine

# The constraint an import defers to its commit (migration 0030 made it deferrable on PostgreSQL).
INVOICE_FK = "fk_bill_lines_invoice_id_invoices"


class BillLineWriter:
    """The new bill lines of one import. Their invoices cannot be numbered before the whole file is read
    (numbering needs every line), but their ids can be known: `reserve` allocates ids of invoices yet to be
    written (`take`), so each line goes into `bill_lines` once, as it is read, in batches (`add`), with its
    invoice's id; the check that the invoice exists is deferred to the commit, by which time the issuing
    has inserted the invoices under those ids. All in the import's transaction.

    Ids: SQLite hands out max(id) + 1 and this transaction holds the database's only write lock, so the
    ids after the largest one are free until it commits; PostgreSQL draws them from the column's sequence.
    `stored_contents` sees the lines written so far as stored: a line id repeated further down the file is
    compared with its first occurrence. Rows are plain tuples in `COLUMNS` order, values already in the
    driver's form (`day`), for the driver's executemany: processing each value in Core would take longer
    than storing it. On SQLite the page cache is enlarged meanwhile, as the importer does. The statements
    are written for the two drivers the project runs on: sqlite3 (`?`) and asyncpg (`$n`)."""

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
        "invoice_id",
        "imported_at",  # `stamp`, the same for every line
    )
    SQLITE_CACHE_KB = 64 * 1024

    def __init__(self, session: AsyncSession, now: datetime) -> None:
        self.session = session
        self.now = now
        self.fresh: deque[int] = deque()  # invoice ids reserved, not taken yet
        self.next_id: int | None = None  # SQLite: the first id not reserved yet

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
            # Until this transaction ends (the counter's row written first has opened it).
            await conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        else:
            marks = ", ".join(f"${n}" for n in range(1, len(self.COLUMNS) + 1))
            self.cache = None
            await conn.exec_driver_sql(f"SET CONSTRAINTS {INVOICE_FK} DEFERRED")
        self.insert_sql = f"INSERT INTO bill_lines ({columns}) VALUES ({marks})"
        day = table.c.service_date.type.dialect_impl(dialect).bind_processor(dialect)
        self.day = memoised(day) if day else lambda value: value
        stamp = table.c.imported_at.type.dialect_impl(dialect).bind_processor(dialect)
        self.stamp = stamp(self.now) if stamp else self.now
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.cache is not None:
            await self.conn.exec_driver_sql(f"PRAGMA cache_size = {int(self.cache)}")

    async def reserve(self, count: int) -> None:
        """At least `count` invoice ids ready to `take`. Those never taken stay unused (on PostgreSQL, a
        gap in the sequence, as a rollback leaves)."""
        wanted = count - len(self.fresh)
        if wanted <= 0:
            return
        if self.sqlite:
            if self.next_id is None:
                self.next_id = (
                    await self.conn.exec_driver_sql("SELECT coalesce(max(id), 0) + 1 FROM invoices")
                ).scalar_one()
            self.fresh.extend(range(self.next_id, self.next_id + wanted))
            self.next_id += wanted
        else:
            sql = "SELECT nextval(pg_get_serial_sequence('invoices', 'id')) FROM generate_series(1, $1)"
            self.fresh.extend((await self.conn.exec_driver_sql(sql, (wanted,))).scalars())

    def take(self) -> int:
        """A reserved invoice id: the invoice must be written under it before the commit."""
        return self.fresh.popleft()

    async def stored_contents(self, line_ids: list[str]) -> dict[str, str]:
        """line id → content key (`core.billing.lines.content_keys`) of the ids already imported, by this
        import too. Called for every few thousand lines: plain SQL, nothing compiled each time."""
        conn = self.conn
        found: dict[str, str] = {}
        if self.sqlite:
            for chunk in chunks(line_ids, SQLITE_IN_CHUNK):
                sql = f"SELECT id, content_hash FROM bill_lines WHERE id IN ({', '.join('?' * len(chunk))})"
                found.update((await conn.exec_driver_sql(sql, tuple(chunk))).all())
        else:  # one array parameter, no limit on the ids (see `KEYS_JOIN`)
            sql = f"SELECT t.id, t.content_hash {KEYS_JOIN.format(table='bill_lines t', column='t.id')}"
            found.update((await conn.exec_driver_sql(sql, (list(line_ids),))).all())
        return found

    async def add(self, rows: list[tuple]) -> None:
        for start in range(0, len(rows), WRITE_BATCH):
            await self.conn.exec_driver_sql(self.insert_sql, rows[start : start + WRITE_BATCH])
