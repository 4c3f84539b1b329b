"""A running bot process: the container of the composition root, plus the Bot, the Dispatcher and the
aiohttp application (health now; webhook and notifications mounted by the runners)."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from aiohttp import web

from bot.factory.telegram import create_bot, create_dispatcher
from bot.web.health import health_handler
from core.bootstrap import Container, bootstrap
from core.settings import Settings


@dataclass
class BotApp:
    container: Container
    bot: Bot
    dp: Dispatcher
    web: web.Application

    @property
    def settings(self) -> Settings:
        return self.container.settings

    async def close(self) -> None:
        await self.bot.session.close()
        await self.dp.storage.close()
        await self.container.close()


async def build_app(settings: Settings) -> BotApp:
    container = await bootstrap(settings)
    await container.start()
    app = web.Application()
    app.router.add_get("/healthz", health_handler(container.engine, container.redis))
    return BotApp(container, create_bot(settings), create_dispatcher(container), app)
