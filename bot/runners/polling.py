"""Long polling: one process, the embedded default. The updates are fetched and run by `Poller`
(`bot/runners/poller.py`), which waits while Redis is away rather than confirming what it could not run."""

import asyncio
import contextlib
import logging

from bot.command_lists import set_all_lists
from bot.factory.app import BotApp
from bot.runners.http import serving
from bot.runners.poller import Poller
from bot.runners.signals import stop_on_signals
from bot.web.telegram_webhook import claims_for

log = logging.getLogger(__name__)


def create_poller(app: BotApp, **options) -> Poller:
    """`options`: `poll_seconds`, `retry` (tests take shorter ones)."""
    claims = claims_for(app.container.redis, app.settings.redis_key("update:"))
    return Poller(app.dp, app.bot, claims, allowed_updates=app.dp.resolve_used_update_types(), **options)


async def run_polling(app: BotApp, *, handle_signals: bool = True, poller: Poller | None = None) -> None:
    """Until a signal (with `handle_signals`) or until cancelled."""
    poller = poller or create_poller(app)
    dp, bot = app.dp, app.bot
    async with serving(app):
        # A webhook left by an earlier deploy would make getUpdates fail with 409.
        await bot.delete_webhook(drop_pending_updates=False)
        # One process polls: it sets the command lists (in webhook mode `set-webhook` does, once per deploy).
        await set_all_lists(bot, app.i18n, await app.container.staff_roles.everyone())
        await dp.emit_startup(bot=bot, dispatcher=dp, bots=(bot,), **dp.workflow_data)
        log.info("polling; HTTP on %s:%s", app.settings.http_host, app.settings.http_port)
        try:
            with stop_on_signals(handle_signals) as stop:
                polling = asyncio.create_task(poller.run(), name="polling")
                stopped = asyncio.create_task(stop.wait())
                try:
                    await asyncio.wait((polling, stopped), return_when=asyncio.FIRST_COMPLETED)
                finally:
                    for task in (polling, stopped):
                        task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await polling  # what it raised, if it stopped by itself
                    log.info("polling stopped")
                    await poller.in_flight.drain("polling")
        finally:
            await dp.emit_shutdown(bot=bot, dispatcher=dp, bots=(bot,), **dp.workflow_data)
