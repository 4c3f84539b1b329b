"""The dialog lock across replicas: kept by a live update however long it runs, gone soon after a dead one;
the dialog it guards read with the lock and written with its release."""

from __future__ import annotations

import asyncio
import time
from datetime import date

import pytest
from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey
from redis.asyncio import Redis
from redis.asyncio.lock import Lock

from bot.fsm_isolation import DialogStorage, RenewedLockIsolation
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


async def test_the_held_dialog_is_read_with_the_lock_and_written_with_its_release(redis_url: str) -> None:
    """Two round trips for an update that reads and writes its dialog; what it wrote is in Redis before
    the lock is free, another dialog goes to Redis at once, and a value JSON refuses fails where it is set."""
    client = Redis.from_url(redis_url)
    storage = DialogStorage(client, DefaultKeyBuilder(prefix=f"{REDIS_PREFIX}:fsm", with_bot_id=True), state_ttl=60)
    isolation = storage.create_isolation(ttl=TTL)
    other = StorageKey(bot_id=1, chat_id=3, user_id=3)
    await storage.set_state(KEY, "Registration:active")
    await storage.set_data(KEY, {"dialog": {"step": "surname"}})
    calls: list[str] = []
    sent = client.execute_command

    async def counted(*args: object, **options: object) -> object:
        calls.append(str(args[0]))
        return await sent(*args, **options)

    client.execute_command = counted  # type: ignore[method-assign]
    try:
        async with isolation.lock(KEY):
            assert await storage.get_state(KEY) == "Registration:active"
            data = await storage.get_data(KEY)
            data["dialog"]["step"] = "changed, never set"
            assert await storage.get_data(KEY) == {"dialog": {"step": "surname"}}  # each read a fresh dict
            await storage.update_data(KEY, {"surname": "Loadova"})
            await storage.set_state(KEY, "Registration:review")
            with pytest.raises(TypeError):
                await storage.set_data(KEY, {"when": date(2026, 1, 1)})
            assert len(calls) == 1  # the lock taken with the dialog read
            await storage.set_state(other, "Other:state")  # not the held dialog: written at once
            assert await client.get(storage.key_builder.build(other, "state")) == b"Other:state"
            assert await client.get(storage.key_builder.build(KEY, "state")) == b"Registration:active"
        assert calls.count("EVALSHA") + calls.count("EVAL") == 2  # the take, the writes with the release
        assert await client.get(storage.key_builder.build(KEY, "state")) == b"Registration:review"
        assert 0 < await client.ttl(storage.key_builder.build(KEY, "state")) <= 60
        assert await storage.get_data(KEY) == {"dialog": {"step": "surname"}, "surname": "Loadova"}
        assert not await client.exists(storage.key_builder.build(KEY, "lock"))

        async with isolation.lock(KEY):  # cleared: both keys gone with the release
            await storage.set_state(KEY, None)
            await storage.set_data(KEY, {})
        assert not await client.exists(*(storage.key_builder.build(KEY, part) for part in ("state", "data")))
    finally:
        client.execute_command = sent  # type: ignore[method-assign]
        await client.delete(*(storage.key_builder.build(k, p) for k in (KEY, other) for p in ("state", "data")))
        await client.aclose()
