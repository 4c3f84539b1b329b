"""Hostile and broken import files, generated: XLSX workbooks written part by part (so that any
part can be garbage), zip bombs, odd CSVs."""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterable
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
REGISTRY = (
    "policy_number",
    "last_name",
    "first_name",
    "birth_date",
    "program_code",
    "valid_from",
    "valid_to",
)
PROGRAMS = ("program_code", "name")

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
    f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
    f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
SHEET_START = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
SHEET_END = "</sheetData></worksheet>"


def column(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def inline_row(line: int, values: Iterable[str]) -> str:
    cells = "".join(
        f'<c r="{column(n)}{line}" t="inlineStr"><is><t>{value}</t></is></c>' for n, value in enumerate(values, 1)
    )
    return f'<row r="{line}">{cells}</row>'


def workbook(
    path: Path,
    sheet: str | bytes | Iterable[bytes],
    strings: str | bytes | Iterable[bytes] | None = None,
    level: int = 6,
) -> Path:
    """A workbook with one sheet (and shared strings): each part given as text, bytes, or pieces
    of bytes streamed into the zip (for parts far bigger than memory should hold)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, part in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", strings),
        ):
            if part is None:
                continue
            if isinstance(part, str):
                part = part.encode()
            if isinstance(part, bytes):
                zf.writestr(name, part)
                continue
            with zf.open(name, "w", force_zip64=True) as out:
                for piece in part:
                    out.write(piece)
    return path


def sheet_of(header: Iterable[str], *rows: str) -> str:
    return SHEET_START + inline_row(1, header) + "".join(rows) + SHEET_END


def repeated(piece: bytes, total: int, head: bytes = b"", tail: bytes = b"") -> Iterable[bytes]:
    """`head`, then `piece` repeated to about `total` bytes, then `tail`, in 1 MB pieces."""
    yield head
    block = piece * max(1, (1 << 20) // len(piece))
    for _ in range(total // len(block)):
        yield block
    yield tail


def lie_about_size(path: Path, part: str, declared: int) -> Path:
    """Rewrites the zip directory so that `part` claims to inflate to `declared` bytes (the deflate
    stream inflates to far more): a bomb that hides from a directory check."""
    data = bytearray(path.read_bytes())
    name = part.encode()
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        (name_length,) = struct.unpack_from("<H", data, at + 28)
        if data[at + 46 : at + 46 + name_length] == name:
            struct.pack_into("<I", data, at + 24, declared)  # below 4 GB: no zip64 field to mend
        at += 46
    path.write_bytes(bytes(data))
    return path


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
