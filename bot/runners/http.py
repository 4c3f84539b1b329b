"""The aiohttp server runs in both modes: YooKassa notifications and health checks arrive either way;
so does the outbox sender, started and stopped with it."""

from contextlib import asynccontextmanager
from collections.abc import AsyncIterator

from aiohttp import web

from bot.factory.app import BotApp


@asynccontextmanager
async def serving(app: BotApp) -> AsyncIterator[web.AppRunner]:
    runner = web.AppRunner(app.web, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, app.settings.http_host, app.settings.http_port).start()
    app.outbox.start()  # notices from the outbox, in both modes
    try:
        yield runner
    finally:
        await app.outbox.stop()
        await runner.cleanup()
