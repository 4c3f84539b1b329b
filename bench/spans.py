"""`python -m bot COMMAND` with wall-clock timing spans, for the load bench: `python bench/spans.py run`.

Before the command starts, the seams every update crosses are wrapped, nothing in the product changed:
the dispatcher (`Dispatcher.feed_update`: an update's whole handling), the database (every driver call
SQLAlchemy awaits, `sqlalchemy.util.concurrency.await_` as its asyncio adapters import it: statements,
fetches, BEGIN and COMMIT), Redis (`Redis.execute_command`; the update claims, made before the handling,
also on their own), the Bot API (`AiohttpSession.make_request`), YooKassa (its gateway's HTTP call),
Fluent's formatting (the texts the views render) and the garbage collector's passes (`gc.callbacks`).
Each span adds its seconds and one count to a total for the process; SIGUSR1 writes the totals as JSON
to `$BENCH_SPANS_FILE` (through a temporary file and a rename) and starts them again. A span is a
wall-clock interval on the event loop: a busy loop lengthens it (a reply read late counts as a slow
one), which is what an update waiting on it feels.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import signal
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TOTALS: defaultdict[str, list[float]] = defaultdict(lambda: [0.0, 0])


def _add(name: str, started: float) -> None:
    total = TOTALS[name]
    total[0] += time.perf_counter() - started
    total[1] += 1


def timed_coroutine(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    async def spanned(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await function(*args, **kwargs)
        finally:
            _add(name, started)

    return spanned


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def spanned(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _add(name, started)

    return spanned


def install() -> None:
    from aiogram import Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from fluent.runtime import FluentBundle
    from redis.asyncio import Redis
    from sqlalchemy.connectors import asyncio as sa_connector
    from sqlalchemy.dialects.postgresql import asyncpg as sa_asyncpg

    from bot.web.telegram_webhook import RedisUpdateClaims
    from core.gateways import payments

    Dispatcher.feed_update = timed_coroutine("update", Dispatcher.feed_update)
    # The adapter's driver calls run in a greenlet: await_ blocks it until the driver answers.
    for module in (sa_connector, sa_asyncpg):
        module.await_ = timed("database", module.await_)
    Redis.execute_command = timed_coroutine("redis", Redis.execute_command)
    RedisUpdateClaims.claim = timed_coroutine("claim", RedisUpdateClaims.claim)  # Redis, before the handling
    AiohttpSession.make_request = timed_coroutine("telegram", AiohttpSession.make_request)
    payments.YooKassaGateway._call = timed_coroutine("yookassa", payments.YooKassaGateway._call)
    FluentBundle.format_pattern = timed("fluent", FluentBundle.format_pattern)
    gc.callbacks.append(_collecting)
    signal.signal(signal.SIGUSR1, _dump)


_collection_started = 0.0


def _collecting(phase: str, _info: dict[str, int]) -> None:
    global _collection_started
    if phase == "start":
        _collection_started = time.perf_counter()
    else:
        _add("gc", _collection_started)


def _dump(_signum: int, _frame: object) -> None:
    target = Path(os.environ["BENCH_SPANS_FILE"])
    partial = target.with_suffix(".part")
    partial.write_text(json.dumps({name: total for name, total in TOTALS.items()}))
    partial.replace(target)
    TOTALS.clear()


if __name__ == "__main__":
    install()
    from bot.cli import main

    raise SystemExit(main(sys.argv[1:]))
