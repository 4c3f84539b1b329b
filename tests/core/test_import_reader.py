"""Reading import files: CSV flavours, XLSX, line numbers, and files that cannot be read at all."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.services.importing import UnreadableFile, import_file
from core.services.importing.limits import COMMAND_LINE, Limits
from core.services.importing.reader import open_table
from tests.core.import_fixtures import DATA, TODAY, dump, engine_for, import_text

PROGRAMS = (DATA / "programs.csv").read_text(encoding="utf-8")


def rows(data: bytes, filename: str = "file.csv") -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    with open_table(data, filename) as table:
        return table.columns, list(table.rows)


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_delimiter_and_bom(bom: bytes, delimiter: str) -> None:
    text = f"Program_Code{delimiter} NAME {delimiter}extra\nSTD{delimiter}Стандарт, базовый{delimiter}x\n"
    if delimiter == ",":
        text = text.replace("Стандарт, базовый", '"Стандарт, базовый"')
    columns, found = rows(bom + text.encode())
    assert columns == {"program_code": 0, "name": 1, "extra": 2}  # case and spaces of titles ignored
    assert found == [(2, ["STD", "Стандарт, базовый", "x", ""])]


def test_line_numbers_count_blank_and_multiline_rows_as_a_spreadsheet_does() -> None:
    data = b'a;b\n1;"two\nlines"\n\n;\n3;4;beyond the header\n5\n'
    _, found = rows(data)
    # Rows are padded to the header plus one always-empty cell, which absent columns read.
    assert found == [(2, ["1", "two\nlines", ""]), (5, ["3", "4", ""]), (6, ["5", "", ""])]


def readable(data: bytes, filename: str = "file.csv", limits: Limits = COMMAND_LINE) -> bool:
    with open_table(data, filename, limits) as table:
        return table.readable


def test_a_csv_is_readable_from_its_scan_only_when_no_row_can_fail() -> None:
    assert readable(b"a;b\r\n1;2\r\n3;4")
    assert not readable(b'a;b\n1;"2"\n')  # quotes: a record may span lines, and grow
    assert not readable(b"a;b\n1;" + b"2" * COMMAND_LINE.cell_chars + b"\n")
    few = Limits("few", 1000, rows=2, columns=500, cell_chars=100, xlsx_inflated_bytes=1, xlsx_strings_bytes=1)
    assert readable(b"a\r\n1\r\n2", limits=few)  # \r\n is one break
    assert not readable(b"a\n1\n2\n3", limits=few)
    book = openpyxl.Workbook()
    book.active.append(["a", "b"])
    xlsx = io.BytesIO()
    book.save(xlsx)
    assert not readable(xlsx.getvalue(), "file.xlsx")  # a sheet's reader is not scanned ahead


_TINY = Limits("tiny", 1000, rows=3, columns=4, cell_chars=6, xlsx_inflated_bytes=1, xlsx_strings_bytes=1)


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from('ab;;;\n\n\r"'), min_size=1, max_size=40))
def test_a_file_found_readable_reads_through_without_an_error(text: str) -> None:
    data = ("h;k\n" + text).encode()
    try:
        with open_table(data, "file.csv", _TINY) as table:
            found = table.readable
            list(table.rows)
    except UnreadableFile:
        assert not found
    # The bounds are tight enough for the files that fit them to be found readable.
    if len(text) < 4 and '"' not in text and "\r" not in text and text.count("\n") <= 2:
        assert found


def test_picker_reads_absent_optional_columns_as_blank() -> None:
    with open_table(b"b;a\n2;1\n", "x.csv") as table:
        pick = table.picker(["a", "missing", "b"])
        assert [pick(cells) for _, cells in table.rows] == [("1", "", "2")]


def test_xlsx_first_sheet_with_typed_cells() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["reference", "Amount", "paid_on", "flag"])
    sheet.append(["D-1", 500, datetime(2026, 1, 15), True])
    sheet.append([None, None, None, None])
    sheet.append(["D-2", 1999.99, date(2026, 2, 1), None])
    book.create_sheet("ignored").append(["nothing"])
    buffer = io.BytesIO()
    book.save(buffer)
    columns, found = rows(buffer.getvalue(), "deposits.xlsx")
    assert list(columns) == ["reference", "amount", "paid_on", "flag"]
    assert found == [(2, ["D-1", "500", "2026-01-15", "yes", ""]), (4, ["D-2", "1999.99", "2026-02-01", "", ""])]


async def test_xlsx_imports_like_the_csv(sqlite_url: str, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    for line in PROGRAMS.splitlines():
        book.active.append(line.split(";"))
    path = tmp_path / "programs.xlsx"
    book.save(path)
    async with engine_for(sqlite_url) as engine:
        from_xlsx = await import_file(engine, "programs", path, today=TODAY)
        stored = await dump(engine)
        from_csv = await import_file(engine, "programs", DATA / "programs.csv", today=TODAY)
        assert await dump(engine) == stored
    assert from_xlsx.summary() == "imported 4, updated 0, unchanged 0, rejected 0"
    assert from_csv.summary() == "imported 0, updated 0, unchanged 4, rejected 0"


async def test_comma_csv_with_bom_imports_like_the_semicolon_one(sqlite_url: str) -> None:
    comma = "\ufeff" + PROGRAMS.replace(",", "").replace(";", ",")  # the sample's descriptions hold commas
    async with engine_for(sqlite_url) as engine:
        first = await import_text(engine, "programs", comma)
        second = await import_text(engine, "programs", PROGRAMS.replace(",", ""))
    assert first.summary() == "imported 4, updated 0, unchanged 0, rejected 0"
    assert second.summary() == "imported 0, updated 0, unchanged 4, rejected 0"


@pytest.mark.parametrize(
    ("source", "filename", "message"),
    [
        (b"program_code;title\nSTD;x\n", "programs.csv", "programs.csv: required column name absent"),
        (b"", "programs.csv", "programs.csv: empty file, no header line"),
        (b"program_code;name\n", "programs.pdf", "programs.pdf: not a CSV or XLSX file"),
        (
            "program_code;name\nSTD;Стандарт\n".encode("cp1251"),
            "p.csv",
            "p.csv: not UTF-8 text (save it as CSV UTF-8)",
        ),
        (b"PK\x03\x04 not really a zip", "p.xlsx", "p.xlsx: not a readable XLSX file (not a zip archive)"),
        (
            b"program_code;name\nSTD;x\x00\n",
            "p.csv",
            "p.csv: not UTF-8 text, it holds NUL characters (save it as CSV UTF-8)",
        ),
        (
            "program_code;name\n".encode("utf-16"),
            "p.csv",
            "p.csv: not UTF-8 text, it holds NUL characters (save it as CSV UTF-8)",
        ),
        (
            b"program_code;name\nSTD;x\n" + b"x" * 200_000,
            "p.csv",
            "p.csv: line 3: over the command-line cell length limit of 10,000 characters",
        ),
    ],
)
async def test_unreadable_files(sqlite_url: str, source: bytes, filename: str, message: str) -> None:
    async with engine_for(sqlite_url) as engine:
        with pytest.raises(UnreadableFile) as caught:
            await import_file(engine, "programs", source, filename=filename, today=TODAY)
        assert str(caught.value) == message
        assert (await dump(engine))["programs"] == []  # nothing written, even past the header


async def test_missing_file_and_unknown_kind(sqlite_url: str, tmp_path: Path) -> None:
    async with engine_for(sqlite_url) as engine:
        with pytest.raises(UnreadableFile, match=r"no-such\.csv: No such file"):
            await import_file(engine, "registry", tmp_path / "no-such.csv", today=TODAY)
        with pytest.raises(UnreadableFile, match="unknown kind 'patients'"):
            await import_file(engine, "patients", DATA / "registry.csv", today=TODAY)
