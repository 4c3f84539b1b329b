"""`python -m bot sandbox`: the real bot against the emulated Telegram, SMS gateway, mailbox and YooKassa,
with a chat in the terminal (the payment page is paid or declined with `!pay` / `!decline`, a card check
completed with `!card`, a saved card declined from now on with `!decline_card`, a new invoice issued with
`!bill`). Automatic charges (YOOKASSA_AUTOPAY) are on. No token, no network; a fresh SQLite database with the
sample data."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import shlex
import socket
import struct
import sys
import tempfile
import unicodedata
import zlib
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from urllib.parse import quote

from bot.factory.app import build_app
from bot.factory.web import NOTIFICATIONS_PATH
from bot.runners.polling import run_polling
from core.services.importing.service import ImportService
from core.services.policies import Relation
from core.settings import Settings, load_settings
from emulators import SAMPLE_DATA, SAMPLES_TODAY
from emulators.sms import SmsGatewayEmulator
from emulators.smtp import Mail, SmtpSink
from emulators.telegram import MAX_TEXT, SentMessage, TelegramEmulator, TgUser
from emulators.telegram.webapp import sign_init_data
from emulators.yookassa import YooKassaEmulator

SAMPLES = SAMPLE_DATA
SAMPLE_ORDER = ("programs", "clinics", "registry", "deposits")
BILLS_ISSUED_ON = date(2026, 10, 1)  # the sample bills' invoices, issued before the sandbox's today
SANDBOX_USER = TgUser(id=100001, first_name="Sandbox", language_code="ru")
RED_SQUARE = (55.7539, 37.6208)  # `!location` without a point: the sample clinics are in Moscow and Ufa
SANDBOX_PHONE = "+79161000001"  # Иванов's phone in the samples: `!contact` registers as him
# `!bill`: one visit to a sample clinic today, on the caller's own policy (20 % of it is 100 ₽ under FR20).
BILL_HEADER = "bill_line_id;policy_number;clinic_id;service_date;service_code;service_name;quantity;unit_price"
BILL_LINE = "SANDBOX-{n:04d};{policy};C001;{day};B01.047.001;Прием врача-терапевта первичный;1;500.00"
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b[NO].|\x1b[@-Z\\-_]"
)  # ECMA-48 CSI, SS2/SS3, others

HELP = """Type a message to send it. Messages with buttons are printed as "bot #M:". Commands:
  !N                 press button N of the last message with buttons
  !M.N               press button N of message #M
  !contact [PHONE]   share your own phone (default {phone})
  !contact-other PHONE  share someone else's contact
  !file PATH         upload a file
  !photo [PATH]      send a picture (default: a small generated one)
  !location [LAT LON]  share a location ("Send my location"; default Red Square, Moscow)
  !user ID [en]      switch to another Telegram user (the first one is an admin)
  !pay [ID]          pay on the payment page (default: the latest payment waiting)
  !decline [ID] [REASON]  decline it instead (REASON e.g. insufficient_funds, card_expired)
  !card [ID]         complete the card check on its page (default: the latest one waiting): the card is bound
  !decline_card [REASON]  from now on, decline automatic charges to the card saved last (default insufficient_funds)
  !page [PATH]       (with --webapp) a Mini App page as you (default: invoices; e.g. `!page policies`),
                     signed as Telegram opens it
  !bill              issue a new invoice for your own policy today; a saved card is charged for it at once
  !help              this list
  !quit              leave"""


class TerminalChat:
    def __init__(
        self,
        telegram: TelegramEmulator,
        out: Callable[[str], None] = print,
        kassa: YooKassaEmulator | None = None,
        bill: Callable[[int], Awaitable[str]] | None = None,
        files: Path | None = None,
        page: Callable[[TgUser, str], str] | None = None,
    ) -> None:
        self.telegram = telegram
        self.page = page  # a Mini App page for a user, signed as Telegram opens it
        self.kassa = kassa
        self.bill = bill  # issues an invoice for a Telegram user's own policy; says what happened
        self.user = SANDBOX_USER
        self.out = out
        self._payer_actions: set[asyncio.Task] = set()
        self._texts: dict[int, str] = {}  # message id → text shown, so a keyboard-only edit stays quiet
        self.files = files  # where the documents the bot sends are saved (None: not saved)
        telegram.on_change.append(self._show)
        telegram.on_answer.append(self._popup)

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
        if message.inline_markup:  # the number `!M.N` presses a button of
            label += f" #{message.message_id}"
        body = message.text
        if message.kind == "document" and message.document:
            name, content = message.document
            saved = self._save(message.message_id, name, content) if change == "new" else None
            where = f", saved to {saved}" if saved else ""
            body = f"[file {name}, {len(content)} bytes{where}] {body}"
        elif message.venue:
            body = f"[map {message.venue.get('latitude')}, {message.venue.get('longitude')}] {message.venue.get('title', '')}"
        lines = [f"\n{label}: {body}"]
        for number, button in enumerate(message.buttons() if message.inline_markup else [], start=1):
            target = f" -> {button['url']}" if button.get("url") else ""
            lines.append(f"  [{number}] {button['text']}{target}")
        keyboard = self.telegram.reply_keyboard(self.user.id)
        if keyboard and change == "new":
            texts = [b["text"] if isinstance(b, dict) else b for row in keyboard.get("keyboard", []) for b in row]
            lines.append("  keyboard: " + " | ".join(texts))
        self.out("\n".join(lines))  # one write: a reader never sees the text without its buttons

    def _popup(self, answer: dict) -> None:
        """A press's answer, as a phone shows it: a toast (`popup`) or an alert with an OK button (`alert`)."""
        if answer.get("user_id") == self.user.id and answer.get("text"):
            kind = "alert" if answer.get("show_alert") else "popup"
            self.out(f"  [{kind}] {answer['text']}")

    def _save(self, message_id: int, name: str, content: bytes) -> Path | None:
        """A document the bot sent, written to the files folder as `<message id>-<its name>`."""
        if self.files is None:
            return None
        safe = re.sub(r"[^\w.() -]", "_", Path(name).name).strip(". ") or "file"
        path = self.files / f"{message_id}-{safe}"
        path.write_bytes(content)
        return path

    def show_sms(self, phone: str, text: str) -> None:
        self.out(f"\n[SMS to {phone}] {text}")

    def show_mail(self, mail: Mail) -> None:
        self.out(f"\n[e-mail to {mail.to}] {mail.subject}: {mail.body.strip()}")

    # --- what the person types

    def handle(self, line: str) -> bool:
        """Turn one typed line into an update; False to quit."""
        line = clean_line(line).strip()
        if not line:
            return True
        if not line.startswith("!"):
            self._send_text(line)
            return True
        try:
            command, *args = shlex.split(line[1:]) or [""]
            return self._command(command, args)
        except (LookupError, ValueError, OSError) as exc:
            self.out(f"  ! {exc}")
            return True

    def _send_text(self, text: str) -> None:
        """Send typed text as Telegram clients do: a text over 4096 characters goes as several messages."""
        pieces = [piece for piece in split_text(text) if piece.strip()]
        if len(pieces) > 1:
            self.out(f"  (a long text: sent as {len(pieces)} messages, as Telegram clients do)")
        for piece in pieces:
            self._deliver(self.telegram.user_message(self.user, piece))

    def _command(self, command: str, args: list[str]) -> bool:
        if command == "quit":
            return False
        if command.isdigit():
            self._press(int(command))
        elif re.fullmatch(r"\d+\.\d+", command):
            message_id, number = command.split(".")
            self._press(int(number), int(message_id))
        elif command == "location":
            latitude, longitude = (float(args[0]), float(args[1])) if len(args) >= 2 else RED_SQUARE
            self._deliver(self.telegram.user_location(self.user, latitude, longitude))
        elif command == "photo":
            content = Path(args[0]).expanduser().read_bytes() if args else SAMPLE_PICTURE
            self._deliver(self.telegram.user_photo(self.user, content))
        elif command == "contact":
            self._deliver(self.telegram.user_contact(self.user, args[0] if args else SANDBOX_PHONE))
        elif command == "contact-other" and args:
            self._deliver(self.telegram.user_contact(self.user, args[0], contact_user_id=self.user.id + 1))
        elif command == "file" and args:
            path = Path(args[0]).expanduser()
            self._deliver(self.telegram.user_document(self.user, path.name, path.read_bytes()))
        elif command in ("pay", "decline") and self.kassa is not None:
            self._on_payment_page(command, args)
        elif command == "card" and self.kassa is not None:
            self._on_payment_page("pay", args, binding=True)
        elif command == "decline_card" and self.kassa is not None:
            self._decline_card(args[0] if args else "insufficient_funds")
        elif command == "bill" and self.bill is not None:
            self._in_background(self.bill(self.user.id), lambda said: f"  ({said})")
        elif command == "page" and self.page is not None:
            self.out(f"  open in a browser: {self.page(self.user, args[0].strip('/') if args else 'invoices')}")
        elif command == "user" and args:
            language = args[1] if len(args) > 1 else "ru"
            self.user = TgUser(id=int(args[0]), first_name=f"User{args[0]}", language_code=language)
            self.out(f"  now chatting as user {self.user.id} ({language})")
        else:
            self.out(HELP.format(phone=SANDBOX_PHONE))
        return True

    def _press(self, number: int, message_id: int | None = None) -> None:
        """Press button `number` of message #`message_id`, or of the latest message with buttons."""
        for message in reversed(self.telegram.messages(self.user.id)):
            if message_id is not None and message.message_id != message_id:
                continue
            if message_id is not None and (message.deleted or not message.inline_markup):
                raise LookupError(f"message #{message_id} has no buttons (any more)")
            if not message.deleted and message.inline_markup:
                buttons = message.buttons()
                if not 1 <= number <= len(buttons):
                    which = "the last message" if message_id is None else f"message #{message_id}"
                    raise LookupError(f"{which} has buttons 1-{len(buttons)}")
                button = buttons[number - 1]
                if "callback_data" not in button:
                    raise LookupError(f"button {number} opens {button.get('url')}")
                self._deliver(self.telegram.user_press(self.user, message.message_id, button["callback_data"]))
                return
        raise LookupError("no message with buttons yet" if message_id is None else f"no message #{message_id}")

    def _deliver(self, update: dict) -> None:
        self.telegram.deliver(update)

    def _on_payment_page(self, command: str, args: list[str], *, binding: bool = False) -> None:
        """What the payer does on YooKassa's page; YooKassa then notifies the bot, as it would. A binding
        (a card check: the card saved, the money only held) is paid on the same page."""
        assert self.kassa is not None
        waiting = [
            pid
            for pid, payment in self.kassa.payments.items()
            if payment["status"] == "pending" and (not binding or self._saves_card(pid))
        ]
        payment_id = args[0] if args and args[0] in self.kassa.payments else (waiting[-1] if waiting else None)
        if payment_id is None:
            where = "press 'Add a card' on a policy's cards screen" if binding else "press Pay in /invoices"
            raise LookupError(f"no {'card check' if binding else 'payment'} is waiting: {where} first")
        reason = args[-1] if command == "decline" and args and args[-1] != payment_id else "insufficient_funds"
        action = self.kassa.pay(payment_id) if command == "pay" else self.kassa.decline(payment_id, reason)
        done = "paid" if command == "pay" else f"declined ({reason})"
        task = asyncio.get_running_loop().create_task(action)
        self._payer_actions.add(task)
        task.add_done_callback(lambda _: self._told(payment_id, done))
        task.add_done_callback(self._payer_actions.discard)

    def _saves_card(self, payment_id: str) -> bool:
        """A card check: the bot asked YooKassa to save the card (the emulator keeps what it was asked)."""
        assert self.kassa is not None
        return self.kassa.saves_method(payment_id)

    def _decline_card(self, reason: str) -> None:
        """The card saved last (its method id is its check's payment id) is declined from now on."""
        assert self.kassa is not None
        if not self.kassa.saved_methods:
            raise LookupError("no card is saved: bind one first ('Add a card', then !card)")
        method_id = list(self.kassa.saved_methods)[-1]
        self.kassa.decline_method(method_id, reason)
        last4 = self.kassa.saved_methods[method_id].get("card", {}).get("last4", "????")
        self.out(f"  (YooKassa: charges to card •••• {last4}, method {method_id}, are declined from now: {reason})")

    def _in_background(self, action: Awaitable[str], told: Callable[[str], str]) -> None:
        """Runs `action` while the chat goes on; what it says (or its error) is printed when it ends."""

        async def run() -> None:
            try:
                self.out(told(await action))
            except (LookupError, ValueError, OSError) as exc:
                self.out(f"  ! {exc}")
            except Exception as exc:
                self.out(f"  ! that command failed: {type(exc).__name__}: {str(exc)[:200]}")

        task = asyncio.get_running_loop().create_task(run())
        self._payer_actions.add(task)
        task.add_done_callback(self._payer_actions.discard)

    def _told(self, payment_id: str, done: str) -> None:
        _event, _, status = self.kassa.notifications[-1] if self.kassa and self.kassa.notifications else ("", "", 0)
        self.out(f"  (YooKassa: payment {payment_id} {done}; the bot answered its notification with HTTP {status})")


async def load_samples(imports: ImportService) -> None:
    """The sample files, and the sample bills' invoices."""
    for kind in SAMPLE_ORDER:
        await imports.run(kind, SAMPLES / f"{kind}.csv")
    await imports.run("bills", SAMPLES / "bills.csv", issued_on=BILLS_ISSUED_ON)


def _sample_picture() -> bytes:
    """A 64×48 PNG in two colours: what `!photo` sends when given no file."""
    width, height = 64, 48
    rows = b"".join(
        b"\x00" + b"".join(bytes((40, 120, 200)) if x < width // 2 else bytes((240, 240, 240)) for x in range(width))
        for _ in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


SAMPLE_PICTURE = _sample_picture()


def clean_line(text: str) -> str:
    """The text without what no keyboard types: lone surrogates, escape sequences (arrow keys
    without line editing) and other control characters; tabs stay."""
    text = _ESCAPE_SEQUENCE.sub("", text)
    return "".join(c for c in text if c == "\t" or unicodedata.category(c) not in ("Cc", "Cs"))


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most `limit` UTF-16 code units (the unit Telegram measures texts in)."""
    pieces: list[str] = []
    start = units = 0
    for index, char in enumerate(text):
        size = 2 if ord(char) > 0xFFFF else 1
        if units + size > limit:
            pieces.append(text[start:index])
            start, units = index, 0
        units += size
    pieces.append(text[start:])
    return pieces


async def read_lines(chat: TerminalChat, prompt: str = "> ") -> None:
    """Hand each line of standard input to the chat until `!quit` or the end of input.

    Nothing one line does ends the session: an error is shown and the next line is read.
    """
    while True:
        line = await asyncio.to_thread(_input, prompt)
        if line is None:
            return
        try:
            if not chat.handle(line):
                return
        except Exception as exc:
            chat.out(f"  ! that line was not sent: {type(exc).__name__}: {str(exc)[:200]}")


def _input(prompt: str) -> str | None:
    """One line of standard input, None at its end.

    Read as bytes and decoded here, so that no input can fail: invalid UTF-8 (a letter cut in
    two by a terminal's line limit, text in another encoding) becomes U+FFFD instead of an
    error or the lone surrogates Python's surrogateescape would leave in the text.
    """
    sys.stdout.write(prompt)
    sys.stdout.flush()
    if sys.stdin is None:  # started without standard input
        return None
    stdin = getattr(sys.stdin, "buffer", None)
    if stdin is None:  # standard input replaced by a text stream
        text = sys.stdin.readline()
        return text.rstrip("\r\n") if text else None
    raw = stdin.readline()
    if not raw:
        return None
    return raw.decode("utf-8", errors="replace").rstrip("\r\n")


def _biller(app) -> Callable[[int], Awaitable[str]]:
    """`!bill`: a new invoice for the Telegram user's own policy, issued today as the daily import would;
    the queued automatic charge is made at once (the worker would within 5 minutes)."""
    container = app.container
    count = 0

    async def bill(telegram_id: int) -> str:
        nonlocal count
        viewer = await container.viewers.get(telegram_id)
        own = [p for p in await container.policies.linked_policies(viewer) if p.relation == Relation.OWN]
        if not own:
            raise LookupError("!bill bills your own policy: register first")
        count += 1
        today = container.clock.today()
        line = BILL_LINE.format(n=count, policy=own[0].policy_number, day=today.strftime("%d.%m.%Y"))
        report = await container.imports.run(
            "bills", f"{BILL_HEADER}\n{line}\n".encode(), filename="sandbox-bill.csv", issued_on=today
        )
        if not report.invoices:
            return f"no invoice issued: {report.summary()}"
        charges = await container.cards.charge_queued()
        return (
            f"invoice {', '.join(report.invoices)} issued today on policy {own[0].policy_number}; automatic "
            f"charges made {charges.charged}, declined {charges.declined}, skipped {charges.skipped}"
        )

    return bill


def _pages(app) -> Callable[[TgUser, str], str]:
    settings = app.container.settings

    def page(user: TgUser, path: str) -> str:
        init_data = sign_init_data(
            settings.require_token(),
            user.id,
            app.container.clock.now(),
            first_name=user.first_name,
            language_code=user.language_code or "ru",
        )
        return f"{settings.webapp_base_url}/webapp/{quote(path)}#tgWebAppData={quote(init_data, safe='')}"

    return page


def free_port(host: str = "127.0.0.1") -> int:
    """A port for the bot's HTTP side, known before it starts: YooKassa's emulator must know where to notify."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


async def run_sandbox(base: Settings, *, webapp: bool = False) -> None:
    async with (
        TelegramEmulator() as telegram,
        SmsGatewayEmulator() as sms,
        SmtpSink() as smtp,
        YooKassaEmulator(notify_from="127.0.0.1") as kassa,
    ):
        with tempfile.TemporaryDirectory(prefix="dmsbot-sandbox-") as folder:
            port = free_port()
            kassa.notify_url = f"http://127.0.0.1:{port}{NOTIFICATIONS_PATH}"
            settings = load_settings(
                bot_token="100000:SANDBOX",
                telegram_api_url=telegram.base_url,
                database_url=f"sqlite+aiosqlite:///{folder}/sandbox.sqlite3",
                redis_url=None,
                webhook_base_url=None,
                http_host="127.0.0.1",
                http_port=port,
                yookassa_shop_id=kassa.shop_id,
                yookassa_secret_key=kassa.secret_key,
                yookassa_api_url=kassa.base_url,
                yookassa_return_url="https://t.me/",
                yookassa_trusted_networks=["127.0.0.1/32"],
                private_views="webapp" if webapp else "chat",  # `--webapp`: the pages, and `!page`
                webapp_base_url=f"http://127.0.0.1:{port}",
                yookassa_autopay=True,  # saved cards and automatic charges: the emulator charges saved cards
                sms_provider="generic",
                sms_gateway_url=sms.url,
                smtp_url=smtp.url,
                admin_ids=[SANDBOX_USER.id],
                timezone=base.timezone,
                bot_today=base.bot_today or SAMPLES_TODAY,
            )
            logging.getLogger().setLevel(logging.WARNING)  # the terminal is for the chat
            if hasattr(sys.stdout, "reconfigure"):  # a text the terminal cannot show must not stop the chat
                sys.stdout.reconfigure(errors="replace")
            app = await build_app(settings)
            await load_samples(app.container.imports)
            files = Path(tempfile.mkdtemp(prefix="dmsbot-sandbox-files-"))  # kept after the sandbox ends
            chat = TerminalChat(
                telegram, kassa=kassa, bill=_biller(app), files=files, page=_pages(app) if webapp else None
            )
            sms.on_message.append(chat.show_sms)
            smtp.on_message.append(chat.show_mail)
            print("DMS bot sandbox: an emulated Telegram on " + telegram.base_url)
            print(HELP.format(phone=SANDBOX_PHONE))
            print(f"Documents the bot sends are saved in {files}")
            polling = asyncio.create_task(run_polling(app, handle_signals=False))
            chat.handle("/start")
            try:
                await read_lines(chat)
            finally:
                polling.cancel()  # the runner finishes what is in flight (bounded) and shuts the dispatcher down
                with contextlib.suppress(asyncio.CancelledError):
                    await polling
                await app.close()
    sys.stdout.flush()
