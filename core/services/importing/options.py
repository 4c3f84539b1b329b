"""What an import is asked to do, beside the file: passed to every kind's `run`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Options:
    today: date
    full: bool = False  # registry: the file is the complete list of its contracts
    # Reads the whole file once more, raising `UnreadableFile` where the import would: a kind that
    # commits before the end of the file (the registry on SQLite) awaits it before its first commit.
    read_through: Callable[[], Awaitable[None]] | None = None
