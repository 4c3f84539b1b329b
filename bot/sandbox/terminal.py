"""`python -m bot sandbox`: the real bot against the emulated Telegram, SMS gateway and mailbox,
with a chat in the terminal. No token, no network; a fresh SQLite database with the sample data."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shlex
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bot.config import Settings, load_settings
from bot.factory.app import build_app
from bot.runners.polling import run_polling
from bot.sandbox.sms import SmsGatewayEmulator
from bot.sandbox.smtp import Mail, SmtpSink
from bot.sandbox.telegram import SentMessage, TelegramEmulator, TgUser
from core.db.engine import create_engine
from core.services.importing import import_file

SAMPLES = Path(__file__).with_name("data")
SAMPLE_ORDER = ("programs", "clinics", "registry", "deposits")
SANDBOX_USER = TgUser(id=100001, first_name="Sandbox", language_code="ru")
SANDBOX_PHONE = "+79161000001"  # Иванов's phone in the samples: `!contact` registers as him

HELP = """Type a message to send it. Commands:
  !N                 press button N of the last message with buttons
  !contact [PHONE]   share your own phone (default {phone})
  !contact-other PHONE  share someone else's contact
  !file PATH         upload a file
  !user ID [en]      switch to another Telegram user (the first one is an admin)
  !help              this list
  !quit              leave"""


class TerminalChat:
    def __init__(self, telegram: TelegramEmulator, out: Callable[[str], None] = print) -> None:
        self.telegram = telegram
        self.user = SANDBOX_USER
        self.out = out
        self._texts: dict[int, str] = {}  # message id → text shown, so a keyboard-only edit stays quiet
        telegram.on_change.append(self._show)

    # --- what the bot and the gateways do

    def _show(self, message: SentMessage, change: str) -> None:
        if message.chat_id != self.user.id:
            return
        if change == "delete":
            self.out(f"  (bot deleted message {message.message_id})")
            return
        if change == "edit" and self._texts.get(message.message_id) == message.text and not message.inline_markup:
            return
        self._texts[message.message_id] = message.text
        label = "bot" if change == "new" else "bot (edited)"
        body = message.text
        if message.kind == "document" and message.document:
            body = f"[file {message.document[0]}, {len(message.document[1])} bytes] {body}"
        elif message.venue:
            body = f"[map {message.venue.get('latitude')}, {message.venue.get('longitude')}] {message.venue.get('title', '')}"
        self.out(f"\n{label}: {body}")
        for number, button in enumerate(message.buttons() if message.inline_markup else [], start=1):
            target = f" -> {button['url']}" if button.get("url") else ""
            self.out(f"  [{number}] {button['text']}{target}")
        keyboard = self.telegram.reply_keyboard(self.user.id)
        if keyboard and change == "new":
            texts = [b["text"] if isinstance(b, dict) else b for row in keyboard.get("keyboard", []) for b in row]
            self.out("  keyboard: " + " | ".join(texts))

    def show_sms(self, phone: str, text: str) -> None:
        self.out(f"\n[SMS to {phone}] {text}")

    def show_mail(self, mail: Mail) -> None:
        self.out(f"\n[e-mail to {mail.to}] {mail.subject}: {mail.body.strip()}")

    # --- what the person types

    def handle(self, line: str) -> bool:
        """Turn one typed line into an update; False to quit."""
        line = line.strip()
        if not line:
            return True
        if not line.startswith("!"):
            self._deliver(self.telegram.user_message(self.user, line))
            return True
        command, *args = shlex.split(line[1:]) or [""]
        try:
            return self._command(command, args)
        except (LookupError, ValueError, OSError) as exc:
            self.out(f"  ! {exc}")
            return True

    def _command(self, command: str, args: list[str]) -> bool:
        if command == "quit":
            return False
        if command.isdigit():
            self._press(int(command))
        elif command == "contact":
            self._deliver(self.telegram.user_contact(self.user, args[0] if args else SANDBOX_PHONE))
        elif command == "contact-other" and args:
            self._deliver(self.telegram.user_contact(self.user, args[0], contact_user_id=self.user.id + 1))
        elif command == "file" and args:
            path = Path(args[0]).expanduser()
            self._deliver(self.telegram.user_document(self.user, path.name, path.read_bytes()))
        elif command == "user" and args:
            language = args[1] if len(args) > 1 else "ru"
            self.user = TgUser(id=int(args[0]), first_name=f"User{args[0]}", language_code=language)
            self.out(f"  now chatting as user {self.user.id} ({language})")
        else:
            self.out(HELP.format(phone=SANDBOX_PHONE))
        return True

    def _press(self, number: int) -> None:
        for message in reversed(self.telegram.messages(self.user.id)):
            if not message.deleted and message.inline_markup:
                buttons = message.buttons()
                if not 1 <= number <= len(buttons):
                    raise LookupError(f"the last message has buttons 1-{len(buttons)}")
                button = buttons[number - 1]
                if "callback_data" not in button:
                    raise LookupError(f"button {number} opens {button.get('url')}")
                self._deliver(self.telegram.user_press(self.user, message.message_id, button["callback_data"]))
                return
        raise LookupError("no message with buttons yet")

    def _deliver(self, update: dict) -> None:
        self.telegram.deliver(update)


async def load_samples(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    try:
        for kind in SAMPLE_ORDER:
            await import_file(engine, kind, SAMPLES / f"{kind}.csv", today=settings.clock().today())
    finally:
        await engine.dispose()


async def read_lines(chat: TerminalChat, prompt: str = "> ") -> None:
    while True:
        line = await asyncio.to_thread(_input, prompt)
        if line is None or not chat.handle(line):
            return


def _input(prompt: str) -> str | None:
    try:
        return input(prompt)
    except EOFError:
        return None


async def run_sandbox(base: Settings) -> None:
    async with TelegramEmulator() as telegram, SmsGatewayEmulator() as sms, SmtpSink() as smtp:
        with tempfile.TemporaryDirectory(prefix="dmsbot-sandbox-") as folder:
            settings = load_settings(
                bot_token="100000:SANDBOX",
                telegram_api_url=telegram.base_url,
                database_url=f"sqlite+aiosqlite:///{folder}/sandbox.sqlite3",
                redis_url=None,
                webhook_base_url=None,
                http_host="127.0.0.1",
                http_port=0,
                sms_provider="generic",
                sms_gateway_url=sms.url,
                smtp_url=smtp.url,
                admin_ids=[SANDBOX_USER.id],
                timezone=base.timezone,
                bot_today=base.bot_today,
            )
            logging.getLogger().setLevel(logging.WARNING)  # the terminal is for the chat
            app = await build_app(settings)
            await load_samples(settings)
            chat = TerminalChat(telegram)
            sms.on_message.append(chat.show_sms)
            smtp.on_message.append(chat.show_mail)
            print("DMS bot sandbox: an emulated Telegram on " + telegram.base_url)
            print(HELP.format(phone=SANDBOX_PHONE))
            polling = asyncio.create_task(run_polling(app, handle_signals=False))
            chat.handle("/start")
            try:
                await read_lines(chat)
            finally:
                await app.dp.stop_polling()
                with contextlib.suppress(asyncio.CancelledError, RuntimeError):
                    await asyncio.wait_for(polling, 5)
                await app.close()
    sys.stdout.flush()
