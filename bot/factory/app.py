"""A running bot process: the container of the composition root, plus the Bot, the Dispatcher and the
aiohttp application (health now; webhook and notifications mounted by the runners)."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from aiohttp import web

from bot.factory.telegram import create_bot, create_dispatcher
from bot.i18n import create_i18n_core
from bot.outbox_sender import OutboxSender
from bot.web.health import health_handler
from bot.web.yookassa import notifications_handler
from core.bootstrap import Container, bootstrap
from core.settings import Settings


NOTIFICATIONS_PATH = "/yookassa/notifications"


@dataclass
class BotApp:
    container: Container
    bot: Bot
    dp: Dispatcher
    web: web.Application
    outbox: OutboxSender  # started and stopped by the runners (`serving`)

    @property
    def settings(self) -> Settings:
        return self.container.settings

    async def close(self) -> None:
        await self.outbox.stop()
        await self.bot.session.close()
        await self.dp.storage.close()
        await self.container.close()


async def build_app(settings: Settings) -> BotApp:
    container = await bootstrap(settings)
    await container.start()
    bot = create_bot(settings)
    outbox = OutboxSender(bot, container.outbox, create_i18n_core())
    return BotApp(container, bot, create_dispatcher(container), create_web(container), outbox)


def create_web(container: Container) -> web.Application:
    """The HTTP side: health, YooKassa's notifications (the Telegram webhook is mounted by its runner)."""
    settings = container.settings
    app = web.Application()
    app.router.add_get("/healthz", health_handler(container.engine, container.redis))
    app.router.add_post(
        NOTIFICATIONS_PATH,
        notifications_handler(container.payments, settings.yookassa_trusted_networks, settings.trusted_proxies),
    )
    return app
