"""Which process runs the scheduled jobs: exactly one at a time, the others waiting to take over.

- PostgreSQL: a session advisory lock held on a dedicated connection. The database releases it when that
  connection ends — a crashed or killed process included — and a waiting process gets it on its next
  try. The holder checks its connection every few seconds and steps down (`lost`) when it breaks.
- SQLite (the embedded default, one machine): an exclusive `flock` on a file next to the database; the
  kernel releases it when the process dies.

Jobs are idempotent, so a takeover in the middle of one repeats nothing visible.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
from pathlib import Path
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

LOCK_KEY = 0x444D5342  # "DMSB": the advisory lock of the jobs


class Leadership(Protocol):
    lost: asyncio.Event  # set when leadership is lost (a broken connection): stop the jobs

    async def acquire(self) -> None:
        """Returns once this process is the leader (waits, retrying, until then)."""

    async def release(self) -> None: ...


class PostgresLeadership:
    def __init__(self, engine: AsyncEngine, *, retry: float = 2.0, heartbeat: float = 5.0) -> None:
        self.engine = engine
        self.retry = retry
        self.heartbeat = heartbeat
        self.lost = asyncio.Event()
        self._connection: AsyncConnection | None = None
        self._watch: asyncio.Task | None = None

    async def acquire(self) -> None:
        while True:
            try:
                connection = await self.engine.connect()
                try:
                    got = await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY})
                    await connection.commit()  # end the transaction; the session lock stays
                except BaseException:
                    await connection.close()
                    raise
                if got:
                    self._connection = connection
                    self.lost.clear()
                    self._watch = asyncio.create_task(self._watch_connection())
                    return
                await connection.close()
            except (TimeoutError, OSError) as exc:
                log.warning("leadership: database unreachable (%s)", type(exc).__name__)
            except Exception as exc:
                log.warning("leadership: cannot take the lock (%s)", type(exc).__name__)
            await asyncio.sleep(self.retry)

    async def _watch_connection(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat)
            try:
                await asyncio.wait_for(self._connection.scalar(text("SELECT 1")), self.heartbeat)
                await self._connection.commit()
            except Exception as exc:
                log.error("leadership lost: the lock's connection failed (%s)", type(exc).__name__)
                self.lost.set()
                return

    async def release(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
            self._watch = None
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await self._connection.close()  # closing the session releases the lock
            self._connection = None


class FileLeadership:
    def __init__(self, path: Path, *, retry: float = 2.0) -> None:
        self.path = path
        self.retry = retry
        self.lost = asyncio.Event()  # a held flock is not lost while the process lives
        self._fd: int | None = None

    async def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                await asyncio.sleep(self.retry)
                continue
            self._fd = fd
            return

    async def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
