"""A bot that takes payments: the harness with the YooKassa emulator as its provider and the bot's own
HTTP side (notifications) served on loopback. The emulator notifies from 127.0.0.2, the one trusted
network; a test plays a foreign sender from 127.0.0.3."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date

from aiohttp import web
from sqlalchemy import select

from bot.factory.web import NOTIFICATIONS_PATH, create_web
from bot.outbox_sender import OutboxSender
from core.db.models import Invoice, OutboxMessage
from emulators import SAMPLE_DATA
from emulators.yookassa import YooKassaEmulator
from tests.bot.outbox_pass import deliver_pending
from tests.harness import BotHarness

TRUSTED = "127.0.0.2"
FOREIGN = "127.0.0.3"
ISSUED_ON = date(2026, 10, 1)
RETURN_URL = "https://t.me/dms_test_bot"


@dataclass
class Paying:
    harness: BotHarness
    kassa: YooKassaEmulator
    runner: web.AppRunner
    overrides: dict = field(default_factory=dict)  # the settings the bot was started with

    async def restart(self, meanwhile: Callable[[], Awaitable[None]] | None = None) -> None:
        """The bot process dies and starts again on the same database (the emulator keeps going);
        `meanwhile` runs while it is down (a test restarting its Redis too)."""
        old = self.harness
        await self.runner.cleanup()
        await old.close()
        if meanwhile is not None:
            await meanwhile()
        self.harness = await start_harness(
            old.emulator, old.sms, old.smtp, old.settings.database_url, self.kassa, **self.overrides
        )
        self.runner = await serve(self.harness, self.kassa)

    async def deliver(self) -> int:
        sender = OutboxSender(
            self.harness.bot, self.harness.container.outbox, self.harness.i18n, idle=0.05, per_chat=0.0, overall=0.0
        )
        return await deliver_pending(sender)

    async def statuses(self, *numbers: str) -> list[str]:
        async with self.harness.engine.connect() as conn:
            found = dict(
                (await conn.execute(select(Invoice.number, Invoice.status).where(Invoice.number.in_(numbers)))).all()
            )
        return [found[number] for number in numbers]

    async def notices(self, kind: str) -> list[dict]:
        async with self.harness.engine.connect() as conn:
            rows = await conn.execute(
                select(OutboxMessage.payload).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
            )
            return [payload for (payload,) in rows]

    def the_payment(self) -> dict:
        assert len(self.kassa.payments) == 1, self.kassa.payments.keys()
        return next(iter(self.kassa.payments.values()))


async def start_harness(emulator, sms, smtp, database_url: str, kassa: YooKassaEmulator, **overrides) -> BotHarness:
    return await BotHarness.start(
        emulator,
        sms,
        smtp,
        database_url,
        yookassa_shop_id=kassa.shop_id,
        yookassa_secret_key=kassa.secret_key,
        yookassa_api_url=kassa.base_url,
        yookassa_return_url=RETURN_URL,
        **{"yookassa_trusted_networks": [f"{TRUSTED}/32"], **overrides},
    )


async def serve(harness: BotHarness, kassa: YooKassaEmulator) -> web.AppRunner:
    runner = web.AppRunner(create_web(harness.container, harness.i18n, harness.dp.storage), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    kassa.notify_url = f"http://127.0.0.1:{port}{NOTIFICATIONS_PATH}"
    return runner


@asynccontextmanager
async def paying(emulator, sms, smtp, database_url: str, **overrides) -> AsyncIterator[Paying]:
    async with YooKassaEmulator(notify_from=TRUSTED) as kassa:
        harness = await start_harness(emulator, sms, smtp, database_url, kassa, **overrides)
        runner = await serve(harness, kassa)
        world = Paying(harness, kassa, runner, overrides)
        try:
            yield world
        finally:
            await kassa.flush()
            await world.runner.cleanup()
            await world.harness.close()


async def issue_samples(harness: BotHarness) -> None:
    report = await harness.container.billing.issue_from_bills(SAMPLE_DATA / "bills.csv", ISSUED_ON)
    assert report.invoices_issued == 5
