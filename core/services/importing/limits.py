"""What a file may be before it is read: the limits of every import, in two named sets.

`COMMAND_LINE` admits a registry of several million rows; `UPLOAD` is for files staff send to the
bot (Telegram lets a bot download at most 20 MB). A file beyond a limit is unreadable: one line
that names the limit, and nothing is written.

Memory does not grow with the size of a file: rows and issues are streamed, so these limits bound
the time an import takes and the few things held whole (an XLSX's shared strings, one row).
"""

from __future__ import annotations

from dataclasses import dataclass

KB, MB, GB = 1024, 1024**2, 1024**3


@dataclass(frozen=True)
class Limits:
    name: str
    file_bytes: int  # the file as given (an XLSX compressed)
    rows: int  # data rows, the header not counted
    columns: int  # cells in a row, the header's included
    cell_chars: int  # characters in one cell
    xlsx_inflated_bytes: int  # the parts of an XLSX once inflated, all together (from the zip directory)
    xlsx_strings_bytes: int  # its shared strings part once inflated: held in memory while reading
    xlsx_ratio: int = 100  # inflated/compressed size of any part above XLSX_RATIO_FROM: a zip bomb's is ~1000
    xlsx_parts: int = 1000  # entries in the zip directory (a workbook has a dozen or so)


XLSX_RATIO_FROM = 1 * MB  # small parts (a sheet of empty cells) may compress better than the ratio

COMMAND_LINE = Limits(
    name="command-line",
    file_bytes=4 * GB,
    rows=10_000_000,
    columns=500,
    cell_chars=10_000,
    xlsx_inflated_bytes=4 * GB,
    xlsx_strings_bytes=256 * MB,
)
UPLOAD = Limits(
    name="upload",
    file_bytes=20 * MB,
    rows=100_000,  # 20 MB of registry rows
    columns=500,
    cell_chars=10_000,  # the same as the command line's: the csv module's limit is one per process
    xlsx_inflated_bytes=256 * MB,
    xlsx_strings_bytes=64 * MB,
)
LIMIT_SETS = {limits.name: limits for limits in (COMMAND_LINE, UPLOAD)}


def size(count: int) -> str:
    """A byte count as people read it: `20 MB`, `4 GB`, `350 KB`, `17 bytes`."""
    for unit, factor in (("GB", GB), ("MB", MB), ("KB", KB)):
        if count >= factor:
            value = count / factor
            return f"{value:.0f} {unit}" if value >= 10 or value.is_integer() else f"{value:.1f} {unit}"
    return f"{count} bytes"
