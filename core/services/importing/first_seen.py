"""What a big file's importer remembers of every key it has met (its first line, hashes of what that
line said, whether the row was taken and as what), kept in a private temporary SQLite database instead
of the process's memory: as Python objects these grew the process by about 300 bytes a row (487 MB of
RSS for a million-row registry); here they cost pages of a temporary file and a small page cache.

The importer asks a batch of rows at a time: `load` brings the records of the batch's keys met in
earlier batches into a dict, the rows are checked against it (`get`, `add`, `take`), and `save` writes
the batch's new and changed records in two executemany calls. `absent` answers the `--full` question
(which of these keys did the file not list) with one query a chunk. The calls run on the event loop's
thread between two of its turns, short CPU work like the checks themselves (about 4 µs a key, measured
for a million keys on a busy machine)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

CHUNK = 5000  # keys per `IN (...)`: within SQLite's parameter limit
CACHE_KB = 8 * 1024  # page cache of the private database; the rest of it lives in its temporary file
FILTER_BITS = 1 << 24  # 2 MB: with a million keys met, about 6 % of new keys are looked up all the same
FILTER_MASK = FILTER_BITS - 1


class FirstSeen:
    """key → [first line, hash of the printed number, hash of the person, category taken or None]."""

    def __init__(self) -> None:
        # "": a private temporary database on disk, deleted when closed.
        self.db = sqlite3.connect("", isolation_level=None)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", f"cache_size = -{CACHE_KB}"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.execute(
            "CREATE TABLE seen (key TEXT PRIMARY KEY, line INTEGER NOT NULL, printed INTEGER NOT NULL,"
            " person INTEGER NOT NULL, taken TEXT) WITHOUT ROWID"
        )
        self.batch: dict[str, list] = {}  # the records of this batch's keys, loaded or new
        self.new: list[str] = []  # keys first met in this batch
        # A bit for the hash of each key saved: a key whose bit is clear was never met, and most keys of a
        # file are met once, so most need no lookup (a set bit may be another key's: then it is looked up).
        self.met = bytearray(FILTER_BITS // 8)

    def load(self, keys: Iterable[str]) -> None:
        """The stored records of these keys (those met in earlier batches) into the batch."""
        met, batch = self.met, self.batch
        wanted = [
            key
            for key in set(keys)
            if key not in batch and met[(bit := hash(key) & FILTER_MASK) >> 3] & (1 << (bit & 7))
        ]
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            sql = f"SELECT key, line, printed, person, taken FROM seen WHERE key IN ({', '.join('?' * len(chunk))})"
            for key, *record in self.db.execute(sql, chunk):
                self.batch[key] = record

    def get(self, key: str) -> list | None:
        return self.batch.get(key)

    def add(self, key: str, line: int, printed: int, person: int) -> list:
        """The key's record: the one met before (loaded), or a new one for this line."""
        record = self.batch.get(key)
        if record is None:
            record = self.batch[key] = [line, printed, person, None]
            self.new.append(key)
        return record

    def take(self, key: str, category: str) -> None:
        """The row of the key's first line is taken, as `category` (loaded or added in this batch)."""
        self.batch[key][3] = category

    def save(self) -> None:
        """The batch's records written; the next batch starts empty."""
        batch, new = self.batch, set(self.new)
        self.db.execute("BEGIN")
        self.db.executemany("INSERT INTO seen VALUES (?, ?, ?, ?, ?)", ((key, *batch[key]) for key in self.new))
        self.db.executemany(
            "UPDATE seen SET taken = ? WHERE key = ?",
            ((record[3], key) for key, record in batch.items() if key not in new and record[3] is not None),
        )
        self.db.execute("COMMIT")
        met = self.met
        for key in self.new:
            bit = hash(key) & FILTER_MASK
            met[bit >> 3] |= 1 << (bit & 7)
        self.batch, self.new = {}, []

    def absent(self, keys: list[str]) -> list[str]:
        """Those of `keys` never met, in their order."""
        met: set[str] = set()
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start : start + CHUNK]
            sql = f"SELECT key FROM seen WHERE key IN ({', '.join('?' * len(chunk))})"
            met.update(key for (key,) in self.db.execute(sql, chunk))
        return [key for key in keys if key not in met]

    def close(self) -> None:
        self.db.close()
