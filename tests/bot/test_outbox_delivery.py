"""The outbox sender against the Telegram emulator enforcing Telegram's flood limits (30 sends a second
overall, one a second per chat with a burst of three, 429 with retry_after beyond them): a busy chat does
not hold the others, a RetryAfter pauses every send, a blocked user's rows are given up at one try,
Telegram failing (5xx) is retried with back-off, and a sender process killed (SIGKILL) three times in
the middle of 1,000 rows and started again delivers them all, none lost, at most three twice.

The notices are `invoice_issued` rows with distinct invoice numbers (K/0001, …): the number in each
message the emulator received tells which row it was.

Run as a module (`python -m tests.bot.test_outbox_delivery`), this file is the sender process of the
kill test: the project's bootstrap, Bot and OutboxSender, and nothing else, until SIGKILL or SIGTERM.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, insert, select

from core.billing.status import InvoiceStatus
from core.db.models import OutboxMessage
from core.db.outbox import outbox_row
from core.notices import InvoiceIssued

MARK = re.compile(r"№ K/(\d{4})")
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def notice(number: int, chat: int) -> InvoiceIssued:
    """No such person (0): the text says "the insured person"."""
    return InvoiceIssued(
        to=chat,
        invoice=f"K/{number:04d}",
        person_id=0,
        total=12_300,
        due_on=date(2026, 12, 5),
        status=InvoiceStatus.NEW,
    )


async def insert_notices(engine, recipients: list[int], start: int = 1) -> None:
    """One invoice_issued row per entry of `recipients` (its chat), numbered K/0001, K/0002, … in order (from
    `start`)."""
    rows = [outbox_row(notice(number, chat), NOW) for number, chat in enumerate(recipients, start=start)]
    async with engine.begin() as conn:
        await conn.execute(insert(OutboxMessage), rows)


def open_chats(emulator, chats) -> None:
    from emulators.telegram import TgUser

    for chat in set(chats):
        emulator.user_message(TgUser(id=chat, first_name="Анна"), "/start")  # the chat exists in Telegram


def received(emulator, chats) -> list[int]:
    """The numbers of the notices the chats got, chat by chat, each in the order it arrived."""
    return [
        int(m.group(1))
        for chat in sorted(set(chats))
        for msg in emulator.messages(chat)
        if (m := MARK.search(msg.text))
    ]


async def open_rows(engine) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(
            select(func.count()).where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
        )


def make_sender(harness, **options):
    from bot.outbox_sender import OutboxSender

    return OutboxSender(harness.bot, harness.container.outbox, harness.i18n, **{"idle": 0.1, **options})


async def run_until_delivered(harness, sender, chats: list[int], expected: int, timeout: float) -> float:
    """Runs the sender until no row is open and `expected` notices reached the chats; the seconds it took."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    sender.start()
    try:
        while await open_rows(harness.engine) or len(received(harness.emulator, chats)) < expected:
            have = len(received(harness.emulator, chats))
            assert loop.time() - started < timeout, f"{have} of {expected} arrived"
            await asyncio.sleep(0.05)
    finally:
        await sender.stop()
    return loop.time() - started


def test_the_emulators_flood_model() -> None:
    """30 sends in any second overall, a chat three at once then one a second; a 429 names whole seconds,
    and its scope stays refused until then (a send into it counts as not honoured)."""
    import pytest

    from emulators.telegram import ApiError
    from emulators.telegram.flood import FloodControl

    flood = FloodControl(per_chat_per_second=1.0, global_per_second=30.0, burst=3)
    for n in range(30):
        flood.take(n, 10.0 + n * 0.01)
    with pytest.raises(ApiError) as refused:
        flood.take(99, 10.5)  # the 31st within a second
    assert (refused.value.code, refused.value.retry_after) == (429, 1)
    with pytest.raises(ApiError):
        flood.take(98, 10.9)  # the whole bot is refused for that second: not honoured
    flood.take(98, 11.6)  # the first sends have left the window, the retry_after has passed
    for at in (20.0, 20.0, 20.0):
        flood.take(7, at)  # a burst of three to one chat
    with pytest.raises(ApiError) as refused:
        flood.take(7, 20.2)
    assert refused.value.retry_after == 1
    flood.take(8, 20.3)  # other chats go on
    flood.take(7, 21.3)
    stats = flood.stats()
    assert (stats.accepted, stats.refused, stats.refused_global, stats.refused_chat, stats.ignored) == (36, 3, 2, 1, 1)
    assert stats.busiest_second == 30 and stats.busiest_chat_second == 3
    assert [(chat, scope) for _, chat, scope, _ in stats.refusals] == [(99, "global"), (98, "global"), (7, "chat")]


async def test_a_busy_chat_does_not_hold_the_others_and_the_pace_is_telegrams(harness) -> None:
    """Six notices to one chat first, then one to each of 40 others: the others all arrive at the overall
    pace while the busy chat gets one a second, in order; the emulator refused nothing."""
    emulator = harness.emulator
    emulator.set_flood_limits()  # Telegram's: 30 a second, one a second per chat (burst 3)
    busy, others = 500_001, list(range(600_001, 600_041))
    recipients = [busy] * 6 + others
    open_chats(emulator, recipients)
    await insert_notices(harness.engine, recipients)
    loop = asyncio.get_running_loop()
    arrivals: list[tuple[int, float]] = []  # (chat, when)
    emulator.on_change.append(lambda message, change: arrivals.append((message.chat_id, loop.time())))

    started = loop.time()
    took = await run_until_delivered(harness, make_sender(harness), recipients, len(recipients), timeout=20)

    stats = emulator.flood_stats()
    assert stats.refused == 0 and stats.accepted == len(recipients)
    assert stats.busiest_second <= 30 and stats.busiest_chat_second <= 3
    others_done = max(at for chat, at in arrivals if chat != busy) - started
    busy_done = max(at for chat, at in arrivals if chat == busy) - started
    assert others_done < 2.5, others_done  # 41 sends at 29 a second: ~1.4 s, not stuck behind the busy chat
    assert busy_done >= 5.0  # six to one chat, a second apart
    assert took < 10
    assert received(emulator, [busy]) == [1, 2, 3, 4, 5, 6]  # one chat's notices in order
    assert sorted(received(emulator, others)) == list(range(7, 47))


async def test_a_retry_after_pauses_every_send_for_the_time_asked(harness) -> None:
    """A sender with no per-chat pace of its own meets the per-chat limit: on the 429 every send stops for
    the retry_after, then all arrive; no send is made in a refused scope, no attempt is counted."""
    emulator = harness.emulator
    emulator.set_flood_limits(per_chat_per_second=1.0, global_per_second=30.0, burst=1)
    busy, others = 500_002, list(range(610_001, 610_021))
    recipients = [busy] * 3 + others
    open_chats(emulator, recipients)
    await insert_notices(harness.engine, recipients)
    loop = asyncio.get_running_loop()
    sends: list[float] = []
    emulator.on_change.append(lambda message, change: sends.append(loop.time()))

    sender = make_sender(harness, per_chat=0.0, overall=0.05)
    await run_until_delivered(harness, sender, recipients, len(recipients), timeout=20)

    stats = emulator.flood_stats()
    assert stats.refusals, "the sender was expected to meet the per-chat limit"
    assert stats.ignored == 0  # every retry_after honoured
    for at, _, _, retry_after in stats.refusals:
        # Nothing sent in the pause (a send already on its way when the 429 came may land just after it).
        assert not [t for t in sends if at + 0.1 < t < at + retry_after - 0.01], (at, retry_after, sends)
    assert sorted(received(emulator, recipients)) == list(range(1, len(recipients) + 1))
    assert received(emulator, [busy]) == [1, 2, 3]
    async with harness.engine.connect() as conn:
        assert set((await conn.execute(select(OutboxMessage.attempts))).scalars()) == {0}


async def test_a_blocked_user_is_given_up_at_one_try_and_telegram_failing_is_retried(harness) -> None:
    emulator = harness.emulator
    emulator.set_flood_limits()
    blocked, others = 500_003, list(range(620_001, 620_011))
    recipients = [blocked] * 4 + others
    open_chats(emulator, recipients)
    await insert_notices(harness.engine, recipients)
    emulator.block(blocked)
    emulator.fail_sends(3)  # Telegram answers 502 three times: backed off, tried again, not counted

    await run_until_delivered(harness, make_sender(harness, backoff=0.2), others, len(others), timeout=20)

    attempts = [args for method, args in emulator.calls if method.lower() == "sendmessage"]
    assert sum(str(args.get("chat_id")) == str(blocked) for args in attempts) == 1  # one try, then all given up
    assert sorted(received(emulator, others)) == list(range(5, 15))
    async with harness.engine.connect() as conn:
        rows = (await conn.execute(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    assert all(row.failed_at is not None and row.sent_at is None and row.attempts == 1 for row in rows[:4])
    assert all(row.sent_at is not None and row.attempts == 0 for row in rows[4:])
    assert emulator.flood_stats().refused == 0


async def test_a_sender_killed_three_times_delivers_every_row_at_most_three_twice(emulator, sqlite_url, tmp_path):
    """1,000 rows to 200 chats (five each, each chat's in a run, so both limits bind), through the emulator
    enforcing Telegram's limits, by a sender process SIGKILLed three times, each time just as Telegram
    accepted a notice and before the process could mark it (a duplicate each time, by design), and
    started again (a standby process, the code loaded, takes over). Takes ~50 s: loading the code, 1,000
    sends at Telegram's 30 a second, the last chats' rows one a second, three claims lapsing (3 s here)."""
    from core.db.engine import create_engine
    from tests.bot.test_runners import clean_env

    total, chats = 1000, [700_000 + n for n in range(200)]
    recipients = [chat for chat in chats for _ in range(5)]
    open_chats(emulator, recipients)
    engine = create_engine(sqlite_url)
    try:
        await insert_notices(engine, recipients)
    finally:
        await engine.dispose()
    emulator.set_flood_limits()

    env = clean_env(
        BOT_TOKEN="123:abc", TELEGRAM_API_URL=emulator.base_url, DATABASE_URL=sqlite_url, LOG_LEVEL="WARNING"
    )
    log = (tmp_path / "sender.log").open("ab")
    kill_at = [250, 500, 750]  # notices seen by Telegram
    seen: list[int] = []
    current: dict[str, asyncio.subprocess.Process] = {}

    def on_change(message, change) -> None:
        if change == "new" and (m := MARK.search(message.text)):
            seen.append(int(m.group(1)))
            if kill_at and len(seen) >= kill_at[0]:
                kill_at.pop(0)
                os.kill(current["process"].pid, signal.SIGKILL)  # before Telegram's answer leaves

    async def spawn() -> asyncio.subprocess.Process:
        """A standby sender: it loads the code (seconds, mostly aiogram's types) and waits to be told to go,
        as a second worker waits for the lock."""
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.bot.test_outbox_delivery",
            "--claim",
            "3",
            stdin=asyncio.subprocess.PIPE,
            env=env,
            cwd=Path(__file__).resolve().parents[2],
            stdout=log,
            stderr=log,
        )

    standby = await spawn()

    async def start() -> asyncio.subprocess.Process:
        nonlocal standby
        process, standby = standby, await spawn()
        process.stdin.write(b"go\n")
        await process.stdin.drain()
        current["process"] = process
        return process

    emulator.on_change.append(on_change)
    loop = asyncio.get_running_loop()
    process = await start()
    started, starts = loop.time(), 1
    engine = create_engine(sqlite_url)
    try:
        while len(set(seen)) < total or await open_rows(engine):
            assert loop.time() - started < 150, f"{len(set(seen))} of {total} after {starts} starts"
            try:
                await asyncio.wait_for(process.wait(), 0.1)
            except TimeoutError:
                continue
            assert process.returncode == -signal.SIGKILL, (tmp_path / "sender.log").read_text()
            process = await start()
            starts += 1
        await asyncio.sleep(0.5)  # time for a late duplicate to show
        async with engine.connect() as conn:
            unsent = await conn.scalar(select(func.count()).where(OutboxMessage.sent_at.is_(None)))
    finally:
        for each in (process, standby):
            if each.returncode is None:
                each.terminate()
                await each.wait()
        await engine.dispose()
        log.close()

    counts = Counter(seen)
    lost = total - len(counts)
    duplicated = sum(n - 1 for n in counts.values())
    stats = emulator.flood_stats()
    print(
        f"{starts} starts, {loop.time() - started:.1f} s, lost {lost}, duplicated {duplicated}, "
        f"429s {stats.refused}, busiest second {stats.busiest_second}"
    )
    assert starts == 4 and set(counts) == set(range(1, total + 1)) and unsent == 0
    assert lost == 0 and duplicated <= 3, counts.most_common(5)
    assert stats.ignored == 0  # any 429 honoured: nothing sent into a refused scope
    assert stats.refused <= 3, stats.refusals  # and at most a rare one, from a request's trip time varying
    assert stats.busiest_second <= 30 and stats.busiest_chat_second <= 3
    assert "Traceback" not in (tmp_path / "sender.log").read_text()


# ----------------------------------------------------------------- the sender process of the kill test


async def _sender_process(claim: float) -> None:
    from bot.factory.telegram import create_bot
    from bot.i18n import create_i18n_core
    from bot.outbox_sender import OutboxSender
    from core.bootstrap import bootstrap
    from core.settings import load_settings

    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)  # loaded; wait to be told to go
    settings = load_settings()
    container = await bootstrap(settings, migrate_embedded=False)
    bot = create_bot(settings)
    sender = OutboxSender(bot, container.outbox, create_i18n_core(), idle=0.2, claim=claim)
    stopping = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
    sender.start()
    try:
        await stopping.wait()
    finally:
        await sender.stop()
        await bot.session.close()
        await container.close()


if __name__ == "__main__":
    import logging

    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "WARNING"))
    arguments = sys.argv[1:]
    asyncio.run(_sender_process(float(arguments[arguments.index("--claim") + 1]) if "--claim" in arguments else 120))
