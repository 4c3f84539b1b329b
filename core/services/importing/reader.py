"""Import files as rows of text: CSV (UTF-8, `,` or `;`) or the first sheet of an XLSX.

Rows are streamed, never loaded whole, so a million-row registry costs little memory, and every
read is bounded by `Limits` (limits.py): a file beyond one is unreadable, in one line naming it.
Line numbers are what a spreadsheet shows: the header is line 1.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import IO

from core.services.importing.limits import COMMAND_LINE, Limits, size

CSV_SUFFIXES = ("", ".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"  # an XLSX is a zip, whatever its name says
SCAN_CHUNK = 1 << 20


class ImportRefused(Exception):
    """The import cannot be done as asked (an unknown kind, an option its kind does not take, a report
    file that cannot be written), or the file cannot be read: one line, for the user as it is."""


class UnreadableFile(ImportRefused):
    """The file cannot be read at all (missing, not CSV/XLSX, beyond a limit, a required column
    absent): one line."""


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
    size: int  # of the file in bytes
    tell: Callable[[], int]  # how far into the file reading is, in bytes
    # The scan before the first row ruled out every error reading the rows could meet (a CSV without
    # quotes, whose lines are all short and few enough): no need to read it through before writing.
    readable: bool = False

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
def open_table(source: Path | bytes, filename: str | None = None, limits: Limits = COMMAND_LINE) -> Iterator[Table]:
    name = filename or (source.name if isinstance(source, Path) else "upload")
    with ExitStack() as stack:
        suffix = Path(name).suffix.lower()
        if isinstance(source, Path):
            try:
                binary: IO[bytes] = stack.enter_context(source.open("rb"))
                length = source.stat().st_size
            except OSError as exc:
                raise UnreadableFile(f"{source}: {exc.strerror or 'cannot be opened'}") from None
        else:
            binary, length = io.BytesIO(source), len(source)
        if suffix not in CSV_SUFFIXES + XLSX_SUFFIXES:
            raise UnreadableFile(f"{name}: not a CSV or XLSX file")
        if length > limits.file_bytes:
            raise UnreadableFile(
                f"{name}: {size(length)}: over the {limits.name} file size limit of {size(limits.file_bytes)}"
            )
        if not length:
            raise UnreadableFile(f"{name}: empty file, no header line")
        readable = False
        if suffix in XLSX_SUFFIXES or binary.read(len(ZIP_MAGIC)) == ZIP_MAGIC:
            binary.seek(0)
            header, rows = _xlsx(binary, name, limits, stack)
        else:
            binary.seek(0)
            header, rows, readable = _csv(binary, name, limits)
        if len(header) > limits.columns:
            raise UnreadableFile(f"{name}: line 1: over the {limits.name} columns limit of {limits.columns:,}")
        columns: dict[str, int] = {}
        for position, title in enumerate(header):
            columns.setdefault(title.strip().casefold(), position)
        yield Table(name, columns, len(header), rows, length, binary.tell, readable)


def _csv(binary: IO[bytes], name: str, limits: Limits) -> tuple[list[str], Iterator[tuple[int, list[str]]], bool]:
    """The header, the rows, and whether reading them cannot fail (`Table.readable`)."""
    quoted, longest_line, breaks = _check_text(binary, name)
    binary.seek(0)
    # utf-8-sig drops the BOM Excel writes; newline="" lets csv see quoted line breaks.
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    record_chars = limits.columns * (limits.cell_chars + 3)
    first = text.readline(record_chars + 1)
    if len(first) > record_chars:
        raise _record_error(name, 1, limits)
    if not first.strip():
        raise UnreadableFile(f"{name}: empty file, no header line")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    # One limit per process (the csv module's); both limit sets share it.
    if csv.field_size_limit() != limits.cell_chars:
        csv.field_size_limit(limits.cell_chars)
    # The characters of a record are bounded, so that a row of a million cells is refused before
    # it is built. Without quotes a record is a line, and the scan saw every line's length.
    budget = [0]
    lines: Iterator[str] = itertools.chain((first,), text)
    if quoted or longest_line > record_chars:
        lines = _bounded(lines, budget, record_chars)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise _csv_error(exc, name, 1, limits) from None
    except _RecordTooLong:
        raise _record_error(name, 1, limits) from None
    # Without quotes a record is a line, a cell part of one, and a line of n characters has at most
    # n + 1 cells: short lines fit every limit of cells, and the line breaks bound the rows.
    readable = not quoted and longest_line < min(limits.columns, limits.cell_chars) and breaks <= limits.rows
    return header, _csv_rows(reader, budget, name, len(header), limits), readable


class _RecordTooLong(Exception):
    pass


def _bounded(lines: Iterator[str], budget: list[int], limit: int) -> Iterator[str]:
    """The lines, failing when the record being read (`budget[0]` characters so far; the reader
    of records resets it) grows beyond `limit`."""
    for line in lines:
        budget[0] += len(line)
        if budget[0] > limit:
            raise _RecordTooLong
        yield line


def _csv_rows(
    reader: Iterator[list[str]], budget: list[int], name: str, width: int, limits: Limits
) -> Iterator[tuple[int, list[str]]]:
    """Numbers the records, skips blank ones, cuts or pads each to the header's width plus one
    "" cell; the limits of rows and columns apply."""
    line = 1
    last = limits.rows + 1
    widest = limits.columns
    try:
        for line, row in enumerate(reader, 2):
            budget[0] = 0
            if line > last:
                raise UnreadableFile(f"{name}: line {line:,}: over the {limits.name} rows limit of {limits.rows:,}")
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
                if size > widest:
                    raise UnreadableFile(f"{name}: line {line}: over the {limits.name} columns limit of {widest:,}")
                del row[width:]  # cells beyond the header belong to no column
                if not any(row):
                    continue
                row.append("")
            yield line, row
    except csv.Error as exc:
        raise _csv_error(exc, name, line + 1, limits) from None
    except _RecordTooLong:
        raise _record_error(name, line + 1, limits) from None
    except UnicodeDecodeError:  # checked before; only a file changed meanwhile gets here
        raise UnreadableFile(f"{name}: not UTF-8 text (save it as CSV UTF-8)") from None
    except OSError as exc:
        raise UnreadableFile(f"{name}: {exc.strerror or 'cannot be read'}") from None


def _csv_error(exc: csv.Error, name: str, line: int, limits: Limits) -> UnreadableFile:
    if "field limit" in str(exc):
        return UnreadableFile(
            f"{name}: line {line}: over the {limits.name} cell length limit of {limits.cell_chars:,} characters"
        )
    return UnreadableFile(f"{name}: line {line}: {exc}")


def _record_error(name: str, line: int, limits: Limits) -> UnreadableFile:
    return UnreadableFile(
        f"{name}: line {line}: a row longer than {limits.columns:,} cells of {limits.cell_chars:,} characters"
        f" (the {limits.name} columns and cell length limits)"
    )


def _check_text(binary: IO[bytes], name: str) -> tuple[bool, int]:
    """UTF-8 throughout and no NUL, checked before the first row is read (at C speed), so that a
    file cannot turn out unreadable halfway. NUL passes UTF-8 decoding and csv, but no database
    text column takes it; it also betrays UTF-16 ("Unicode text" from Excel).

    Returns whether the file holds a quote, the length in bytes of its longest line, and at least as
    many as its line breaks (`\n`, `\r`, one `\r\n`)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    quoted, longest, carry, breaks = False, 0, 0, 0
    while chunk := binary.read(SCAN_CHUNK):
        if b"\x00" in chunk:
            raise UnreadableFile(f"{name}: not UTF-8 text, it holds NUL characters (save it as CSV UTF-8)")
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError:
            raise UnreadableFile(f"{name}: not UTF-8 text (save it as CSV UTF-8)") from None
        quoted = quoted or b'"' in chunk
        breaks += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")  # one split \r\n counts twice
        lines = chunk.split(b"\n")
        if len(lines) == 1:
            carry += len(chunk)
        else:
            longest = max(longest, carry + len(lines[0]), *map(len, lines[1:-1]))
            carry = len(lines[-1])
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise UnreadableFile(f"{name}: not UTF-8 text (save it as CSV UTF-8)") from None
    return quoted, max(longest, carry), breaks


def _xlsx(
    binary: IO[bytes], name: str, limits: Limits, stack: ExitStack
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    from core.services.importing import (
        xlsx,  # only XLSX files pay for importing openpyxl's helpers
    )

    try:
        archive, rows = xlsx.read_xlsx(binary, limits)
        stack.callback(archive.close)
        first = next(rows, None)
    except xlsx.XlsxError as exc:
        raise UnreadableFile(f"{name}: not a readable XLSX file ({exc})") from None
    except xlsx.STREAM_ERRORS as exc:
        raise UnreadableFile(f"{name}: not a readable XLSX file ({xlsx.stream_reason(exc)})") from None
    if first is None or first[0] != 1 or not any(first[1]):
        raise UnreadableFile(f"{name}: empty sheet, no header row")
    header = first[1]
    return header, _xlsx_rows(rows, name, len(header))


def _xlsx_rows(rows: Iterator[tuple[int, list[str]]], name: str, width: int) -> Iterator[tuple[int, list[str]]]:
    """As `_csv_rows` does (the reader of the sheet applies the limits)."""
    from core.services.importing import xlsx

    try:
        for line, row in rows:
            size = len(row)
            if size > width:
                del row[width:]
            if not any(row):
                continue
            row.extend([""] * (width + 1 - len(row)))
            yield line, row
    except xlsx.XlsxError as exc:
        raise UnreadableFile(f"{name}: not a readable XLSX file ({exc})") from None
    except xlsx.STREAM_ERRORS as exc:
        raise UnreadableFile(f"{name}: not a readable XLSX file ({xlsx.stream_reason(exc)})") from None
