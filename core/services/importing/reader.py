"""Import files as rows of text: CSV (UTF-8, `,` or `;`) or the first sheet of an XLSX.

Rows are streamed, never loaded whole, so a million-row registry costs little memory.
Line numbers are what a spreadsheet shows: the header is line 1.
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from operator import itemgetter
from pathlib import Path
from typing import IO

CSV_SUFFIXES = ("", ".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"  # an XLSX is a zip, whatever its name says


class UnreadableFile(Exception):
    """The file cannot be read at all (missing, not CSV/XLSX, a required column absent): one line."""


@dataclass
class Table:
    """The header and a stream of `(line, cells)`.

    Every row has one more cell than the header, always "": absent optional columns read it,
    so a picker never has to check lengths.
    """

    name: str
    columns: dict[str, int]  # casefolded title -> position; the first of repeated titles wins
    width: int
    rows: Iterator[tuple[int, list[str]]]

    def require(self, required: Iterable[str]) -> None:
        missing = [column for column in required if column not in self.columns]
        if missing:
            plural = "s" if len(missing) > 1 else ""
            raise UnreadableFile(f"{self.name}: required column{plural} {', '.join(missing)} absent")

    def picker(self, names: Sequence[str]) -> Callable[[list[str]], tuple[str, ...]]:
        """A function giving the cells of `names` as a tuple in that order ("" for absent columns)."""
        positions = [self.columns.get(name, self.width) for name in names]
        if len(positions) == 1:
            (only,) = positions
            return lambda row: (row[only],)
        return itemgetter(*positions)


@contextmanager
def open_table(source: Path | bytes, filename: str | None = None) -> Iterator[Table]:
    name = filename or (source.name if isinstance(source, Path) else "upload")
    with ExitStack() as stack:
        if isinstance(source, Path):
            try:
                binary: IO[bytes] = stack.enter_context(source.open("rb"))
            except OSError as exc:
                raise UnreadableFile(f"{source}: {exc.strerror or 'cannot be opened'}") from None
        else:
            binary = io.BytesIO(source)
        suffix = Path(name).suffix.lower()
        if suffix not in CSV_SUFFIXES + XLSX_SUFFIXES:
            raise UnreadableFile(f"{name}: not a CSV or XLSX file")
        if suffix in XLSX_SUFFIXES or binary.read(len(ZIP_MAGIC)) == ZIP_MAGIC:
            binary.seek(0)
            header, rows = _xlsx(binary, name, stack)
        else:
            binary.seek(0)
            header, rows = _csv(binary, name)
        columns: dict[str, int] = {}
        for position, title in enumerate(header):
            columns.setdefault(title.strip().casefold(), position)
        yield Table(name, columns, len(header), _fit(rows, len(header), name))


def _csv(binary: IO[bytes], name: str) -> tuple[list[str], Iterator[list[str]]]:
    # NUL passes UTF-8 decoding and csv, but no database text column takes it; it also betrays
    # UTF-16 ("Unicode text" from Excel). One C-speed scan of the file costs little.
    if _has_nul(binary):
        raise UnreadableFile(f"{name}: not UTF-8 text, it holds NUL characters (save it as CSV UTF-8)")
    binary.seek(0)
    # utf-8-sig drops the BOM Excel writes; newline="" lets csv see quoted line breaks.
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    try:
        first = text.readline()
    except UnicodeDecodeError:
        raise UnreadableFile(f"{name}: not UTF-8 text (save it as CSV UTF-8)") from None
    if not first.strip():
        raise UnreadableFile(f"{name}: empty file, no header line")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(itertools.chain((first,), text), delimiter=delimiter)
    return next(reader), reader


def _has_nul(binary: IO[bytes]) -> bool:
    while chunk := binary.read(1 << 20):
        if b"\x00" in chunk:
            return True
    return False


def _xlsx(binary: IO[bytes], name: str, stack: ExitStack) -> tuple[list[str], Iterator[list[str]]]:
    import openpyxl  # only XLSX uploads pay for importing it

    try:
        book = openpyxl.load_workbook(binary, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFile(f"{name}: not a readable XLSX file ({type(exc).__name__})") from None
    stack.callback(book.close)
    if not book.worksheets:
        raise UnreadableFile(f"{name}: the workbook has no sheet")
    values = book.worksheets[0].iter_rows(min_row=1, values_only=True)
    rows = ([_cell_text(value) for value in row] for row in values)
    header = next(rows, None)
    if not header or not any(header):
        raise UnreadableFile(f"{name}: empty sheet, no header row")
    return header, rows


def _cell_text(value: object) -> str:
    """A cell as the text a CSV export of it would hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # phones and amounts typed as numbers: 89161000002, not 89161000002.0
    return str(value)


def _fit(rows: Iterator[list[str]], width: int, name: str) -> Iterator[tuple[int, list[str]]]:
    """Numbers the rows, skips blank ones, cuts or pads each to the header's width plus one "" cell."""
    line = 1
    try:
        for line, row in enumerate(rows, 2):
            size = len(row)
            if size == width:
                if not any(row):
                    continue
                row.append("")
            elif size < width:
                if not any(row):
                    continue
                row.extend([""] * (width + 1 - size))
            else:
                del row[width:]  # cells beyond the header belong to no column
                if not any(row):
                    continue
                row.append("")
            yield line, row
    except UnicodeDecodeError:
        raise UnreadableFile(f"{name}: not UTF-8 text (save it as CSV UTF-8)") from None
    except csv.Error as exc:
        raise UnreadableFile(f"{name}: line {line + 1}: {exc}") from None
