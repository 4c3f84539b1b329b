"""A big SQLite import's writer: a process of its own that writes the batches of checked rows, each in
a transaction, while the importer checks the next ones. Checking and writing then run on two cores; on
two threads of one process they would take turns (the GIL: sqlite3 hands it back once a row).

`SQLiteWriter` (the importer's side) starts `python -I -S sqlite_writer.py DATABASE GAP CACHE_KB`, this
file run by its path, so that the writer imports nothing but the standard library. Frames both ways are
a 4-byte length and a `marshal` payload (rows are tuples of text, numbers and None: marshal is made for
them, and loads nothing else). The importer sends a batch as a list of `(sql, rows, fallback sql)`; the
writer answers once it is committed: None, or `(error type, message)` with the batch rolled back. sqlite3's
messages name constraints, never values. A batch refused by a constraint is written once more with each
statement's fallback (the upsert of rows sent as new), as on PostgreSQL: a key another import stored
meanwhile is updated.

Between two transactions the write lock stays free `GAP` seconds: a writer of the bot waiting for it
(SQLite's busy handler sleeps 100 ms at most between tries) then gets in.
"""

from __future__ import annotations

import asyncio
import marshal
import sqlite3
import struct
import sys
import time
from pathlib import Path
from typing import Any, BinaryIO

LENGTH = struct.Struct(">I")


class WriteFailed(Exception):
    """The database refused a batch, or the writer is gone: the import stops (batches committed stay)."""


class SQLiteWriter:
    """The importer's end: `send` a batch, `committed` waits for its answer. One batch at a time."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, database: str, gap: float, cache_kb: int) -> SQLiteWriter:
        process = await asyncio.create_subprocess_exec(
            *(sys.executable, "-I", "-S", str(Path(__file__).resolve()), database, str(gap), str(cache_kb)),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,  # a crash shows as the answer missing; no row goes to a log
        )
        return cls(process)

    async def send(self, statements: list[tuple[str, list[tuple], str | None]]) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        payload = marshal.dumps(statements)
        stdin.write(LENGTH.pack(len(payload)))
        stdin.write(payload)
        try:
            await stdin.drain()
        except ConnectionError:
            await self.process.wait()
            raise WriteFailed(self._gone()) from None

    async def committed(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        try:
            (length,) = LENGTH.unpack(await stdout.readexactly(LENGTH.size))
            answer = marshal.loads(await stdout.readexactly(length))
        except asyncio.IncompleteReadError:
            await self.process.wait()
            raise WriteFailed(self._gone()) from None
        if answer is not None:
            kind, message = answer
            raise WriteFailed(f"the database refused a batch: {kind}: {message}")

    async def close(self) -> None:
        """After the last answer: the writer ends when its input does."""
        stdin = self.process.stdin
        assert stdin is not None
        stdin.close()
        await self.process.wait()

    async def kill(self) -> None:
        """The import failed: a batch under way is rolled back with the writer's end."""
        if self.process.returncode is None:
            self.process.kill()
        await self.process.wait()

    def _gone(self) -> str:
        return f"the import's writer process ended (exit code {self.process.returncode})"


def _frames(source: BinaryIO) -> Any:
    while header := source.read(LENGTH.size):
        (length,) = LENGTH.unpack(header)
        yield marshal.loads(source.read(length))


def _answer(out: BinaryIO, answer: Any) -> None:
    payload = marshal.dumps(answer)
    out.write(LENGTH.pack(len(payload)) + payload)
    out.flush()


def main(database: str, gap: float, cache_kb: int) -> None:
    # The engine's pragmas (core/db/engine.py), and the importer's page cache.
    db = sqlite3.connect(database, timeout=30, isolation_level=None)
    for pragma in ("synchronous = NORMAL", "foreign_keys = ON", f"cache_size = -{cache_kb}"):
        db.execute(f"PRAGMA {pragma}")
    free_from = 0.0
    for statements in _frames(sys.stdin.buffer):
        time.sleep(max(0.0, free_from - time.monotonic()))
        try:
            try:
                _commit(db, [(sql, rows) for sql, rows, _ in statements])
            except sqlite3.IntegrityError:
                # Another import stored one of the new keys since this one read the table: upserted instead.
                _commit(db, [(fallback or sql, rows) for sql, rows, fallback in statements])
            answer = None
        except sqlite3.Error as exc:
            answer = (type(exc).__name__, str(exc))
        free_from = time.monotonic() + gap
        _answer(sys.stdout.buffer, answer)
    db.close()


def _commit(db: sqlite3.Connection, statements: list[tuple[str, list[tuple]]]) -> None:
    """The statements in one transaction, rolled back when one fails. SQLite rolls back on its own after
    some errors (the disk full, an I/O error): a ROLLBACK then would fail and hide the error that counts."""
    db.execute("BEGIN IMMEDIATE")
    try:
        for sql, rows in statements:
            db.executemany(sql, rows)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]))
