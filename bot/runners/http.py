"""The aiohttp server runs in both modes: YooKassa notifications and health checks arrive either way.
On the embedded default (SQLite, one process) the worker — the scheduled jobs and the outbox sender —
runs here too; with PostgreSQL it is `python -m bot worker`'s."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from bot.factory.app import BotApp


@asynccontextmanager
async def serving(app: BotApp) -> AsyncIterator[web.AppRunner]:
    runner = web.AppRunner(app.web, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, app.settings.http_host, app.settings.http_port).start()
    if app.settings.is_sqlite:
        app.worker.start()
    # What start-up built (modules, the dispatcher, the locales, pydantic's schemas) lives as long as the
    # process: kept out of the collector's full passes, which otherwise walk it again and again.
    gc.freeze()
    try:
        yield runner
    finally:
        await app.worker.stop()
        await runner.cleanup()
