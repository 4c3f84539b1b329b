"""GET /healthz: 200 when the database (and Redis, if configured) answer; 503 naming what is down."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

PROBE_TIMEOUT_SECONDS = 3
log = logging.getLogger(__name__)


async def _database_ok(engine: AsyncEngine) -> bool:
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
    return True


async def _redis_ok(redis: Redis) -> bool:
    return bool(await redis.ping())


async def _probe(name: str, check) -> str | None:
    try:
        ok = await asyncio.wait_for(check, PROBE_TIMEOUT_SECONDS)
    except Exception as exc:
        log.warning("health: %s is down (%s)", name, type(exc).__name__)
        return name
    return None if ok else name


def health_handler(engine: AsyncEngine, redis: Redis | None):
    async def healthz(_: web.Request) -> web.Response:
        probes = [_probe("database", _database_ok(engine))]
        if redis is not None:
            probes.append(_probe("redis", _redis_ok(redis)))
        down = [name for name in await asyncio.gather(*probes) if name]
        if down:
            return web.json_response({"status": "unavailable", "down": down}, status=503)
        return web.json_response({"status": "ok"})

    return healthz
