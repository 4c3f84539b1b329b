"""Redis away in polling mode: the poller waits, confirming nothing to Telegram, and every update it fetched
meanwhile runs once when Redis is back; none is answered "temporarily unavailable".

The bot is a `BotApp` polling the Telegram emulator in this process, as `python -m bot run` does without
WEBHOOK_BASE_URL; its Redis is a throwaway `redis-server` behind a loopback proxy that the test cuts
(`tests/servers.py`). The emulator keeps every update until a getUpdates confirms it (`pending_updates`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from aiogram.utils.backoff import BackoffConfig

from bot.factory.app import build_app
from bot.runners.poller import Poller
from bot.runners.polling import create_poller, run_polling
from emulators.telegram import TelegramEmulator, TgUser
from tests.bot.test_server_faults import UNAVAILABLE
from tests.bot.test_webhook_replicas import bot_settings
from tests.servers import proxy_to, redis_server

# Resumed within a fifth of a second of Redis's return, not the production back-off's 5 s.
QUICK_RETRY = BackoffConfig(min_delay=0.05, max_delay=0.2, factor=1.5, jitter=0.01)
USERS = [
    TgUser(id=7301 + i, first_name="Anna", language_code=language) for i, language in enumerate(("ru", "en", "ru"))
]
GREETING = {"ru": "Здравствуйте, Anna!", "en": "Hello, Anna!"}


@asynccontextmanager
async def polling_bot(emulator, sms, smtp, database_url: str, redis_url: str) -> AsyncIterator[Poller]:
    settings = bot_settings(emulator, sms, smtp, database_url, redis_url)
    app = await build_app(settings)
    poller = create_poller(app, retry=QUICK_RETRY)
    polling = asyncio.create_task(run_polling(app, handle_signals=False, poller=poller))
    try:
        yield poller
    finally:
        polling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await polling
        await app.close()


async def until(condition, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_redis_away_polling_waits_and_runs_every_update_once_when_it_is_back(
    emulator: TelegramEmulator, sms_gateway, smtp_sink, sqlite_url: str, tmp_path: Path, caplog
) -> None:
    caplog.set_level(logging.INFO, logger="bot.runners.poller")
    async with (
        redis_server(tmp_path) as server,
        proxy_to("127.0.0.1", server.port) as proxy,
        polling_bot(emulator, sms_gateway, smtp_sink, sqlite_url, f"redis://127.0.0.1:{proxy.port}/0") as poller,
    ):
        for user in USERS:
            emulator.deliver(emulator.user_message(user, "/start"))
            greeting = await emulator.wait_for_messages(user.id, 1, timeout=15)
            assert GREETING[user.language_code] in greeting[0].text
        await poller.in_flight.idle()  # every update over (its dialog state saved) before Redis goes
        before = {user.id: len(emulator.messages(user.id)) for user in USERS}
        emulator.deliver(emulator.user_message(USERS[0], "/help"))
        await until(lambda: len(emulator.messages(USERS[0].id)) > before[USERS[0].id])
        await poller.in_flight.idle()
        per_help = len(emulator.messages(USERS[0].id)) - before[USERS[0].id]
        before = {user.id: len(emulator.messages(user.id)) for user in USERS}

        await proxy.cut()
        updates = [emulator.user_message(user, "/help") for _ in range(2) for user in USERS]
        for update in updates:
            emulator.deliver(update)
        ids = [update["update_id"] for update in updates]
        # The poller fetched them and waits on the first one's claim, confirming none and running none.
        await until(lambda: f"polling waits: update {ids[0]} not claimed" in caplog.text)
        await asyncio.sleep(0.5)
        assert [update["update_id"] for update in emulator.pending_updates] == ids
        assert {user.id: len(emulator.messages(user.id)) for user in USERS} == before

        await proxy.restore()
        # Each of the six runs once: two answers to /help per user, nothing "temporarily unavailable".
        expected = {user.id: before[user.id] + 2 * per_help for user in USERS}
        await until(lambda: {user.id: len(emulator.messages(user.id)) for user in USERS} == expected)
        await until(lambda: not emulator.pending_updates)  # confirmed by the next getUpdates
        await asyncio.sleep(0.3)  # and nothing more comes
        assert {user.id: len(emulator.messages(user.id)) for user in USERS} == expected
    for user in USERS:
        texts = [m.text for m in emulator.messages(user.id)]
        assert not any(UNAVAILABLE[language] in text for text in texts for language in UNAVAILABLE), texts
    assert "polling resumes after" in caplog.text


async def test_a_poller_stopped_while_redis_is_away_leaves_its_updates_to_the_next_one(
    emulator: TelegramEmulator, sms_gateway, smtp_sink, sqlite_url: str, tmp_path: Path, caplog
) -> None:
    """Nothing it fetched was confirmed: the next process gets every update from Telegram, and runs each once."""
    caplog.set_level(logging.INFO, logger="bot.runners.poller")
    user = USERS[1]
    async with redis_server(tmp_path) as server, proxy_to("127.0.0.1", server.port) as proxy:
        redis_url = f"redis://127.0.0.1:{proxy.port}/0"
        async with polling_bot(emulator, sms_gateway, smtp_sink, sqlite_url, redis_url) as poller:
            emulator.deliver(emulator.user_message(user, "/start"))
            await emulator.wait_for_messages(user.id, 1, timeout=15)
            await poller.in_flight.idle()
            started = len(emulator.messages(user.id))
            emulator.deliver(emulator.user_message(user, "/help"))
            await until(lambda: len(emulator.messages(user.id)) > started)
            await poller.in_flight.idle()
            before = len(emulator.messages(user.id))
            per_help = before - started
            await proxy.cut()
            updates = [emulator.user_message(user, text) for text in ("/help", "/help", "/help")]
            for update in updates:
                emulator.deliver(update)
            await until(lambda: f"polling waits: update {updates[0]['update_id']} not claimed" in caplog.text)
        assert len(emulator.messages(user.id)) == before  # stopped with nothing run…
        assert len(emulator.pending_updates) == 3  # …and nothing confirmed

        await proxy.restore()
        async with polling_bot(emulator, sms_gateway, smtp_sink, sqlite_url, redis_url):
            await until(lambda: len(emulator.messages(user.id)) >= before + 3 * per_help)
            await until(lambda: not emulator.pending_updates)
            await asyncio.sleep(0.3)  # and nothing more comes
        answers = [m.text for m in emulator.messages(user.id)[before:]]
    assert per_help > 0 and answers == [m.text for m in emulator.messages(user.id)[started:before]] * 3  # once each
