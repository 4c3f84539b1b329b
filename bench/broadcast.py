"""A broadcast through the outbox: N notices to N chats, sent by the project's OutboxSender to the Telegram
emulator enforcing Telegram's flood limits (30 sends a second overall, one a second per chat with a burst
of three, 429 with retry_after beyond them; `emulators/telegram/flood.py`).

A fresh SQLite file in a temporary folder, or `--postgres URL` (migrated first; an outbox with nothing
pending, and the bench's rows deleted afterwards); N `invoice_issued` rows, one per chat, each
with its own invoice number (B/000001, …); the emulator on loopback, in this process; the container, the
Bot and the OutboxSender built as `python -m bot run` builds them, with their defaults. The clock runs
from the sender's start to the moment every row is marked sent.

    python bench/broadcast.py [--messages N] [--postgres URL]

Prints the achieved rate, the messages lost (a number never received) and duplicated (received more
than once) — both must be 0 —, the 429s Telegram answered and the busiest second as it saw them. The
last line, `ratio: X.XX`, is the achieved rate ÷ 30 messages a second (Telegram's limit); the bar is 0.9.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, func, insert, select

from bot.factory.telegram import create_bot
from bot.i18n import create_i18n_core
from bot.outbox_sender import OutboxSender
from core.billing.status import InvoiceStatus
from core.bootstrap import bootstrap
from core.db.migrate import upgrade
from core.db.models import OutboxMessage
from core.db.outbox import outbox_row
from core.notices import InvoiceIssued
from core.settings import load_settings
from emulators.telegram import TelegramEmulator, TgUser

TELEGRAM_RATE = 30.0  # messages a second, overall
FIRST_CHAT = 800_000_000
MARK = re.compile(r"№ B/(\d{6})")


async def broadcast(messages: int, database_url: str) -> int:
    async with TelegramEmulator(flood_limits=True) as telegram:
        chats = [FIRST_CHAT + n for n in range(messages)]
        for chat in chats:
            telegram.user_message(TgUser(id=chat, first_name="Анна"), "/start")  # the chat exists
        seen: Counter[int] = Counter()  # invoice number → times received

        def received(message, change: str) -> None:
            if change == "new" and (mark := MARK.search(message.text)):
                seen[int(mark[1])] += 1

        telegram.on_change.append(received)
        settings = load_settings(
            bot_token="123456:BENCH",
            telegram_api_url=telegram.base_url,
            database_url=database_url,
            otp_secret="bench-otp-secret",
            redis_url=None,
            webhook_base_url=None,
        )
        if not settings.is_sqlite:
            await upgrade(database_url)
        container = await bootstrap(settings)
        bot = create_bot(settings)
        try:
            now = datetime.now(UTC)
            async with container.engine.begin() as conn:
                notices = (
                    InvoiceIssued(
                        to=chat,
                        invoice=f"B/{n:06d}",
                        person_id=0,  # no such person: the text says "the insured person"
                        total=150_000,
                        due_on=date(2026, 12, 5),
                        status=InvoiceStatus.NEW,
                    )
                    for n, chat in enumerate(chats, start=1)
                )
                await conn.execute(insert(OutboxMessage), [outbox_row(notice, now) for notice in notices])
            sender = OutboxSender(bot, container.outbox, create_i18n_core())
            started = time.monotonic()
            sender.start()
            shown = started
            try:
                while True:
                    async with container.engine.connect() as conn:
                        unsent = await conn.scalar(
                            select(func.count()).where(
                                OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None)
                            )
                        )
                    if not unsent:
                        break
                    if time.monotonic() - shown >= 10:
                        shown = time.monotonic()
                        print(f"  {shown - started:5.0f} s: {messages - unsent} sent", file=sys.stderr)
                    await asyncio.sleep(0.2)
                elapsed = time.monotonic() - started
            finally:
                await sender.stop()
            await asyncio.sleep(0.5)  # a late duplicate would show now
            async with container.engine.begin() as conn:
                failed = await conn.scalar(select(func.count()).where(OutboxMessage.failed_at.is_not(None)))
                if not database_url.startswith("sqlite"):
                    await conn.execute(delete(OutboxMessage).where(OutboxMessage.telegram_id >= FIRST_CHAT))
        finally:
            await bot.session.close()
            await container.close()
        stats = telegram.flood_stats()

    lost = sum(1 for n in range(1, messages + 1) if n not in seen)
    duplicated = sum(count - 1 for count in seen.values())
    rate = messages / elapsed
    print(f"messages: {messages} to {messages} chats, all marked sent in {elapsed:.1f} s ({failed} given up)")
    print(f"achieved rate: {rate:.2f} messages/s (Telegram saw {stats.rate:.2f}/s from its first to its last)")
    print(f"lost: {lost}")
    print(f"duplicated: {duplicated}")
    print(
        f"429 answers: {stats.refused} (retry_after not honoured: {stats.ignored}); busiest second: "
        f"{stats.busiest_second} sends, busiest second of one chat: {stats.busiest_chat_second}"
    )
    print(f"ratio: {rate / TELEGRAM_RATE:.2f}")
    return 0 if lost == 0 and duplicated == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000, help="notices, one per chat (default 10,000)")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL database instead of SQLite (migrated here)")
    args = parser.parse_args()
    if args.messages < 2:
        parser.error("--messages: at least 2")
    if args.postgres:
        return asyncio.run(broadcast(args.messages, args.postgres))
    with tempfile.TemporaryDirectory() as folder:
        return asyncio.run(broadcast(args.messages, f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"))


if __name__ == "__main__":
    sys.exit(main())
