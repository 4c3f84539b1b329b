"""Python's cyclic garbage collector paused while a file is imported.

An import allocates millions of short-lived tuples and strings that make no cycles, yet they set the
collector off thousands of times, and now and then it walks the whole heap: measured, 2.5 s of the 27 s of CPU
a million bill lines took, and about a third of a 200,000-row registry import's time (docs/performance.md).
What cycles an import or the updates served beside it leave are collected once the collector is back on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Off for the block, then as it was: two imports at once leave it on when both are done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
