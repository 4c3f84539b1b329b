"""Every file the project writes is neutralised (core/files): a text cell that starts with `=`,
`+`, `-`, `@`, tab or CR gets a leading `'` in CSV and is a text cell in XLSX, never a formula;
amounts stay numbers. Today that is the invite list (`invite --all-unregistered --out FILE`) and
the import report (`import --report FILE`, tests/core/test_import_report_cli.py)."""

from __future__ import annotations

import argparse
import csv
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from bot.commands import invite
from core.files import FIXED, csv_style, neutralise, write_table
from core.settings import Settings
from tests.core.import_fixtures import TODAY, engine_for, import_samples, import_text

DANGEROUS = ["=1+2", "+7 916 100-00-01", "-2+3", "@SUM(A1:A9)", "\tx", "\rx", '=HYPERLINK("http://x";"y")']
HARMLESS = ["Иванов", "a=b", "", " =1"]


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def test_neutralise() -> None:
    assert [neutralise(text) for text in DANGEROUS] == ["'" + text for text in DANGEROUS]
    assert [neutralise(text) for text in HARMLESS] == HARMLESS


def test_csv_text_is_neutralised_and_amounts_stay_numbers(tmp_path: Path) -> None:
    rows = [
        [name, Decimal("-12.5"), 3, date(2026, 9, 1), datetime(2026, 9, 1, 12, 30, tzinfo=UTC), None, True]
        for name in DANGEROUS + HARMLESS
    ]
    path = tmp_path / "out.csv"
    assert write_table(path, ["name", "amount", "count", "day", "at", "none", "flag"], rows) == len(rows)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for Excel
    header, *back = read_csv(path)
    assert header == ["name", "amount", "count", "day", "at", "none", "flag"]
    for (name, *_), (text, amount, count, day, at, none, flag) in zip(rows, back, strict=True):
        assert text == neutralise(name)
        assert text.removeprefix("'") == name if name in DANGEROUS else text == name
        assert (amount, count, day, at, none, flag) == ("-12.50", "3", "2026-09-01", "2026-09-01T12:30:00Z", "", "yes")


def test_russian_csv_is_what_russian_excel_opens(tmp_path: Path) -> None:
    rows = [["=1+2", Decimal("-12.5"), 3, date(2026, 9, 1)], ["Иванов; Пётр", Decimal("1234.05"), 0, None]]
    path = tmp_path / "out.csv"
    write_table(path, ["name", "amount", "count", "day"], rows, csv_style("ru"))
    content = path.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").splitlines() == [
        "name;amount;count;day",
        "'=1+2;-12,50;3;01.09.2026",
        '"Иванов; Пётр";1234,05;0;',
    ]
    assert csv_style("en") == csv_style("de") == FIXED  # any other language: `,` and a point


def test_xlsx_text_is_text_never_a_formula(tmp_path: Path) -> None:
    rows = [[name, Decimal("-12.5"), date(2026, 9, 1)] for name in [*DANGEROUS, *HARMLESS, "#N/A"]]
    path = tmp_path / "out.xlsx"
    write_table(path, ["name", "amount", "day"], rows)
    sheet = openpyxl.load_workbook(path).active
    cells = list(sheet.iter_rows(min_row=2))
    for (name, _, _), (text, amount, day) in zip(rows, cells, strict=True):
        # XML reads a carriage return as a line feed; nothing else changes.
        assert text.value == (name.replace("\r", "\n") or None)
        assert text.data_type == "s" or not name
        assert text.quotePrefix == name.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert (amount.data_type, amount.value, amount.number_format) == ("n", -12.5, "0.00")
        assert day.value == datetime(2026, 9, 1)


def test_a_failed_export_leaves_no_file(tmp_path: Path) -> None:
    def rows():
        yield ["fine"]
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        write_table(tmp_path / "out.csv", ["name"], rows())
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
async def test_the_invite_list_is_neutralised(sqlite_url: str, tmp_path: Path, suffix: str) -> None:
    # Valid addresses and a valid policy number (as printed, with a leading hyphen) that a
    # spreadsheet would take for formulas.
    header = "policy_number;last_name;first_name;birth_date;email;program_code;valid_from;valid_to"
    people = [
        ("-777/26", "=1+2@example.ru"),
        ("778/26", "-2+3@example.ru"),
        ("779/26", "+79161000001@example.ru"),
        ("780/26", "plain@example.ru"),
    ]
    rows = [f"{policy};Петров;Пётр;01.02.1980;{email};STD;01.01.2026;31.12.2027" for policy, email in people]
    async with engine_for(sqlite_url) as engine:
        await import_samples(engine)
        assert (await import_text(engine, "registry", "\n".join([header, *rows]) + "\n")).imported == 4
    out = tmp_path / f"invites{suffix}"
    args = argparse.Namespace(policy=None, all_unregistered=True, out=str(out))
    settings = Settings(database_url=sqlite_url, bot_today=TODAY, bot_username="dms_bot")
    assert await invite.run(args, settings) == 0
    if suffix == ".csv":
        header_row, *lines = read_csv(out)
        written = {(policy, email) for policy, email, _ in lines}
    else:
        sheet = openpyxl.load_workbook(out).active
        header_row = [cell.value for cell in sheet[1]]
        assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row if cell.value)
        written = {(policy, email or "") for policy, email, _ in sheet.iter_rows(min_row=2, values_only=True)}
    assert header_row == ["policy_number", "email", "link"]
    for policy, email in people:
        if suffix == ".csv":
            assert (neutralise(policy), neutralise(email)) in written
            assert (neutralise(policy).removeprefix("'"), neutralise(email).removeprefix("'")) == (policy, email)
        else:
            assert (policy, email) in written
    assert ("'-777/26", "'=1+2@example.ru") in written or suffix == ".xlsx"
