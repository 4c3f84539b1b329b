"""How far an import is, told to whoever started it (the chat edits a message with it) every few seconds.

The rows of a file are counted as the kind's loop takes them, a chunk at a time: the count costs nothing
per row, and the kinds' fast loops stay as they are. The callback may be a coroutine function: it is
then run as a task of its own beside the import, one at a time (a report due while the last one is still
running is skipped), so a slow chat edit never holds the import up. Whatever the callback raises is
logged and ignored: showing progress must not fail an import.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass

from core.services.importing.reader import Table

log = logging.getLogger(__name__)

EVERY_S = 2.0  # between two reports
ROWS_PER_LOOK = 1000  # rows between two looks at the clock


@dataclass(frozen=True, slots=True)
class ImportProgress:
    rows: int  # data rows read so far
    read_bytes: int  # how far into the file, in bytes (a row read ahead counts)
    total_bytes: int  # the file's size
    done: bool = False  # the last report: every row was read and the import is over

    @property
    def fraction(self) -> float:
        """Between 0 and 1, by the bytes read (the number of rows is unknown until the end)."""
        if self.done or not self.total_bytes:
            return 1.0
        return min(self.read_bytes / self.total_bytes, 1.0)


Progress = Callable[[ImportProgress], Awaitable[None] | None]


class ProgressTracker:
    def __init__(self, callback: Progress, every_s: float = EVERY_S) -> None:
        self.callback = callback
        self.every_s = every_s
        self.rows = 0
        self.size = 0
        self.tell: Callable[[], int] = lambda: 0
        self.due = time.monotonic() + every_s
        self.running: asyncio.Future | None = None

    def follow(self, table: Table) -> None:
        """Counts the rows of `table` as they are taken from it."""
        self.size, self.tell = table.size, table.tell
        table.rows = self._counted(table.rows)

    def _counted(self, rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
        while chunk := list(itertools.islice(rows, ROWS_PER_LOOK)):
            yield from chunk
            self.rows += len(chunk)
            if time.monotonic() >= self.due:
                self.due = time.monotonic() + self.every_s
                if self.running is None or self.running.done():
                    self.running = self._tell(self._now())

    def _now(self, done: bool = False) -> ImportProgress:
        return ImportProgress(self.rows, self.size if done else self._read(), self.size, done)

    def _read(self) -> int:
        try:
            return self.tell()
        except ValueError:  # the last chunk was read to the end of the file, which the reader then closed
            return self.size

    def _tell(self, progress: ImportProgress) -> asyncio.Future | None:
        try:
            told = self.callback(progress)
            if inspect.isawaitable(told):
                task = asyncio.ensure_future(told)
                task.add_done_callback(_log_failure)
                return task
        except Exception:
            log.warning("the import's progress callback failed", exc_info=True)
        return None

    async def finish(self) -> None:
        """The import is over: the last report, once the one running ended."""
        running, self.running = self.running, None
        if running is not None:
            await asyncio.wait([running])
        last = self._tell(self._now(done=True))
        if last is not None:
            await asyncio.wait([last])

    def abandon(self) -> None:
        """The import failed: the report running is cancelled, and none follows."""
        running, self.running = self.running, None
        if running is not None:
            running.cancel()


def _log_failure(task: asyncio.Future) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("the import's progress callback failed", exc_info=task.exception())
