"""SIGTERM and SIGINT as an event a runner waits for, so it can stop gracefully (finish what is in flight,
then close the Bot, the storage and the database)."""

import asyncio
import signal
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def stop_on_signals(enabled: bool = True) -> Iterator[asyncio.Event]:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    handled: list[signal.Signals] = []
    for signum in (signal.SIGTERM, signal.SIGINT) if enabled else ():
        try:
            loop.add_signal_handler(signum, stop.set)
            handled.append(signum)
        except (NotImplementedError, RuntimeError):  # not the main thread, or not Unix
            pass
    try:
        yield stop
    finally:
        for signum in handled:
            loop.remove_signal_handler(signum)
