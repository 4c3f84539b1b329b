"""The first sheet of an XLSX workbook as rows of text, read in streaming with bounded memory.

An XLSX is a zip of XML parts. Before anything is inflated, the zip directory is checked against the
limits: the number of parts, their total inflated size, each part's compression ratio (a zip bomb's
is about 1000) and the shared strings' size (they are held in memory). Python's zipfile never
inflates a part beyond the size its directory entry declares, so those checks hold.

The XML is parsed by pieces (`XMLPullParser` over defusedxml's parser: a DTD, hence any entity, is
refused), elements are dropped as soon as they are read, and no element may hold more text than a
cell may (`cell_chars`), nor a row more cells than `columns`: a hostile part costs the time to read
it, not the memory. Cells read as a CSV export would show them; openpyxl's own conversions
(dates from serial numbers, ISO dates, date formats) are used for that.

Anything malformed (a part missing or not well-formed, a shared string index out of range, a date
that is none) is `UnreadableFile`, one line.
"""

from __future__ import annotations

import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import IO
from xml.etree.ElementTree import Element, ParseError, TreeBuilder, XMLPullParser

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from defusedxml.ElementTree import fromstring as safe_fromstring
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import (
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    from_excel,
    from_ISO8601,
)

from core.services.importing.limits import XLSX_RATIO_FROM, Limits, size

CHUNK = 64 * 1024  # bytes fed to the parser at a time
SMALL_PART = 16 * 1024 * 1024  # workbook, relationships, styles: parsed whole, so bounded
MAX_DEPTH = 64  # element nesting: a sheet needs 5
_EOCD, _EOCD64, _LOCATOR64 = b"PK\x05\x06", b"PK\x06\x06", b"PK\x06\x07"
_DIRECTORY_ENTRY_BYTES = 1024  # what one part's zip directory entry may take, name included


class XlsxError(Exception):
    """Why the workbook cannot be read (the reader adds the file's name)."""


def read_xlsx(binary: IO[bytes], limits: Limits) -> tuple[zipfile.ZipFile, Iterator[tuple[int, list[str]]]]:
    """The open archive (to close) and the sheet's `(line, cells)`, starting with the header row.
    Raises `XlsxError`, also while iterating."""
    archive = _open_zip(binary, limits)
    try:
        return archive, _rows(archive, limits)
    except BaseException:
        archive.close()
        raise


def _open_zip(binary: IO[bytes], limits: Limits) -> zipfile.ZipFile:
    entries, directory = _directory_size(binary)
    if entries > limits.xlsx_parts or directory > limits.xlsx_parts * _DIRECTORY_ENTRY_BYTES:
        raise XlsxError(f"{entries} parts: over the {limits.name} zip entries limit of {limits.xlsx_parts:,}")
    try:
        archive = zipfile.ZipFile(binary)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, struct.error):
        raise XlsxError("not a zip archive") from None
    inflated = 0
    for info in archive.infolist():
        if info.flag_bits & 0x1:
            raise XlsxError("an encrypted part")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise XlsxError(f"compression method {info.compress_type} of {info.filename} is not supported")
        inflated += info.file_size
        if info.file_size > XLSX_RATIO_FROM and info.file_size > limits.xlsx_ratio * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise XlsxError(
                f"{info.filename} inflates {ratio:,} times: over the {limits.name} compression ratio limit"
                f" of {limits.xlsx_ratio}"
            )
    if inflated > limits.xlsx_inflated_bytes:
        raise XlsxError(
            f"{size(inflated)} once inflated: over the {limits.name} inflated size limit of"
            f" {size(limits.xlsx_inflated_bytes)}"
        )
    return archive


def _directory_size(binary: IO[bytes]) -> tuple[int, int]:
    """The entry count and the byte size of the zip directory, read from its end record (zipfile
    would read the whole directory into memory first). (0, 0) when there is no end record: then
    zipfile says it is no zip."""
    binary.seek(0, 2)
    end = binary.tell()
    start = max(0, end - (22 + 65535))  # the end record, then a comment of at most 64 KB
    binary.seek(start)
    tail = binary.read(end - start)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        return 0, 0
    entries, directory = struct.unpack_from("<HI", tail, at + 10)
    if entries == 0xFFFF or directory == 0xFFFFFFFF:  # zip64: the real figures are in its own record
        locator = at - 20
        if locator >= 0 and tail[locator : locator + 4] == _LOCATOR64:
            (offset,) = struct.unpack_from("<Q", tail, locator + 8)
            binary.seek(offset)
            record = binary.read(56)
            if len(record) == 56 and record[:4] == _EOCD64:
                entries, directory = struct.unpack_from("<QQ", record, 32)
    binary.seek(0)
    return entries, directory


# Namespaces: the usual (transitional) ones; strict OOXML's are matched by local name too.
_REL_TYPES = {"officeDocument", "worksheet", "sharedStrings", "styles"}


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _small_part(archive: zipfile.ZipFile, path: str) -> Element | None:
    try:
        info = archive.getinfo(path)
    except KeyError:
        return None
    if info.file_size > SMALL_PART:
        raise XlsxError(f"{path} is {size(info.file_size)}, more than a workbook part holds")
    try:
        return safe_fromstring(archive.read(info), forbid_dtd=True)
    except (ParseError, DefusedXmlException) as exc:
        raise XlsxError(f"{path}: {_xml_reason(exc)}") from None


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """`{id: (type, path)}` of a part's relationships (types by their last word)."""
    folder, name = posixpath.split(part)
    root = _small_part(archive, posixpath.join(folder, "_rels", f"{name}.rels"))
    found: dict[str, tuple[str, str]] = {}
    if root is None:
        return found
    for rel in root:
        if _local(rel.tag) != "Relationship" or rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target") or ""
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        found[rel.get("Id") or ""] = (_local(rel.get("Type") or "").rpartition("/")[2], posixpath.normpath(path))
    return found


class _Book:
    """Where the first sheet, the shared strings and the styles are, and the date system."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        package = _relationships(archive, "")
        workbook = next((path for kind, path in package.values() if kind == "officeDocument"), "xl/workbook.xml")
        root = _small_part(archive, workbook)
        if root is None:
            raise XlsxError(f"no workbook part ({workbook})")
        self.epoch = CALENDAR_WINDOWS_1900
        sheet_id = None
        for element in root.iter():
            name = _local(element.tag)
            if name == "workbookPr" and element.get("date1904", "").lower() in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904
            elif name == "sheet" and sheet_id is None:
                sheet_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
        parts = _relationships(archive, workbook)
        if sheet_id is None or sheet_id not in parts:
            raise XlsxError("the workbook has no sheet")
        self.sheet = parts[sheet_id][1]
        self.strings = next((path for kind, path in parts.values() if kind == "sharedStrings"), None)
        self.styles = next((path for kind, path in parts.values() if kind == "styles"), None)


def _date_styles(archive: zipfile.ZipFile, path: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """The cell style indices (as the `s` attribute spells them) whose number format is a date,
    and those of them that are durations."""
    root = _small_part(archive, path) if path else None
    if root is None:
        return frozenset(), frozenset()
    formats = dict(BUILTIN_FORMATS)
    xfs: list[Element] = []
    for element in root:
        name = _local(element.tag)
        if name == "numFmts":
            for fmt in element:
                try:
                    formats[int(fmt.get("numFmtId", ""))] = fmt.get("formatCode", "")
                except ValueError:
                    continue
        elif name == "cellXfs":
            xfs = list(element)
    dates, durations = set(), set()
    for index, xf in enumerate(xfs):
        try:
            fmt = formats.get(int(xf.get("numFmtId", "0")))
        except ValueError:
            continue
        if is_date_format(fmt):
            dates.add(str(index))
            if is_timedelta_format(fmt):
                durations.add(str(index))
    return frozenset(dates), frozenset(durations)


class _Pull:
    """The events of one XML part, parsed by pieces; no run of text (or tag) longer than a cell
    may be, no nesting deeper than MAX_DEPTH."""

    def __init__(self, archive: zipfile.ZipFile, path: str, limits: Limits) -> None:
        self.path = path
        try:
            self.stream = archive.open(path)
        except KeyError:
            raise XlsxError(f"no part {path}") from None
        self.parser = XMLPullParser(
            events=("start", "end"), _parser=DefusedXMLParser(target=TreeBuilder(), forbid_dtd=True)
        )
        self.limits = limits
        self.gap = _cell_bytes(limits)
        self.fed = 0  # bytes given to the parser so far

    def batches(self) -> Iterator[list[tuple[str, Element]]]:
        read, feed, events = self.stream.read, self.parser.feed, self.parser.read_events
        quiet_since = 0
        try:
            while chunk := read(CHUNK):
                feed(chunk)
                self.fed += len(chunk)
                batch = list(events())
                if batch:
                    quiet_since = self.fed
                    yield batch
                elif self.fed - quiet_since > self.gap:
                    limits = self.limits
                    raise XlsxError(
                        f"{self.path}: a text or tag longer than the {limits.name} cell length limit of"
                        f" {limits.cell_chars:,} characters allows"
                    )
            self.parser.close()
            yield list(events())
        except (ParseError, DefusedXmlException) as exc:
            raise XlsxError(f"{self.path}: {_xml_reason(exc)}") from None
        finally:
            self.stream.close()


def _xml_reason(exc: Exception) -> str:
    if isinstance(exc, DefusedXmlException):
        return "a DTD or entity declaration (refused)"
    return str(exc) or "not well-formed XML"


def _shared_strings(archive: zipfile.ZipFile, path: str | None, limits: Limits) -> list[str]:
    if path is None or path not in archive.NameToInfo:
        return []
    inflated = archive.getinfo(path).file_size
    if inflated > limits.xlsx_strings_bytes:
        raise XlsxError(
            f"shared strings of {size(inflated)} once inflated: over the {limits.name} shared strings limit"
            f" of {size(limits.xlsx_strings_bytes)}"
        )
    bound = _cell_bytes(limits)
    pull = _Pull(archive, path, limits)
    strings: list[str] = []
    stack: list[Element] = []
    item_depth, item_from = 0, 0
    for batch in pull.batches():
        for event, element in batch:
            if event == "start":
                stack.append(element)
                if len(stack) > MAX_DEPTH:
                    raise XlsxError(f"{path}: elements nested deeper than {MAX_DEPTH}")
                if not item_depth and _local(element.tag) == "si":
                    item_depth, item_from = len(stack), pull.fed
                continue
            stack.pop()
            if item_depth and len(stack) >= item_depth:  # inside a string: kept until it ends
                continue
            if item_depth:
                item_depth = 0
                try:
                    strings.append(_text(element, limits).replace("x005F_", ""))  # as openpyxl reads it
                except _CellTooLong:
                    raise _strings_error(path, limits) from None
            if stack:
                del stack[-1][:]
        if item_depth and pull.fed - item_from > bound:
            raise _strings_error(path, limits)
    return strings


def _strings_error(path: str, limits: Limits) -> XlsxError:
    return XlsxError(f"{path}: a string over the {limits.name} cell length limit of {limits.cell_chars:,}")


def _text(element: Element, limits: Limits) -> str:
    """The text of a string item (`si`, `is`): its `t`, and the `t` of its runs; phonetic
    guides (`rPh`) are not part of it."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    text = "".join(parts)
    if len(text) > limits.cell_chars:
        raise _CellTooLong
    return text


class _CellTooLong(Exception):
    pass


def _cell_bytes(limits: Limits) -> int:
    # XML may spell a character in up to 10 bytes (&#x10FFFF;): what one cell may take in the part.
    return limits.cell_chars * 10 + CHUNK


def _column_numbers(limits: Limits) -> dict[str, int]:
    return {get_column_letter(n): n for n in range(1, limits.columns + 1)}


def _rows(archive: zipfile.ZipFile, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    book = _Book(archive)
    strings = _shared_strings(archive, book.strings, limits)
    dates, durations = _date_styles(archive, book.styles)
    return _sheet(archive, book, strings, dates, durations, limits)


def _sheet(
    archive: zipfile.ZipFile,
    book: _Book,
    strings: list[str],
    dates: frozenset[str],
    durations: frozenset[str],
    limits: Limits,
) -> Iterator[tuple[int, list[str]]]:
    bound = _cell_bytes(limits)
    pull = _Pull(archive, book.sheet, limits)
    columns = _column_numbers(limits)
    max_line = limits.rows + 1
    cell_tag = row_tag = None  # in the namespace of the sheet's root
    stack: list[Element] = []
    cell_depth = 0  # of the cell being read; 0 outside one
    cell_from = 0  # bytes fed when it started
    line, cells, column = 0, [], 0
    reference = ""
    convert: _Cells | None = None
    for batch in pull.batches():
        for event, element in batch:
            tag = element.tag
            if event == "start":
                stack.append(element)
                if tag == cell_tag and not cell_depth:
                    reference = element.get("r") or ""
                    if reference:
                        column = columns.get(reference.rstrip(_DIGITS)) or _column(reference, limits)
                    else:
                        column += 1
                    if column > limits.columns:
                        raise _column_error(reference, line, limits)
                    cell_depth, cell_from = len(stack), pull.fed
                elif tag == row_tag:
                    number = element.get("r")
                    try:
                        line = int(number) if number else line + 1
                    except ValueError:
                        raise XlsxError(f"{book.sheet}: row number {number[:20]!r}") from None
                    if line > max_line:
                        raise XlsxError(f"row {line:,}: over the {limits.name} rows limit of {limits.rows:,}")
                    cells, column = [], 0
                elif cell_tag is None:  # the root: its namespace is the sheet's
                    namespace = tag[: tag.index("}") + 1] if tag.startswith("{") else ""
                    cell_tag, row_tag = f"{namespace}c", f"{namespace}row"
                    convert = _Cells(namespace, strings, dates, durations, book.epoch, limits)
                elif len(stack) > MAX_DEPTH:
                    raise XlsxError(f"{book.sheet}: elements nested deeper than {MAX_DEPTH}")
                continue
            stack.pop()
            if cell_depth:
                if len(stack) >= cell_depth:  # inside the cell: kept until it ends
                    continue
                cell_depth = 0
                try:
                    text = convert(element)
                except _CellTooLong:
                    raise _length_error(reference or f"{get_column_letter(column)}{line}", limits) from None
                except (ValueError, IndexError, OverflowError, TypeError) as exc:
                    where = reference or f"{get_column_letter(column)}{line}"
                    raise XlsxError(f"cell {where}: {_cell_reason(element, exc)}") from None
                if text:
                    size = len(cells)
                    if column > size:
                        if column > size + 1:
                            cells.extend([""] * (column - size - 1))
                        cells.append(text)
                    else:  # cells out of order: where their reference says
                        cells[column - 1] = text
            elif tag == row_tag:
                yield line, cells
                cells = []
            if stack:
                del stack[-1][:]  # the finished element goes: memory stays flat
        if cell_depth and pull.fed - cell_from > bound:
            raise _length_error(reference or f"{get_column_letter(column)}{line}", limits)


_DIGITS = "0123456789"


def _column(reference: str, limits: Limits) -> int:
    """The column of a cell reference off the fast path: lower case, or beyond the limit."""
    letters = reference.rstrip(_DIGITS).upper()
    if not letters.isascii() or not letters.isalpha():
        raise XlsxError(f"cell reference {reference[:20]!r}")
    try:
        return column_index_from_string(letters)
    except ValueError:  # beyond XFD, the last column Excel has
        return limits.columns + 1


def _column_error(reference: str, line: int, limits: Limits) -> XlsxError:
    where = f"cell {reference[:20]}" if reference else f"row {line:,}"
    return XlsxError(f"{where}: over the {limits.name} columns limit of {limits.columns:,}")


def _length_error(reference: str, limits: Limits) -> XlsxError:
    return XlsxError(f"cell {reference[:20]}: over the {limits.name} cell length limit of {limits.cell_chars:,}")


def _cell_reason(element: Element, exc: Exception) -> str:
    kind = element.get("t", "n")
    if isinstance(exc, IndexError):
        return "refers to a shared string that does not exist"
    if kind == "d":
        return "not a date"
    return f"not a value of type {kind[:10]!r}"


class _Cells:
    """A cell element → the text a CSV export would show."""

    def __init__(
        self,
        namespace: str,
        strings: list[str],
        dates: frozenset[str],
        durations: frozenset[str],
        epoch: datetime,
        limits: Limits,
    ) -> None:
        self.value_tag, self.inline_tag = f"{namespace}v", f"{namespace}is"
        self.strings = strings
        self.dates = dates
        self.durations = durations
        self.epoch = epoch
        self.limits = limits

    def __call__(self, element: Element) -> str:
        kind = element.get("t")
        if kind == "inlineStr":
            inline = element.find(self.inline_tag)
            return "" if inline is None else _text(inline, self.limits)
        value = element.findtext(self.value_tag)
        if not value:
            return ""
        if len(value) > self.limits.cell_chars:
            raise _CellTooLong
        if kind is None or kind == "n":
            style = element.get("s", "0")
            number = float(value) if ("." in value or "e" in value or "E" in value) else int(value)
            if style in self.dates:
                try:
                    return cell_text(from_excel(number, self.epoch, timedelta=style in self.durations))
                except (OverflowError, ValueError):
                    return "#VALUE!"  # a date out of range: what openpyxl and Excel show
            return cell_text(number)
        if kind == "s":
            return self.strings[int(value)]
        if kind == "b":
            return "yes" if int(value) else "no"
        if kind == "d":
            moment = from_ISO8601(value)
            if moment is None:
                raise ValueError(value)
            return cell_text(moment)
        return value  # "str" (a formula's text), "e" (an error such as #N/A)


def cell_text(value: object) -> str:
    """A typed cell as the text a CSV export of it would hold."""
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


# zlib.error and EOFError come from a damaged deflate stream; zipfile's own errors from a bad CRC.
STREAM_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError)


def stream_reason(exc: BaseException) -> str:
    """One of STREAM_ERRORS in a few words."""
    if isinstance(exc, zipfile.BadZipFile):
        return str(exc) or "a damaged zip archive"
    if isinstance(exc, (zlib.error, EOFError)):
        return "damaged compressed data"
    if isinstance(exc, OSError):
        return exc.strerror or "cannot be read"
    return type(exc).__name__
