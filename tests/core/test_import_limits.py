"""The limits of every file read, each named in its one-line error; the XLSX reader (streaming,
bounded) reading cells as a CSV export shows them; the bounded report."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from core.services.importing import (
    COMMAND_LINE,
    LIMIT_SETS,
    UPLOAD,
    ImportReport,
    UnreadableFile,
)
from core.services.importing.limits import MB, size
from core.services.importing.reader import open_table
from tests.files.hostile import MAIN, SHEET_END, SHEET_START, inline_row, workbook

TINY = dataclasses.replace(
    COMMAND_LINE,
    name="tiny",
    file_bytes=4000,
    rows=3,
    columns=4,
    cell_chars=10,
    xlsx_inflated_bytes=20_000,
    xlsx_strings_bytes=2000,
    xlsx_parts=10,
)


def read(data: bytes, filename: str = "f.csv", limits=COMMAND_LINE) -> list[tuple[int, list[str]]]:
    with open_table(data, filename, limits) as table:
        return [(line, row[: table.width]) for line, row in table.rows]


def refusal(data: bytes, filename: str = "f.csv", limits=TINY) -> str:
    with pytest.raises(UnreadableFile) as caught:
        read(data, filename, limits)
    return str(caught.value)


def test_the_two_named_sets() -> None:
    assert set(LIMIT_SETS) == {"command-line", "upload"}
    # The command line admits a five-million-row registry; an upload what Telegram lets a bot download.
    assert COMMAND_LINE.rows >= 5_000_000 and COMMAND_LINE.file_bytes >= 2 * 1024 * MB
    assert UPLOAD.file_bytes == 20 * MB and UPLOAD.rows < COMMAND_LINE.rows
    assert UPLOAD.cell_chars == COMMAND_LINE.cell_chars  # the csv module's limit is one per process
    assert (size(20 * MB), size(4 * 1024 * MB), size(1536), size(17)) == ("20 MB", "4 GB", "1.5 KB", "17 bytes")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"a;b\n" + b"1;2\n" * 2000, "f.csv: 7.8 KB: over the tiny file size limit of 3.9 KB"),
        (b"a;b\n1;2\n3;4\n5;6\n7;8\n", "f.csv: line 5: over the tiny rows limit of 3"),
        (b"a;b;c;d;e\n", "f.csv: line 1: over the tiny columns limit of 4"),
        (b"a;b\n1;2;3;4;5;6\n", "f.csv: line 2: over the tiny columns limit of 4"),
        (b"a;b\n1;12345678901\n", "f.csv: line 2: over the tiny cell length limit of 10 characters"),
        (
            b'a;b\n1;"2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15"\n',
            "f.csv: line 2: over the tiny cell length limit",
        ),
        (b'a;b\n"1";"' + b"x;" * 6 + b'"\n', "f.csv: line 2: over the tiny cell length limit"),
        (b'a;b\n"1";"' + b"x;" * 100 + b'"\n', "f.csv: line 2: a row longer than 4 cells of 10 characters"),
    ],
)
def test_csv_limits_are_named(data: bytes, message: str) -> None:
    assert refusal(data).startswith(message)


def test_a_record_of_many_short_quoted_lines_is_refused_before_it_is_built() -> None:
    many = b'a;b\n1;"x"' + b';"\n"' * 300 + b"\n"  # one row: 300 cells, each a quoted line break
    assert "a row longer than 4 cells of 10 characters" in refusal(many)


def test_blank_rows_beyond_the_limit_count_too() -> None:
    assert "rows limit" in refusal(b"a;b\n" + b";\n" * 10)


def test_limits_within_bounds_read_as_before() -> None:
    assert read(b"a;b\n1;2\n\n3;4\n", limits=TINY) == [(2, ["1", "2"]), (4, ["3", "4"])]


# --- XLSX ---------------------------------------------------------------------------------------


def xlsx_bytes(sheet: str, strings: str | None = None, **parts: str) -> bytes:
    path_buffer = io.BytesIO()
    with zipfile.ZipFile(path_buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        for name, part in {
            "_rels/.rels": parts.get("root_rels", _ROOT_RELS),
            "xl/workbook.xml": parts.get("workbook", _WORKBOOK),
            "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
            "xl/worksheets/sheet1.xml": sheet,
            "xl/sharedStrings.xml": strings,
            "xl/styles.xml": parts.get("styles"),
        }.items():
            if part is not None:
                zf.writestr(name, part)
    return path_buffer.getvalue()


_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ROOT_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="r" Type="{_RELS}/officeDocument" Target="/xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    f'<workbook xmlns="{MAIN}" xmlns:r="{_RELS}"><sheets><sheet name="S" sheetId="7" r:id="s1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="s1" Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="s2" Type="{_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
    f'<Relationship Id="s3" Type="{_RELS}/styles" Target="styles.xml"/></Relationships>'
)
_STYLES = (
    f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
    '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/></cellXfs></styleSheet>'
)


def test_xlsx_cells_read_as_a_csv_export_shows_them() -> None:
    strings = (
        f'<sst xmlns="{MAIN}"><si><t>title</t></si>'
        "<si><r><t>Ива</t></r><r><rPr><b/></rPr><t>нов</t></r><rPh><t>ignored</t></rPh></si></sst>"
    )
    sheet = (
        SHEET_START + '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>b</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>c</t></is></c><c r="D1" t="inlineStr"><is><t>d</t></is></c></row>'
        '<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" s="1"><v>46023</v></c><c r="D3" t="b"><v>1</v></c></row>'
        # no `r` on cells: they follow one another
        '<row r="4"><c><v>89161000002</v></c><c><v>1999.99</v></c><c t="e"><v>#N/A</v></c><c t="str"><v>=x</v></c></row>'
        '<row r="5"><c r="A5" t="d"><v>2026-02-01</v></c><c r="B5" s="2"><v>46023.5</v></c><c r="C5"><f>1+1</f></c></row>'
        + SHEET_END
    )
    rows = read(xlsx_bytes(sheet, strings, styles=_STYLES), "f.xlsx")
    assert rows == [
        (3, ["Иванов", "2026-01-01", "", "yes"]),
        (4, ["89161000002", "1999.99", "#N/A", "=x"]),
        (5, ["2026-02-01", "2026-01-01 12:00:00", "", ""]),
    ]


def test_xlsx_1904_dates_and_strict_namespace() -> None:
    strict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    workbook_1904 = _WORKBOOK.replace("<sheets>", '<workbookPr date1904="1"/><sheets>').replace(MAIN, strict)
    sheet = (
        f'<worksheet xmlns="{strict}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
        '<row r="2"><c r="A2" s="1"><v>1</v></c></row></sheetData></worksheet>'
    )
    rows = read(xlsx_bytes(sheet, styles=_STYLES.replace(MAIN, strict), workbook=workbook_1904), "f.xlsx")
    assert rows == [(2, ["1904-01-02"])]


def test_an_openpyxl_workbook_reads_as_openpyxl_reads_it(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["when", "amount", "flag", "text"])
    sheet.append([datetime(2026, 1, 15, 8, 30), 12.5, False, "  spaced  "])
    sheet.append([date(2026, 2, 1), 100, None, "=not a formula"])
    sheet["D3"].data_type = "s"
    book.save(tmp_path / "b.xlsx")
    assert read((tmp_path / "b.xlsx").read_bytes(), "b.xlsx") == [
        (2, ["2026-01-15 08:30:00", "12.5", "no", "  spaced  "]),
        (3, ["2026-02-01", "100", "", "=not a formula"]),
    ]


def big_part(name: str = "x.xlsx") -> bytes:
    return workbook_bytes(
        SHEET_START + inline_row(1, ["a"]) + "".join(inline_row(n, ["v"]) for n in range(2, 2000)) + SHEET_END
    )


def workbook_bytes(sheet: str, strings: str | None = None) -> bytes:
    buffer = io.BytesIO()
    workbook(buffer, sheet, strings)  # type: ignore[arg-type]
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("sheet_rows", "message"),
    [
        ([inline_row(2, ["x"]), inline_row(5, ["y"])], "row 5: over the tiny rows limit of 3"),
        ([inline_row(2, ["1", "2", "3", "4", "5"])], "cell E2: over the tiny columns limit of 4"),
        (['<row r="2"><c r="XFE2"><v>1</v></c></row>'], "over the tiny columns limit of 4"),
        ([inline_row(2, ["12345678901"])], "cell A2: over the tiny cell length limit of 10"),
        (['<row r="2"><c><v>1</v></c><c/><c/><c/><c/></row>'], "row 2: over the tiny columns limit of 4"),
    ],
)
def test_xlsx_limits_are_named(sheet_rows: list[str], message: str) -> None:
    data = workbook_bytes(SHEET_START + inline_row(1, ["a"]) + "".join(sheet_rows) + SHEET_END)
    assert message in refusal(data, "f.xlsx", dataclasses.replace(TINY, file_bytes=10**6))


def test_xlsx_directory_limits_are_checked_before_inflating() -> None:
    loose = dataclasses.replace(TINY, file_bytes=10**6, rows=10**6, xlsx_inflated_bytes=50_000)
    assert "once inflated: over the tiny inflated size limit of 49 KB" in refusal(big_part(), "f.xlsx", loose)
    strings = f'<sst xmlns="{MAIN}">' + "<si><t>s</t></si>" * 200 + "</sst>"
    text = refusal(
        workbook_bytes(SHEET_START + inline_row(1, ["a"]) + SHEET_END, strings),
        "f.xlsx",
        dataclasses.replace(TINY, file_bytes=10**6),
    )
    assert "shared strings of 3.4 KB once inflated: over the tiny shared strings limit of 2.0 KB" in text
    parts = io.BytesIO()
    with zipfile.ZipFile(parts, "w") as zf:
        for n in range(11):
            zf.writestr(f"p{n}", "")
    assert "11 parts: over the tiny zip entries limit of 10" in refusal(parts.getvalue(), "f.xlsx")


def test_a_ratio_beyond_the_limit_is_a_bomb() -> None:
    sheet = SHEET_START + inline_row(1, ["a"]) + inline_row(2, ["A" * 3_000_000]) + SHEET_END
    text = refusal(workbook_bytes(sheet), "f.xlsx", COMMAND_LINE)
    assert (
        "xl/worksheets/sheet1.xml inflates" in text and "over the command-line compression ratio limit of 100" in text
    )


def test_xlsx_without_a_sheet_or_header() -> None:
    no_sheet = xlsx_bytes("", workbook=f'<workbook xmlns="{MAIN}"><sheets/></workbook>')
    assert refusal(no_sheet, "f.xlsx") == "f.xlsx: not a readable XLSX file (the workbook has no sheet)"
    late_header = workbook_bytes(SHEET_START + inline_row(2, ["a"]) + SHEET_END)
    assert refusal(late_header, "f.xlsx") == "f.xlsx: empty sheet, no header row"


def test_entities_are_refused_in_every_part() -> None:
    laughs = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    strings = f'<?xml version="1.0"?>{laughs}<sst xmlns="{MAIN}"><si><t>&b;</t></si></sst>'
    assert "a DTD or entity declaration (refused)" in refusal(
        workbook_bytes(SHEET_START + SHEET_END, strings), "f.xlsx"
    )
    styled = xlsx_bytes(SHEET_START + inline_row(1, ["a"]) + SHEET_END, styles=f"{laughs}<styleSheet/>")
    assert "xl/styles.xml: a DTD or entity declaration (refused)" in refusal(styled, "f.xlsx")


# --- the bounded report -------------------------------------------------------------------------


def test_the_report_keeps_the_first_issues_by_line_and_counts_the_rest() -> None:
    seen = []
    report = ImportReport("registry", sink=seen.append, shown=3)
    for line in (2, 3, 4, 5, 6):
        report.add(line, "phone", "phone.invalid", {})
    report.add(3, "holder_policy_number", "holder.not_found", {})  # a relative checked at the end
    assert [(i.line, i.column) for i in report.issues] == [(2, "phone"), (3, "phone"), (3, "holder_policy_number")]
    assert report.result().lines()[-1] == "… and 3 more"
    assert (report.issue_count, report.more, len(seen)) == (6, 3, 6)  # the sink has every one


def test_without_more_issues_there_is_no_more_line() -> None:
    report = ImportReport("programs")
    report.add(2, "name", "required", {}, warning=True)
    assert report.result().lines() == ["line 2: name: warning: required value missing (dropped)"]
    assert report.warnings == 1
