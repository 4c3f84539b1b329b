"""Drive the real dispatcher: updates made by the Telegram emulator, answers sent to it over HTTP.

`Chat.send()` feeds one update and returns what the bot sent or edited in that chat because of it.
A handler that fails makes the test fail with the logged incident, unless the test expects it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods import TelegramMethod
from aiogram_i18n.cores import FluentRuntimeCore
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.factory.telegram import create_bot, create_dispatcher
from bot.i18n import create_i18n_core
from core.bootstrap import Container, bootstrap
from core.calendar import Clock
from core.services.importing import import_file
from core.settings import Settings, load_settings
from emulators import SAMPLE_DATA
from emulators.sms import SmsGatewayEmulator
from emulators.smtp import SmtpSink
from emulators.telegram import SentMessage, TelegramEmulator, TgUser

TOKEN = "123456:TEST-token"
SAMPLES = SAMPLE_DATA
SAMPLE_ORDER = ("programs", "clinics", "registry", "deposits")
TODAY = date(2026, 11, 21)  # a Saturday; the samples' policies run to 31.12.2027


class LoopbackSession(AiohttpSession):
    """aiogram waits 250 ms on close for TLS connections to shut down; loopback HTTP has none."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


class _Incidents(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class BotHarness:
    emulator: TelegramEmulator
    sms: SmsGatewayEmulator
    smtp: SmtpSink
    container: Container
    i18n: FluentRuntimeCore  # the dispatcher's, shared with the outbox senders a test makes, as a process does
    bot: Bot
    dp: Dispatcher
    incidents: _Incidents = field(default_factory=_Incidents)

    @classmethod
    async def start(
        cls,
        emulator: TelegramEmulator,
        sms: SmsGatewayEmulator,
        smtp: SmtpSink,
        database_url: str,
        *,
        now: Callable[[], datetime] | None = None,
        **overrides: object,
    ) -> BotHarness:
        """`overrides`: settings; `now`: the instant the bot's clock reads (on BOT_TODAY), a test's to move."""
        settings = load_settings(
            **{
                "bot_token": TOKEN,
                "telegram_api_url": emulator.base_url,
                "database_url": database_url,
                "bot_today": TODAY,
                "otp_secret": "test-otp-secret",
                "sms_gateway_url": sms.url,
                "smtp_url": smtp.url,
                "admin_ids": [9001],
                "support_ids": [9002],
                **overrides,
            }
        )
        clock = {"clock": Clock(settings.timezone, settings.bot_today, now_fn=now)} if now else None
        container = await bootstrap(settings, overrides=clock, migrate_embedded=False)  # the fixtures migrate
        await container.start()
        i18n = create_i18n_core()
        harness = cls(
            emulator,
            sms,
            smtp,
            container,
            i18n,
            create_bot(settings, LoopbackSession()),
            create_dispatcher(container, i18n),
        )
        logging.getLogger("bot").addHandler(harness.incidents)
        return harness

    async def close(self) -> None:
        logging.getLogger("bot").removeHandler(self.incidents)
        await self.bot.session.close()
        await self.container.close()

    @property
    def settings(self) -> Settings:
        return self.container.settings

    @property
    def engine(self) -> AsyncEngine:
        return self.container.engine

    async def load_samples(self) -> None:
        for kind in SAMPLE_ORDER:
            await import_file(self.engine, kind, SAMPLES / f"{kind}.csv", today=TODAY)

    def chat(self, user_id: int = 1001, *, language_code: str = "ru", first_name: str = "Анна") -> Chat:
        return Chat(self, TgUser(id=user_id, first_name=first_name, language_code=language_code))

    async def feed(self, update: dict, chat_id: int, *, expect_error: bool = False) -> list[SentMessage]:
        before = {(m.message_id, m.edits, m.deleted) for m in self.emulator.messages(chat_id)}
        seen = len(self.incidents.records)
        result = await self.dp.feed_raw_update(self.bot, update)
        if isinstance(result, TelegramMethod):  # a call returned by its handler: made, as polling does
            await self.bot(result)
        new_incidents = self.incidents.records[seen:]
        if new_incidents and not expect_error:
            record = new_incidents[0]
            raise AssertionError(f"handler failed: {record.getMessage()}") from (
                record.exc_info[1] if record.exc_info else None
            )
        return [m for m in self.emulator.messages(chat_id) if (m.message_id, m.edits, m.deleted) not in before]


@dataclass
class Chat:
    harness: BotHarness
    user: TgUser

    @property
    def emulator(self) -> TelegramEmulator:
        return self.harness.emulator

    async def send(self, text: str, *, expect_error: bool = False) -> list[SentMessage]:
        return await self.harness.feed(
            self.emulator.user_message(self.user, text), self.user.id, expect_error=expect_error
        )

    async def share_contact(self, phone: str, *, own: bool = True) -> list[SentMessage]:
        contact_user_id = self.user.id if own else self.user.id + 1
        update = self.emulator.user_contact(self.user, phone, contact_user_id=contact_user_id)
        return await self.harness.feed(update, self.user.id)

    async def share_location(self, latitude: float, longitude: float) -> list[SentMessage]:
        return await self.harness.feed(self.emulator.user_location(self.user, latitude, longitude), self.user.id)

    async def upload(self, filename: str, content: bytes, caption: str | None = None) -> list[SentMessage]:
        update = self.emulator.user_document(self.user, filename, content, caption=caption)
        return await self.harness.feed(update, self.user.id)

    async def press(self, text_part: str, message: SentMessage | None = None) -> list[SentMessage]:
        """Press the button whose text contains `text_part` on `message`, or on the last message that has it."""
        message = message or self._last_with_button(text_part)
        button = message.button(text_part)
        update = self.emulator.user_press(self.user, message.message_id, button["callback_data"])
        return await self.harness.feed(update, self.user.id)

    async def press_forged(self, message: SentMessage, callback_data: str) -> dict:
        """A modified client sends callback data of its own under `message`; returns the callback answer."""
        update = self.emulator.user_press(self.user, message.message_id, callback_data, forged=True)
        await self.harness.feed(update, self.user.id)
        return self.emulator.callback_answers[-1]

    def _last_with_button(self, text_part: str) -> SentMessage:
        for message in reversed(self.emulator.messages(self.user.id)):
            if message.deleted or not message.inline_markup:
                continue
            if any(text_part in b["text"] for b in message.buttons()):
                return message
        raise LookupError(f"no message in chat {self.user.id} has a button with {text_part!r}")

    @property
    def last(self) -> SentMessage:
        return self.emulator.last(self.user.id)
