"""Everything a running bot process holds, built once from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from aiohttp import web
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.factory.services import Services, create_services
from bot.factory.telegram import create_bot, create_dispatcher
from bot.web.health import health_handler
from core.db.engine import create_engine, create_session_factory
from core.db.migrate import upgrade


@dataclass
class BotApp:
    settings: Settings
    engine: AsyncEngine
    bot: Bot
    dp: Dispatcher
    web: web.Application
    redis: Redis | None
    services: Services

    async def close(self) -> None:
        await self.bot.session.close()
        await self.services.close()
        await self.dp.storage.close()
        if self.redis is not None:
            await self.redis.aclose()
        await self.engine.dispose()


async def build_app(settings: Settings) -> BotApp:
    engine = create_engine(settings.database_url)
    if settings.is_sqlite:
        # The embedded tier migrates its own file; PostgreSQL is migrated by `python -m bot migrate`.
        await upgrade(settings.database_url)
    session_factory = create_session_factory(engine)
    redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
    services = create_services(settings, session_factory, redis)
    bot = create_bot(settings)
    dp = create_dispatcher(settings, session_factory, services)
    app = web.Application()
    app.router.add_get("/healthz", health_handler(engine, redis))
    return BotApp(settings, engine, bot, dp, app, redis, services)
