"""A broadcast from the desk: N registered people with news on, the broadcast recorded and its recipients
queued by the desk's use case (`BroadcastService.start` and `.queue`, as /broadcast's Send does), then
sent by the project's OutboxSender to the Telegram emulator enforcing Telegram's flood limits (30 sends a
second overall, one a second per chat with a burst of three, 429 with retry_after beyond them;
`emulators/telegram/flood.py`).

A fresh SQLite file in a temporary folder, or `--postgres URL` (migrated first; an outbox with nothing
pending, and the bench's rows deleted afterwards); the emulator on loopback, in this process; the
container, the Bot and the OutboxSender built as `python -m bot run` builds them, with their defaults (the
bot's clock at noon, within REMINDER_HOURS). The clock runs from the sender's start to the moment every
row is marked sent.

    python bench/broadcast.py [--messages N] [--postgres URL]
    python bench/broadcast.py --queue-only N [--postgres URL]

Prints the achieved rate, the recipients who got nothing (lost) and those who got it more than once
(duplicated) — both must be 0 —, the 429s Telegram answered and the busiest second as it saw them. The
last line, `ratio: X.XX`, is the achieved rate ÷ 30 messages a second (Telegram's limit); the bar is 0.9.

`--queue-only N` sends nothing: it queues a broadcast to N people (1,000,000 for the issue's figure) and
prints how long that took and the memory it took: the peak of Python's allocations during the queuing
(tracemalloc) and the process's resident set, sampled every 50 ms, before and at its highest during it.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, func, insert, select

from bot.factory.telegram import create_bot
from bot.i18n import create_i18n_core
from bot.outbox_sender import OutboxSender
from core.bootstrap import bootstrap
from core.calendar import Clock
from core.db.migrate import upgrade
from core.db.models import Account, Broadcast, InsuredPerson, NotificationSetting, OutboxMessage, Program
from core.desk.broadcasts import Segment
from core.services.broadcasts import Draft
from core.settings import load_settings
from emulators.telegram import TelegramEmulator, TgUser

TELEGRAM_RATE = 30.0  # messages a second, overall
FIRST_CHAT = 800_000_000
FIRST_ID = 50_000_000  # the bench's people and accounts: ids no real row has
ADMIN = 9001
TEXT = "The list of clinics has been updated: see /clinics."
NOON = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # 12:00 in Moscow
SETUP_CHUNK = 10_000


def _settings(database_url: str, telegram_url: str):
    return load_settings(
        bot_token="123456:BENCH",
        telegram_api_url=telegram_url,
        database_url=database_url,
        otp_secret="bench-otp-secret",
        redis_url=None,
        webhook_base_url=None,
        admin_ids=[ADMIN],
    )


async def _people(engine, count: int) -> None:
    """`count` registered people with news on, written `SETUP_CHUNK` at a time."""
    now = datetime(2026, 11, 1, tzinfo=UTC)
    async with engine.begin() as conn:
        if await conn.scalar(select(Program.code).where(Program.code == "BENCH")) is None:
            await conn.execute(insert(Program), [{"code": "BENCH", "name": "Bench"}])
    for start in range(0, count, SETUP_CHUNK):
        ids = range(FIRST_ID + start, FIRST_ID + min(count, start + SETUP_CHUNK))
        async with engine.begin() as conn:
            await conn.execute(
                insert(InsuredPerson),
                [
                    {
                        "id": i,
                        "policy_key": f"BENCH{i}",
                        "policy_number": f"BENCH{i}",
                        "last_name": "Bench",
                        "first_name": "Anna",
                        "last_name_key": "bench",
                        "first_name_key": "anna",
                        "birth_date": date(1990, 1, 1),
                        "program_code": "BENCH",
                        "valid_from": date(2026, 1, 1),
                        "valid_to": date(2027, 12, 31),
                        "row_hash": "0" * 32,
                    }
                    for i in ids
                ],
            )
            await conn.execute(
                insert(Account),
                [
                    {
                        "id": i,
                        "telegram_id": FIRST_CHAT + i - FIRST_ID,
                        "insured_person_id": i,
                        "created_at": now,
                        "registered_at": now,
                    }
                    for i in ids
                ],
            )
            await conn.execute(
                insert(NotificationSetting), [{"account_id": i, "kind": "news", "enabled": True} for i in ids]
            )


async def _forget(engine) -> None:
    """The bench's rows out of a server database."""
    async with engine.begin() as conn:
        await conn.execute(delete(OutboxMessage).where(OutboxMessage.telegram_id >= FIRST_CHAT))
        await conn.execute(delete(OutboxMessage).where(OutboxMessage.telegram_id == ADMIN))
        await conn.execute(delete(Broadcast).where(Broadcast.created_by == ADMIN))
        await conn.execute(delete(NotificationSetting).where(NotificationSetting.account_id >= FIRST_ID))
        await conn.execute(delete(Account).where(Account.id >= FIRST_ID))
        await conn.execute(delete(InsuredPerson).where(InsuredPerson.id >= FIRST_ID))


async def _queue(container) -> tuple[int, int]:
    """A broadcast to everyone from the desk: (its id, recipients queued)."""
    draft = Draft(TEXT, None, Segment.ALL, None)
    broadcast_id = await container.broadcasts.start(ADMIN, draft, "en")
    view = await container.broadcasts.queue(broadcast_id)
    return broadcast_id, view.counts.total


def _rss_kib() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


async def queue_only(count: int, database_url: str) -> int:
    settings = _settings(database_url, "http://127.0.0.1:9")  # nothing is sent
    if not settings.is_sqlite:
        await upgrade(database_url)
    container = await bootstrap(settings, overrides={"clock": Clock(settings.timezone, now_fn=lambda: NOON)})
    try:
        print(f"writing {count:,} people…", file=sys.stderr)
        await _people(container.engine, count)
        peak_rss = before_rss = _rss_kib()

        async def sample() -> None:
            nonlocal peak_rss
            while True:
                peak_rss = max(peak_rss, _rss_kib())
                await asyncio.sleep(0.05)

        sampler = asyncio.create_task(sample())
        tracemalloc.start()
        started = time.monotonic()
        _, queued = await _queue(container)
        elapsed = time.monotonic() - started
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        sampler.cancel()
        peak_rss = max(peak_rss, _rss_kib())
        async with container.engine.connect() as conn:
            rows = await conn.scalar(select(func.count()).where(OutboxMessage.broadcast_id.is_not(None)))
        if not settings.is_sqlite:
            await _forget(container.engine)
    finally:
        await container.close()
    print(f"queued: {queued:,} recipients ({rows:,} outbox rows) in {elapsed:.1f} s ({queued / elapsed:,.0f} a second)")
    print(f"python allocations at their peak during the queuing (tracemalloc): {traced_peak / 2**20:.1f} MiB")
    print(f"resident set: {before_rss / 1024:.0f} MiB before, {peak_rss / 1024:.0f} MiB at most while queuing")
    return 0 if queued == rows == count else 1


async def broadcast(messages: int, database_url: str) -> int:
    async with TelegramEmulator(flood_limits=True) as telegram:
        chats = [FIRST_CHAT + n for n in range(messages)]
        for chat in [*chats, ADMIN]:
            telegram.user_message(TgUser(id=chat, first_name="Анна"), "/start")  # the chat exists
        seen: Counter[int] = Counter()  # chat → times it got the broadcast

        def received(message, change: str) -> None:
            if change == "new" and message.text == TEXT:
                seen[message.chat_id] += 1

        telegram.on_change.append(received)
        settings = _settings(database_url, telegram.base_url)
        if not settings.is_sqlite:
            await upgrade(database_url)
        container = await bootstrap(settings, overrides={"clock": Clock(settings.timezone, now_fn=lambda: NOON)})
        bot = create_bot(settings)
        try:
            await _people(container.engine, messages)
            broadcast_id, queued = await _queue(container)
            sender = OutboxSender(bot, container.outbox, create_i18n_core())
            started = time.monotonic()
            sender.start()
            shown = started
            try:
                while True:
                    async with container.engine.connect() as conn:
                        unsent = await conn.scalar(
                            select(func.count()).where(
                                OutboxMessage.broadcast_id == broadcast_id,
                                OutboxMessage.sent_at.is_(None),
                                OutboxMessage.failed_at.is_(None),
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
            async with container.engine.connect() as conn:
                stored = (
                    await conn.execute(
                        select(Broadcast.sent, Broadcast.blocked, Broadcast.failed, Broadcast.status).where(
                            Broadcast.id == broadcast_id
                        )
                    )
                ).one()
            if not settings.is_sqlite:
                await _forget(container.engine)
        finally:
            await bot.session.close()
            await container.close()
        stats = telegram.flood_stats()

    lost = sum(1 for chat in chats if chat not in seen)
    duplicated = sum(count - 1 for count in seen.values())
    rate = messages / elapsed
    print(f"broadcast: {queued} recipients queued from the desk, all marked sent in {elapsed:.1f} s")
    print(f"its counts: sent {stored.sent}, blocked {stored.blocked}, failed {stored.failed}, status {stored.status}")
    print(f"achieved rate: {rate:.2f} messages/s (Telegram saw {stats.rate:.2f}/s from its first to its last)")
    print(f"lost: {lost}")
    print(f"duplicated: {duplicated}")
    print(
        f"429 answers: {stats.refused} (retry_after not honoured: {stats.ignored}); busiest second: "
        f"{stats.busiest_second} sends, busiest second of one chat: {stats.busiest_chat_second}"
    )
    print(f"ratio: {rate / TELEGRAM_RATE:.2f}")
    return 0 if lost == 0 and duplicated == 0 and queued == messages else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000, help="recipients, one chat each (default 10,000)")
    parser.add_argument("--queue-only", type=int, metavar="N", help="queue a broadcast to N people, send nothing")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL database instead of SQLite (migrated here)")
    args = parser.parse_args()
    if args.messages < 2:
        parser.error("--messages: at least 2")

    def run(url: str) -> int:
        if args.queue_only:
            return asyncio.run(queue_only(args.queue_only, url))
        return asyncio.run(broadcast(args.messages, url))

    if args.postgres:
        return run(args.postgres)
    with tempfile.TemporaryDirectory() as folder:
        return run(f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}")


if __name__ == "__main__":
    sys.exit(main())
