"""Every issue of an import as CSV (`--report FILE`, and the document the chat sends when there are more
issues than a message holds): one row an issue, cells neutralised like every file the project writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.files import table_writer
from core.services.importing.reader import ImportRefused
from core.services.importing.report import RowIssue, Sink

COLUMNS = ("line", "column", "level", "code", "reason")


@contextmanager
def issues_csv(path: Path | None) -> Iterator[Sink | None]:
    """A sink writing each issue to `path`; the file appears only once the block ends without error."""
    if path is None:
        yield None
        return
    try:
        writer = table_writer(path, COLUMNS)
        write = writer.__enter__()
    except OSError as exc:
        raise ImportRefused(f"cannot write {path}: {exc.strerror}") from None

    def sink(issue: RowIssue) -> None:
        write([issue.line, issue.column, "warning" if issue.warning else "rejected", issue.code, issue.reason()])

    try:
        yield sink
    except BaseException as exc:
        writer.__exit__(type(exc), exc, exc.__traceback__)
        raise
    try:
        writer.__exit__(None, None, None)
    except OSError as exc:
        raise ImportRefused(f"cannot write {path}: {exc.strerror}") from None
