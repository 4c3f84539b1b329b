"""A replica (`python -m bot run`, webhook mode, PostgreSQL and Redis) killed with SIGKILL in the middle of
an update that pays: YooKassa is slow to answer the payment's creation, and the process dies waiting.

A replica started after it finds nothing stuck: the user's next press is handled at once (no dialog lock
of the dead process held in Redis past its expiry, no claim on another update), and the money stays
exactly once: YooKassa has one payment, however the user presses again."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import aiohttp

from core.calendar import Clock
from emulators import SAMPLE_DATA
from emulators.telegram import TelegramEmulator, TgUser
from emulators.yookassa import YooKassaEmulator
from tests.bot.cabinet_fixtures import IVANOV, import_samples, register
from tests.bot.payment_fixtures import ISSUED_ON, RETURN_URL
from tests.bot.test_runners import bot_process, clean_env
from tests.bot.test_webhook_replicas import SECRET, WebhookChat
from tests.harness import TODAY
from tests.roots import container, settings_for
from tests.servers import free_port

IVAN = TgUser(id=IVANOV, first_name="Иван", language_code="ru")


async def prepared(postgres_url: str) -> None:
    """Иванов registered, the sample bills issued (his invoice 2026/10/3 among them)."""
    async with container(settings_for(postgres_url), clock=Clock(fixed_today=TODAY)) as root:
        await import_samples(root.engine)
        await register(root.engine, IVANOV, "123/14")
        await root.billing.issue_from_bills(SAMPLE_DATA / "bills.csv", ISSUED_ON)


async def test_a_replica_killed_mid_payment_leaves_nothing_stuck_and_one_payment(
    emulator: TelegramEmulator, postgres_url: str, redis_url: str, tmp_path: Path
) -> None:
    await prepared(postgres_url)
    async with YooKassaEmulator(notify_from="127.0.0.2") as kassa, aiohttp.ClientSession() as http:
        port = free_port()
        env = clean_env(
            BOT_TOKEN="123456:TEST-token",
            TELEGRAM_API_URL=emulator.base_url,
            HTTP_HOST="127.0.0.1",
            HTTP_PORT=str(port),
            DATABASE_URL=postgres_url,
            REDIS_URL=redis_url,
            OTP_SECRET="s3cret",
            BOT_TODAY=TODAY.isoformat(),
            WEBHOOK_BASE_URL=f"http://127.0.0.1:{port}",
            WEBHOOK_SECRET=SECRET,
            YOOKASSA_SHOP_ID=kassa.shop_id,
            YOOKASSA_SECRET_KEY=kassa.secret_key,
            YOOKASSA_API_URL=kassa.base_url,
            YOOKASSA_RETURN_URL=RETURN_URL,
        )
        url = f"http://127.0.0.1:{port}/telegram/webhook"
        chat = WebhookChat(emulator, IVAN, [url], http)
        async with bot_process(env, tmp_path, port, within=60) as first:
            listing = (await chat.send("/invoices"))[0]
            assert "2026/10/3" in listing.text
            await chat.press("Выбрать 2026/10/3")
            kassa.delay_next["create_payment"] = 8  # made at YooKassa; the answer outlives the bot
            pay = emulator.user_press(IVAN, listing.message_id, listing.button("💳 Оплатить")["callback_data"])
            async with http.post(url, json=pay, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as response:
                assert response.status == 200  # answered within a second; the update goes on
            for _ in range(100):
                if kassa.payments:
                    break
                await asyncio.sleep(0.05)
            assert len(kassa.payments) == 1
            first.send_signal(signal.SIGKILL)
            await first.wait()

        async with bot_process(env, tmp_path, port, within=60):
            started = time.monotonic()
            screen = (await chat.press("💳 Оплатить"))[-1]
            took = time.monotonic() - started
            print(f"the next press after the kill answered in {took:.2f} s")
            assert took < 5
            assert "Платёж № 1" in screen.text and any(b.get("url") for b in screen.buttons())  # the same one
            assert len(kassa.payments) == 1  # the money stays exactly once
