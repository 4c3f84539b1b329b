"""Two deployments (or two test runs) on one Redis server see none of each other's keys or channels:
every key and channel starts with REDIS_PREFIX."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot.web.telegram_webhook import claims_for
from core.settings import ConfigError, load_settings
from tests.bot.cabinet_fixtures import import_samples
from tests.conftest import REDIS_PREFIX, forget_redis_keys
from tests.harness import BotHarness

USER = 4242


async def keys(client: Redis, prefix: str) -> list[str]:
    return sorted([key.decode() async for key in client.scan_iter(match=f"{prefix}:*")])


async def test_two_prefixes_share_no_key_and_no_channel(
    emulator, sms_gateway, smtp_sink, sqlite_template: Path, tmp_path: Path, redis_url: str
) -> None:
    other_prefix = f"{REDIS_PREFIX}-other"
    harnesses = []
    for name, prefix in (("a", REDIS_PREFIX), ("b", other_prefix)):
        database = tmp_path / f"{name}.sqlite3"
        shutil.copy(sqlite_template, database)
        harnesses.append(
            await BotHarness.start(
                emulator,
                sms_gateway,
                smtp_sink,
                f"sqlite+aiosqlite:///{database}",
                redis_url=redis_url,
                redis_prefix=prefix,
            )
        )
    a, b = harnesses
    client = Redis.from_url(redis_url)
    listener = client.pubsub(ignore_subscribe_messages=True)
    try:
        await import_samples(a.engine)
        # A dialog under way on A: its FSM state, data and event lock are A's only.
        replies = await a.chat(USER).send("/start")
        assert replies, "A answers /start"
        assert await keys(client, REDIS_PREFIX), "A wrote its dialog to Redis"
        assert await keys(client, other_prefix) == []
        assert await b.dp.storage.get_state(key=_fsm_key(b, USER)) is None
        assert await a.dp.storage.get_state(key=_fsm_key(a, USER)) is not None

        # A one-time code counter on A is not B's.
        assert await a.container.otp.store.take("probe", a.container.clock.today(), limit=1)
        assert await b.container.otp.store.take("probe", b.container.clock.today(), limit=1)

        # An update claimed on A's prefix is still free on B's.
        claims_a = claims_for(a.container.redis, a.settings.redis_key("update:"))
        claims_b = claims_for(b.container.redis, b.settings.redis_key("update:"))
        assert await claims_a.claim(1, 77) and not await claims_a.claim(1, 77)
        assert await claims_b.claim(1, 77)

        # An account change announced by A reaches A's channel only; B's cache is not dropped.
        await listener.subscribe(a.settings.redis_key("viewers:changed"), b.settings.redis_key("viewers:changed"))
        await b.container.viewers.get(USER)
        epoch_b = b.container.viewers._epoch
        await a.container.viewers.forget([USER])
        message = await _next_message(listener)
        assert message["channel"].decode() == a.settings.redis_key("viewers:changed")
        assert await _next_message(listener, timeout=0.3) is None
        assert b.container.viewers._epoch == epoch_b
        assert all(key.startswith(f"{other_prefix}:") for key in await keys(client, other_prefix))
    finally:
        await listener.aclose()
        await forget_redis_keys(client, other_prefix)
        await client.aclose()
        for harness in harnesses:
            await harness.close()


def _fsm_key(h: BotHarness, user_id: int):
    from aiogram.fsm.storage.base import StorageKey

    return StorageKey(bot_id=h.bot.id, chat_id=user_id, user_id=user_id)


async def _next_message(pubsub, timeout: float = 5.0) -> dict | None:
    try:
        async with asyncio.timeout(timeout):
            while True:
                message = await pubsub.get_message(timeout=timeout)
                if message is not None:
                    return message
    except TimeoutError:
        return None


@pytest.mark.parametrize("value", ["", "has space", "a:b", "x" * 65])
def test_a_malformed_prefix_is_named(value: str) -> None:
    with pytest.raises(ConfigError, match="REDIS_PREFIX"):
        load_settings(redis_prefix=value)
