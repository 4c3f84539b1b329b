"""The per-process viewer cache stays right when the account changes: in the process that changed it,
and in another replica sharing Redis (the change is announced on a channel)."""

from __future__ import annotations

import asyncio

from tests.bot.cabinet_fixtures import IVANOV, import_samples, register
from tests.harness import BotHarness, Chat


async def eventually_menu(chat: Chat, expected: str) -> str:
    """The other replica hears of the change a moment later: ask again for up to two seconds."""
    for _ in range(40):
        text = (await chat.send("/menu"))[0].text
        if expected in text:
            return text
        await asyncio.sleep(0.05)
    raise AssertionError(f"still {text!r}")


async def test_language_and_deletion_reach_the_cache_at_once(harness) -> None:
    await import_samples(harness.engine)
    await register(harness.engine, IVANOV, "123/14")
    chat = harness.chat(IVANOV)
    assert "Главное меню" in (await chat.send("/menu"))[0].text
    await chat.send("/language")
    await chat.press("English")
    assert "Main menu" in (await chat.send("/menu"))[0].text
    await chat.send("/delete_me")
    await chat.press("Delete")
    assert "/start" in (await chat.send("/menu"))[0].text


async def test_a_change_on_one_replica_reaches_the_other(harness_pg_redis: BotHarness) -> None:
    first = harness_pg_redis
    second = await BotHarness.start(
        first.emulator, first.sms, first.smtp, first.settings.database_url, redis_url=first.settings.redis_url
    )
    try:
        await import_samples(first.engine)
        await register(first.engine, IVANOV, "123/14")
        on_first, on_second = first.chat(IVANOV), second.chat(IVANOV)
        assert "Главное меню" in (await on_first.send("/menu"))[0].text  # cached on the first replica
        await on_second.send("/language")
        await on_second.press("English")
        await eventually_menu(on_first, "Main menu")
        await on_second.send("/delete_me")
        await on_second.press("Delete")
        await eventually_menu(on_first, "/start")
    finally:
        await second.close()
