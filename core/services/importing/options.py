"""What the operator asked of an import, beside the file: passed to every kind's `run`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Options:
    today: date
    full: bool = False  # registry: the file is the complete list of its contracts
