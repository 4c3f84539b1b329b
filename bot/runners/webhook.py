"""Webhook mode: N replicas behind HTTPS; Telegram posts updates to WEBHOOK_PATH."""

import asyncio
import logging

from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application

from bot.factory.app import BotApp
from bot.runners.http import serving

log = logging.getLogger(__name__)


def mount_webhook(app: BotApp) -> None:
    # Handled before the answer: a crash mid-update makes Telegram retry instead of losing it.
    SimpleRequestHandler(
        dispatcher=app.dp,
        bot=app.bot,
        secret_token=app.settings.webhook_secret,
        handle_in_background=False,
    ).register(app.web, path=app.settings.webhook_path)
    setup_application(app.web, app.dp, bot=app.bot)


async def run_webhook(app: BotApp) -> None:
    mount_webhook(app)
    async with serving(app):
        log.info("webhook mode on %s:%s%s", app.settings.http_host, app.settings.http_port, app.settings.webhook_path)
        await asyncio.Event().wait()  # until cancelled (SIGINT/SIGTERM)
