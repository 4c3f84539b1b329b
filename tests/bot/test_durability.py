"""What is in flight survives a restart of every process: the bot and its Redis (a throwaway `redis-server`
with an append-only file, stopped and started on the same folder), on PostgreSQL.

In flight at the stop: a registration dialog halfway (its state in Redis), a payment waiting at YooKassa,
queued notices (the invoices' and a broadcast's rows in the outbox) and a broadcast whose queuing was cut
off between two chunks (the one patch: the repository's second chunk dies as a killed process would).
After the start: the dialog goes on from its step, the payment is credited once, the worker's job queues the
broadcast on, and one pass of the sender delivers every notice once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.db.broadcasts import BroadcastRepository
from core.db.models import OutboxMessage
from core.services.broadcasts import BroadcastService
from tests.bot.cabinet_fixtures import IVANOV, cabinet_chat, import_samples
from tests.bot.desk.broadcast_fixtures import FIRST_CHAT, add_people
from tests.bot.payment_fixtures import issue_samples, paying
from tests.bot.test_outbox_delivery import open_chats
from tests.bot.test_payments import select_and_pay
from tests.harness import TODAY
from tests.servers import redis_server

ADMIN = 600_000_001
PEOPLE = [FIRST_CHAT + n for n in range(10)]
NOON = datetime(TODAY.year, TODAY.month, TODAY.day, 9, 0, tzinfo=UTC)  # 12:00 in Moscow: within REMINDER_HOURS
SHMOLINA = 7201


class Killed(BaseException):
    """A SIGKILL seen from inside: nothing after it runs, nothing uncommitted stays."""


async def test_a_dialog_a_payment_notices_and_a_broadcast_survive_a_restart_of_everything(
    emulator, sms_gateway, smtp_sink, postgres_url: str, tmp_path: Path, monkeypatch
) -> None:
    moments = [NOON]
    async with (
        redis_server(tmp_path, appendonly=True) as redis,
        paying(
            emulator,
            sms_gateway,
            smtp_sink,
            postgres_url,
            redis_url=redis.url,
            admin_ids=[ADMIN],
            now=lambda: moments[-1],
        ) as world,
    ):
        h = world.harness
        await import_samples(h.engine)
        ivan = await cabinet_chat(h, IVANOV)  # registered before the bills: his invoices' notices are queued
        await issue_samples(h)
        await select_and_pay(world, "2026/10/3", chat=ivan)
        payment = world.the_payment()

        newcomer = h.chat(SHMOLINA)
        assert "персональных данных" in (await newcomer.send("/start"))[-1].text
        await newcomer.press("✅")
        await newcomer.press("✅")
        await newcomer.press("Да")
        await newcomer.press("номер полиса")
        await newcomer.send("AM012345678/13")  # the dialog now asks for the surname

        await add_people(h.engine, PEOPLE)
        open_chats(h.emulator, [*PEOPLE, ADMIN])
        h.container.broadcasts.chunk = 4
        broadcast_id = await h.container.broadcasts.start(
            ADMIN, BroadcastService.check("News", None, "all", None), "ru"
        )
        queue_chunk = BroadcastRepository.queue_chunk
        chunks = 0

        async def dies_at_the_second(self, *args, **kwargs):
            nonlocal chunks
            chunks += 1
            if chunks == 2:
                raise Killed
            return await queue_chunk(self, *args, **kwargs)

        monkeypatch.setattr(BroadcastRepository, "queue_chunk", dies_at_the_second)
        with pytest.raises(Killed):
            await h.container.broadcasts.queue(broadcast_id)
        monkeypatch.setattr(BroadcastRepository, "queue_chunk", queue_chunk)
        invoice_notices = len(await world.notices("invoice_issued"))
        assert invoice_notices > 0

        async def redis_restarted() -> None:
            await redis.stop()
            await redis.start()

        await world.restart(meanwhile=redis_restarted)
        h = world.harness
        moments.append(NOON + timedelta(minutes=2))  # the cut-off queuing's beat is now a minute old

        # The dialog goes on from the step it was at.
        newcomer = h.chat(SHMOLINA)
        assert "имя" in (await newcomer.send("Шмолина"))[-1].text.lower()
        # The payment made before the stop is credited once.
        await world.kassa.pay(payment["id"])
        await world.kassa.notify("payment.succeeded", payment["id"])
        assert await world.statuses("2026/10/3") == ["paid"]
        assert len(await world.notices("payment_succeeded")) == 1
        # The worker's job queues the broadcast on from where it stood; one pass of the sender sends it all.
        assert await h.container.broadcasts.resume() == 1
        await world.deliver()
        assert await world.deliver() == 1  # the broadcast's report to the admin, written by its last send
        for chat in PEOPLE:
            assert [m.text for m in h.emulator.messages(chat)] == ["News"], chat
        view = await h.container.broadcasts.progress(ADMIN, broadcast_id)
        assert view is not None and view.counts.sent == len(PEOPLE) and view.status.value == "done"
        async with h.engine.connect() as connection:
            unsent = await connection.scalar(select(func.count()).where(OutboxMessage.sent_at.is_(None)))
            sent_to_ivan = await connection.scalar(
                select(func.count()).where(OutboxMessage.telegram_id == IVANOV, OutboxMessage.sent_at.is_not(None))
            )
        assert unsent == 0  # every notice queued before the stop went out, the invoices' included
        assert sent_to_ivan == invoice_notices + 1  # and the payment's
