"""A database that cannot write (its disk full, read-only): a command says so in one line and exits 2,
never with a traceback (exit 1 would read as "done, with rejected rows"), and nothing half-stored stays.

SQLite's own page limit (`max_page_count`) stands for a full disk: SQLite answers SQLITE_FULL, "database
or disk is full", exactly as when the disk runs out."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot import cli
from core.db import engine as db_engine
from core.services.importing import sqlite_writer
from tests.conftest import POSTGRES_URL, fresh_postgres_database
from tests.core.import_fixtures import DATA, SAMPLES
from tests.core.test_import_cli import bot_command

BILLS_HEADER = "bill_line_id;policy_number;clinic_id;service_date;service_code;service_name;quantity;unit_price\n"


def _bills(lines: int) -> str:
    row = "{n};123/14;C003;17.09.2026;A02.31.001;Измерение температуры в кабинете врача;1;100.00\n"
    return BILLS_HEADER + "".join(row.format(n=f"FULL-{n:06d}") for n in range(lines))


def test_a_full_disk_stops_a_bills_import_in_one_line_and_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    database = tmp_path / "full.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    monkeypatch.setenv("BOT_TODAY", "2026-10-01")
    for kind, name in SAMPLES[:3]:
        assert cli.main(["import", kind, str(DATA / name)]) == 0
    bills = tmp_path / "bills.csv"
    bills.write_text(_bills(3000), encoding="utf-8")
    with sqlite3.connect(database) as conn:
        room = conn.execute("PRAGMA page_count").fetchone()[0] + 8  # a few pages: the lines need hundreds

    pragmas = db_engine._sqlite_pragmas

    def full_disk(dbapi_connection: object, record: object) -> None:
        pragmas(dbapi_connection, record)
        dbapi_connection.cursor().execute(f"PRAGMA max_page_count = {room}")

    monkeypatch.setattr(db_engine, "_sqlite_pragmas", full_disk)
    capsys.readouterr()
    assert cli.main(["import", "bills", str(bills), "--issued-on", "2026-10-01"]) == 2
    out, err = capsys.readouterr()
    assert err == "import: stopped: the database (DATABASE_URL) could not write: its disk is full\n"
    assert "Traceback" not in out
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM bill_lines").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM invoices").fetchone() == (0,)


def test_the_writer_process_tells_the_full_disk_not_its_failed_rollback(tmp_path: Path) -> None:
    """SQLite rolls the transaction back itself on SQLITE_FULL; the writer's own ROLLBACK then failed with
    "cannot rollback - no transaction is active", and that is what the import reported."""
    db = sqlite3.connect(tmp_path / "writer.sqlite3", isolation_level=None)
    db.execute("CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT)")
    db.execute("PRAGMA max_page_count = 8")
    rows = [(str(n), "x" * 200) for n in range(2000)]
    with pytest.raises(sqlite3.OperationalError) as caught:
        sqlite_writer._commit(db, [("INSERT INTO t VALUES (?, ?)", rows)])
    assert caught.value.sqlite_errorname == "SQLITE_FULL"
    assert not db.in_transaction
    assert db.execute("SELECT count(*) FROM t").fetchone() == (0,)


@pytest.mark.postgres
async def test_a_read_only_postgresql_stops_an_import_in_one_line(tmp_path: Path) -> None:
    async with fresh_postgres_database() as url:
        admin = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        name = url.rsplit("/", 1)[1]
        async with admin.connect() as connection:
            await connection.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
        await admin.dispose()
        returncode, out, err = await bot_command(url, tmp_path, "import", "programs", str(DATA / "programs.csv"))
    assert returncode == 2, err
    assert err == "import: stopped: the database (DATABASE_URL) could not write: it is read-only\n"
    assert "Traceback" not in out
