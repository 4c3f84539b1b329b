"""Long polling: one process, the embedded default."""

import logging

from bot.command_lists import set_all_lists
from bot.factory.app import BotApp
from bot.runners.http import serving

log = logging.getLogger(__name__)


async def run_polling(app: BotApp, *, handle_signals: bool = True) -> None:
    async with serving(app):
        # A webhook left by an earlier deploy would make getUpdates fail with 409.
        await app.bot.delete_webhook(drop_pending_updates=False)
        # One process polls: it sets the command lists (in webhook mode `set-webhook` does, once per deploy).
        await set_all_lists(app.bot, app.i18n, await app.container.staff_roles.everyone())
        log.info("polling; HTTP on %s:%s", app.settings.http_host, app.settings.http_port)
        await app.dp.start_polling(
            app.bot,
            handle_signals=handle_signals,
            close_bot_session=False,
            allowed_updates=app.dp.resolve_used_update_types(),
        )
