"""Webhook mode: N replicas behind HTTPS; Telegram posts updates to WEBHOOK_PATH.

Each update is handled once across Telegram's retries and the replicas, and the answer is never held
past a second: see `bot/web/telegram_webhook.py`. SIGTERM and SIGINT stop the process gracefully: the
updates in flight are finished (within a bound) before the Bot, the storage and the database close.
"""

import logging

from aiogram.webhook.aiohttp_server import setup_application

from bot.factory.app import BotApp
from bot.runners.http import serving
from bot.runners.signals import stop_on_signals
from bot.web.telegram_webhook import TelegramWebhook, claims_for

log = logging.getLogger(__name__)


def mount_webhook(app: BotApp, **options: float) -> TelegramWebhook:
    """The webhook route on the app's aiohttp application; `options`: `answer_within`, `drain_within`."""
    claims = claims_for(app.container.redis, app.settings.redis_key("update:"))
    if not claims.shared:
        log.info("webhook: updates are deduplicated in this process only (REDIS_URL unset: one replica)")
    webhook = TelegramWebhook(app.dp, app.bot, claims, secret_token=app.settings.webhook_secret, **options)
    webhook.register(app.web, path=app.settings.webhook_path)  # its shutdown hook (the drain) runs first
    setup_application(app.web, app.dp, bot=app.bot)
    return webhook


async def run_webhook(app: BotApp) -> None:
    mount_webhook(app)
    with stop_on_signals() as stop:
        async with serving(app):
            log.info(
                "webhook mode on %s:%s%s", app.settings.http_host, app.settings.http_port, app.settings.webhook_path
            )
            await stop.wait()  # until a signal (or the task is cancelled)
            log.info("webhook mode: stopping")
