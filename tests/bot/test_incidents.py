"""A handler that fails for a registered user: the user still gets the incident message (in their own
language), the log gets its id, and in webhook mode Telegram is answered 200, so it does not retry."""

from __future__ import annotations

import logging
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import text

from core.db.engine import create_engine
from core.db.migrate import upgrade
from emulators.telegram import TelegramEmulator, TgUser
from tests.bot.cabinet_fixtures import IVANOV, cabinet_chat, import_samples, ivanov_in_english
from tests.bot.test_runners import bot_process, clean_env, free_port

USER = TgUser(id=IVANOV, first_name="Иван", language_code="ru")


async def break_requests(engine) -> None:
    """The requests table goes: /requests fails inside its use case."""
    async with engine.begin() as connection:
        await connection.execute(text("DROP TABLE user_requests"))


async def test_incident_message_reaches_a_registered_user(harness, caplog) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/language")
    await chat.press("English")
    await break_requests(harness.engine)
    with caplog.at_level(logging.ERROR):
        replies = await chat.send("/requests", expect_error=True)
    assert len(replies) == 1 and "Incident code" in replies[0].text
    incident = replies[0].text.split("Incident code: ")[1].split()[0]
    assert incident in caplog.text
    assert "Главное меню" not in caplog.text and "Иванов" not in caplog.text


async def prepared_database(tmp_path: Path) -> str:
    """A registered Иванов who chose English, and no requests table."""
    url = f"sqlite+aiosqlite:///{tmp_path}/bot.sqlite3"
    await upgrade(url)
    await ivanov_in_english(url)
    engine = create_engine(url)
    try:
        await break_requests(engine)
    finally:
        await engine.dispose()
    return url


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_incident_message_in_a_running_bot(emulator: TelegramEmulator, tmp_path: Path, mode: str) -> None:
    port = free_port()
    env = clean_env(
        BOT_TOKEN="123:abc",
        TELEGRAM_API_URL=emulator.base_url,
        HTTP_HOST="127.0.0.1",
        HTTP_PORT=str(port),
        DATABASE_URL=await prepared_database(tmp_path),
    )
    if mode == "webhook":
        env.update(WEBHOOK_BASE_URL=f"http://127.0.0.1:{port}", WEBHOOK_SECRET="webhook-secret_1")
    async with bot_process(env, tmp_path, port):
        update = emulator.user_message(USER, "/requests")
        if mode == "webhook":
            async with (
                aiohttp.ClientSession() as http,
                http.post(
                    f"http://127.0.0.1:{port}/telegram/webhook",
                    json=update,
                    headers={"X-Telegram-Bot-Api-Secret-Token": "webhook-secret_1"},
                ) as response,
            ):
                assert response.status == 200  # handled: Telegram must not send it again
        else:
            emulator.deliver(update)
        [reply] = await emulator.wait_for_messages(USER.id, 1, timeout=15)
        assert "Incident code" in reply.text
