"""Tables the project writes (invite lists now; billing exports and back-office registers later):
CSV, or XLSX when the file name ends in `.xlsx`, neutralised so that no cell becomes a formula.

- A text cell that starts with `=`, `+`, `-`, `@`, tab or CR is written with a leading `'` in CSV
  (a spreadsheet would run it as a formula, or part of one); in XLSX every text cell is a text
  cell, never a formula (and such a one carries Excel's "quote prefix" too).
- Amounts (`Decimal`) are numbers with two decimals; integers are numbers; dates `YYYY-MM-DD`;
  timestamps ISO 8601 in UTC. Only `str` values are text, so a negative amount stays a number.
- CSV: UTF-8 with a BOM (Excel then reads Cyrillic right), the header first; `,` and a decimal point
  (`FIXED`, the back-office formats), or, for a person's own export in Russian, `;`, a decimal comma and
  dates as DD.MM.YYYY (`RUSSIAN`: what Excel in a Russian locale reads as columns, numbers and dates on a
  double click). `csv_style(language)` picks the one for a person's language.

The file is written beside its name and put in place at the end: a failed export leaves no half
file, and rows stream through (memory stays flat whatever their number). `write_table_off_loop` writes
chunks of rows as a database hands them over, on a worker thread, so a big export never holds the loop.
"""

from __future__ import annotations

import asyncio
import csv
import os
from collections.abc import AsyncIterable, Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

Cell = str | int | Decimal | date | datetime | bool | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class CsvStyle:
    delimiter: str = ","
    decimal: str = "."
    date_format: str = "%Y-%m-%d"


FIXED = CsvStyle()  # the import and export formats of docs/formats.md: never changes with anyone's language
RUSSIAN = CsvStyle(delimiter=";", decimal=",", date_format="%d.%m.%Y")


def csv_style(language: str) -> CsvStyle:
    """The CSV a person's spreadsheet opens by a double click: Russian Excel expects `;` and a decimal comma."""
    return RUSSIAN if language == "ru" else FIXED


def neutralise(text: str) -> str:
    """The text as a CSV cell a spreadsheet will not run: a leading `'` when it could be a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_table(path: Path, header: Sequence[str], rows: Iterable[Sequence[Cell]], style: CsvStyle = FIXED) -> int:
    """Writes the table and returns the number of rows (the header not counted). `style`: CSV only."""
    count = 0
    with table_writer(path, header, style) as write:
        for row in rows:
            write(row)
            count += 1
    return count


async def write_table_off_loop(
    path: Path,
    header: Sequence[str],
    chunks: AsyncIterable[Sequence[Sequence[object]]],
    build: Callable[[Sequence[object]], Sequence[Cell]],
) -> int:
    """As `write_table` for rows read in chunks (`build` makes each one's cells): everything but the reading
    (building, writing, and for XLSX the final save) runs on a worker thread. Returns the number of rows."""
    writer = table_writer(path, header)
    write = await asyncio.to_thread(writer.__enter__)

    def write_chunk(chunk: Sequence[Sequence[object]]) -> None:
        for row in chunk:
            write(build(row))

    count = 0
    try:
        async for chunk in chunks:
            await asyncio.to_thread(write_chunk, chunk)
            count += len(chunk)
    except BaseException as exc:
        await asyncio.to_thread(writer.__exit__, type(exc), exc, exc.__traceback__)
        raise
    await asyncio.to_thread(writer.__exit__, None, None, None)
    return count


@contextmanager
def table_writer(
    path: Path, header: Sequence[str], style: CsvStyle = FIXED
) -> Iterator[Callable[[Sequence[Cell]], None]]:
    """A function writing one row at a time; the file appears when the block ends without error."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.part")
    try:
        if path.suffix.lower() == ".xlsx":
            with _xlsx(partial, header) as write:
                yield write
        else:
            with _csv(partial, header, style) as write:
                yield write
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


@contextmanager
def _csv(path: Path, header: Sequence[str], style: CsvStyle) -> Iterator[Callable[[Sequence[Cell]], None]]:
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, delimiter=style.delimiter)
        writer.writerow([_csv_cell(title, style) for title in header])
        yield lambda row: writer.writerow([_csv_cell(value, style) for value in row])


def _csv_cell(value: Cell, style: CsvStyle = FIXED) -> str:
    if isinstance(value, str):
        return neutralise(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", style.decimal)
    if isinstance(value, datetime):
        return _utc(value).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.strftime(style.date_format) if value.year >= 1000 else value.isoformat()
    if isinstance(value, int):
        return str(value)
    raise TypeError(f"not a table cell: {type(value).__name__}")


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


@contextmanager
def _xlsx(path: Path, header: Sequence[str]) -> Iterator[Callable[[Sequence[Cell]], None]]:
    from openpyxl import Workbook  # only XLSX exports pay for importing it
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    sheet = book.create_sheet()

    def cell(value: Cell) -> object:
        if isinstance(value, str):
            # Control characters other than tab and line breaks cannot be stored in XLSX at all.
            text = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
            text.data_type = "s"  # never a formula (openpyxl makes "=..." one) nor an error code
            if value.startswith(FORMULA_STARTS):
                text.quotePrefix = True
            return text
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, Decimal):
            amount = WriteOnlyCell(sheet, value)
            amount.number_format = "0.00"
            return amount
        if isinstance(value, datetime):
            moment = WriteOnlyCell(sheet, _utc(value).replace(tzinfo=None))
            moment.number_format = "yyyy-mm-dd hh:mm:ss"
            return moment
        if isinstance(value, date):
            day = WriteOnlyCell(sheet, value)
            day.number_format = "yyyy-mm-dd"
            return day
        raise TypeError(f"not a table cell: {type(value).__name__}")

    sheet.append([cell(title) for title in header])
    try:
        yield lambda row: sheet.append([cell(value) for value in row])
    except BaseException:
        sheet.close()  # its rows' writer ends here, not half-way when the collector finds it
        raise
    book.save(path)
