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
from bot.web.metrics import METRICS_PATH, metrics_handler
from bot.web.yookassa import notifications_handler
from bot.worker import Worker
from core.bootstrap import Container, bootstrap, leadership
from core.settings import Settings


NOTIFICATIONS_PATH = "/yookassa/notifications"


@dataclass
class BotApp:
    container: Container
    bot: Bot
    dp: Dispatcher
    web: web.Application
    outbox: OutboxSender  # started and stopped by the worker
    worker: Worker  # the jobs and the sender; `run` starts it on the embedded default, `worker` elsewhere

    @property
    def settings(self) -> Settings:
        return self.container.settings

    async def close(self) -> None:
        await self.worker.stop()
        await self.outbox.stop()
        await self.bot.session.close()
        await self.dp.storage.close()
        await self.container.close()


async def build_app(settings: Settings) -> BotApp:
    container = await bootstrap(settings)
    await container.start()
    bot = create_bot(settings)
    outbox = OutboxSender(bot, container.outbox, create_i18n_core())
    worker = Worker(container, outbox, leadership(settings, container.engine))
    return BotApp(container, bot, create_dispatcher(container), create_web(container), outbox, worker)


def create_web(container: Container) -> web.Application:
    """The HTTP side: health, metrics, YooKassa's notifications (the Telegram webhook is mounted by its
    runner)."""
    settings = container.settings
    app = create_status_web(container)
    app.router.add_post(
        NOTIFICATIONS_PATH,
        notifications_handler(container.payments, settings.yookassa_trusted_networks, settings.trusted_proxies),
    )
    return app


def create_status_web(container: Container) -> web.Application:
    """Health and metrics only: all that `python -m bot worker` serves (its jobs' counts are its own)."""
    app = web.Application()
    app.router.add_get("/healthz", health_handler(container.engine, container.redis))
    if container.settings.metrics_token:  # else /metrics is off: 404
        app.router.add_get(METRICS_PATH, metrics_handler(container.metrics, container.settings.metrics_token))
    return app
