"""How long the event loop went without turning while a block ran: a handler doing slow work on the loop
makes every other update of the process wait that long. The garbage collector is held off meanwhile: a full
pass over the test process's heap pauses the loop too, whoever is at fault."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass


@dataclass
class Pauses:
    longest: float = 0.0  # seconds the loop did not turn, at most
    took: float = 0.0  # seconds the block took


@asynccontextmanager
async def loop_pauses(tick: float = 0.005) -> AsyncIterator[Pauses]:
    loop = asyncio.get_running_loop()
    pauses = Pauses()

    async def ticking() -> None:
        while True:
            before = loop.time()
            await asyncio.sleep(tick)
            pauses.longest = max(pauses.longest, loop.time() - before - tick)

    gc.collect()
    gc.disable()
    ticker = asyncio.create_task(ticking())
    started = loop.time()
    try:
        yield pauses
    finally:
        pauses.took = loop.time() - started
        ticker.cancel()
        gc.enable()
