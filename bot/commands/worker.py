"""`worker`: the scheduled jobs and the outbox sender (bot/worker.py). Run one or more: one is active,
the others take over when it stops. On the embedded default `run` does this in-process."""

from __future__ import annotations

import asyncio
import signal

from core.settings import Settings


def add_parser(subparsers) -> None:  # noqa: ANN001
    parser = subparsers.add_parser("worker", help="run the scheduled jobs and send the notices (one active at a time)")
    parser.set_defaults(handler=run)


async def run(_args, settings: Settings) -> int:  # noqa: ANN001
    from bot.factory.app import build_app  # aiogram takes seconds to import: only when needed

    settings.require_token()
    app = await build_app(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    app.worker.start()
    try:
        await stop.wait()
    finally:
        await app.close()
    return 0
