"""The registers back to the insurer, on SQLite and PostgreSQL: every kind's file, CSV and XLSX, read back
and compared with the rows stored (tests/core/register_fixtures.py), and the command line around them."""

from __future__ import annotations

import argparse
import csv
from collections.abc import AsyncIterator
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from bot.commands import export
from bot.commands.base import UsageError
from core.bootstrap import Container
from core.db.models import AuditEvent
from core.exports import KINDS, columns
from core.settings import Settings
from tests.core.register_fixtures import EXPECTED, SINCE, fill
from tests.roots import container, settings_for

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue({"sqlite": "sqlite_url", "postgres": "postgres_url"}[request.param])


@pytest.fixture
async def root(url: str) -> AsyncIterator[Container]:
    async with container(settings_for(url)) as root:
        await fill(root.engine)
        yield root


def csv_text(value: object) -> str:
    """The oracle's CSV cell: what the back office's format says each type becomes."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)


def xlsx_value(value: object) -> object:
    """The oracle's XLSX cell as openpyxl reads it back: amounts are numbers, moments naive UTC."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime.combine(value, time())
    return value


def read_csv(path: Path) -> list[list[str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Cyrillic
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


@pytest.mark.parametrize("kind", list(KINDS))
async def test_each_register_as_csv_holds_the_rows_stored(root: Container, kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"{kind}.csv"
    done = await root.exports.write(kind, SINCE, path)
    header, *rows = read_csv(path)
    assert header == list(columns(kind))
    assert rows == [[csv_text(value) for value in row] for row in EXPECTED[kind]]
    assert done.rows == len(EXPECTED[kind])


@pytest.mark.parametrize("kind", list(KINDS))
async def test_each_register_as_xlsx_holds_the_rows_stored(root: Container, kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"{kind}.xlsx"
    await root.exports.write(kind, SINCE, path)
    sheet = openpyxl.load_workbook(path).active
    header, *rows = sheet.iter_rows(values_only=True)
    assert list(header) == list(columns(kind))
    assert [list(row) for row in rows] == [[xlsx_value(value) for value in row] for row in EXPECTED[kind]]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                assert cell.data_type == "s"  # never a formula
                assert cell.quotePrefix == cell.value.startswith(FORMULA_STARTS)
            if isinstance(cell.value, float):
                assert cell.number_format == "0.00"


async def test_formula_looking_text_is_neutralised(root: Container, tmp_path: Path) -> None:
    await root.exports.write("invoices", SINCE, tmp_path / "invoices.csv")
    rows = read_csv(tmp_path / "invoices.csv")
    assert rows[2][2] == "'-77/1" and rows[2][11] == '\'=HYPERLINK("http://x")'
    assert rows[3][13] == "'-duplicate bill"
    await root.exports.write("invoices", SINCE, tmp_path / "invoices.xlsx")
    reference = openpyxl.load_workbook(tmp_path / "invoices.xlsx").active["L3"]
    assert (reference.value, reference.data_type, reference.quotePrefix) == ('=HYPERLINK("http://x")', "s", True)


async def test_since_keeps_a_row_by_any_moment_on_or_after_the_day(root: Container, tmp_path: Path) -> None:
    """A payment created the day before and settled on it is in; one wholly before, out; an earlier --since
    takes it too; a later one leaves the first day's rows out."""
    await root.exports.write("payments", SINCE, tmp_path / "p.csv")
    assert [row[0] for row in read_csv(tmp_path / "p.csv")[1:]] == ["1", "2", "3"]
    await root.exports.write("payments", date(2026, 9, 10), tmp_path / "earlier.csv")
    assert [row[0] for row in read_csv(tmp_path / "earlier.csv")[1:]] == ["1", "2", "3", "4"]  # not the card check
    await root.exports.write("payments", date(2026, 10, 2), tmp_path / "later.csv")
    assert [row[0] for row in read_csv(tmp_path / "later.csv")[1:]] == ["2"]  # cancelled on 02.10


async def test_an_export_is_audited_without_its_content(root: Container, tmp_path: Path) -> None:
    await root.exports.write("refunds", SINCE, tmp_path / "r.xlsx")
    async with root.engine.connect() as conn:
        events = (
            await conn.execute(
                select(AuditEvent.action, AuditEvent.actor_telegram_id, AuditEvent.reason, AuditEvent.details)
            )
        ).all()
    assert events == [("export.written", None, "refunds", {"since": "2026-10-01", "format": "xlsx", "rows": 2})]


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    export.add_parser(parser.add_subparsers())
    return parser.parse_args(["export", *map(str, argv)])


async def test_the_command_line_writes_the_file(sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    async with container(settings_for(sqlite_url)) as root:
        await fill(root.engine)
    path = tmp_path / "disputes.csv"
    assert await export.run(parse("disputes", "--since", "2026-10-01", path), Settings(database_url=sqlite_url)) == 0
    assert capsys.readouterr().out == f"2 rows written to {path}\n"
    assert len(read_csv(path)) == 3


async def test_the_command_lines_usage_errors(sqlite_url: str, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such folder"):
        await export.run(
            parse("payments", "--since", "2026-10-01", tmp_path / "no" / "p.csv"), Settings(database_url=sqlite_url)
        )
    for argv in (
        ("paymnts", "--since", "2026-10-01", "p.csv"),
        ("payments", "--since", "1.10.2026", "p.csv"),
        ("payments", "p.csv"),
    ):
        with pytest.raises(SystemExit) as caught:
            parse(*argv)
        assert caught.value.code == 2


async def test_a_file_that_cannot_be_written_is_one_line(sqlite_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "out" / "taken.csv"
    folder.mkdir(parents=True)  # a folder where the file should go
    with pytest.raises(UsageError, match=r"^cannot write .*taken\.csv: "):
        await export.run(parse("payments", "--since", "2026-10-01", folder), Settings(database_url=sqlite_url))
    assert list(folder.iterdir()) == [] and [p.name for p in folder.parent.iterdir()] == ["taken.csv"]
