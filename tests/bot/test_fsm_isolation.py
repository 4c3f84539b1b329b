"""The dialog lock across replicas: kept by a live update however long it runs, gone soon after a dead one."""

from __future__ import annotations

import asyncio
import time

from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey
from redis.asyncio import Redis
from redis.asyncio.lock import Lock

from bot.fsm_isolation import RenewedLockIsolation
from tests.conftest import REDIS_PREFIX

TTL = 0.3
KEY = StorageKey(bot_id=1, chat_id=2, user_id=2)


async def test_a_live_update_keeps_the_lock_past_its_ttl_and_a_dead_holders_lapses(redis_url: str) -> None:
    client = Redis.from_url(redis_url)
    keys = DefaultKeyBuilder(prefix=f"{REDIS_PREFIX}:fsm", with_bot_id=True)
    isolation = RenewedLockIsolation(client, keys, ttl=TTL)
    order: list[str] = []

    async def next_update() -> None:
        async with isolation.lock(KEY):
            order.append("next")

    try:
        async with isolation.lock(KEY):
            waiting = asyncio.create_task(next_update())
            await asyncio.sleep(4 * TTL)  # renewed meanwhile: the next update still waits
            order.append("first")
        await asyncio.wait_for(waiting, 5)
        assert order == ["first", "next"]

        dead = Lock(client, keys.build(KEY, "lock"), timeout=TTL)  # taken, then never renewed nor freed
        assert await dead.acquire()
        started = time.monotonic()
        async with isolation.lock(KEY):
            waited = time.monotonic() - started
        assert waited < 2 * TTL
    finally:
        await client.aclose()
