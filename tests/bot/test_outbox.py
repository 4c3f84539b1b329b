"""The outbox sender: notices written by billing reach the payer's chat through the Telegram emulator, in
the payer's language, once; RetryAfter honoured, a blocked user's notice given up, two senders and a
restart deliver each row once; and `python -m bot run` delivers the outbox as a real process."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

from sqlalchemy import select, update

from bot.i18n import create_i18n_core
from bot.outbox_sender import OutboxSender
from bot.views.notices import render_notice
from core.db.models import Account, Invoice, OutboxMessage
from core.notices import read_notice
from core.services.outbox import MAX_ATTEMPTS
from emulators import SAMPLE_DATA
from tests.bot.cabinet_fixtures import (
    IVANOV,
    SHMOLINA,
    cabinet_chat,
    import_samples,
    person_id,
    register,
)
from tests.bot.outbox_pass import deliver_pending
from tests.harness import BotHarness

ISSUED_ON = date(2026, 10, 1)
NBSP = "\u00a0"


def sender(harness: BotHarness, **options: float) -> OutboxSender:
    """Paced for tests: no wait between messages unless asked."""
    return OutboxSender(
        harness.bot,
        harness.container.outbox,
        harness.i18n,
        **{"idle": 0.05, "per_chat": 0.0, "overall": 0.0, **options},
    )


async def issue_with_payers(harness: BotHarness) -> None:
    """Иванов (ru) and Шмолина (her account set to English) registered and known to Telegram; the sample
    bills issued: Иванов pays three invoices (his own, his wife's covered by the deposit, his son's),
    Шмолина one."""
    await import_samples(harness.engine)
    for telegram_id, language in ((IVANOV, "ru"), (SHMOLINA, "en")):
        chat = await cabinet_chat(harness, telegram_id, language_code=language)
        async with harness.engine.begin() as conn:
            await conn.execute(update(Account).where(Account.telegram_id == telegram_id).values(language=language))
        await chat.send("/menu")  # the chat exists in Telegram
    report = await harness.container.billing.issue_from_bills(SAMPLE_DATA / "bills.csv", ISSUED_ON)
    assert report.invoices_issued == 5


async def outbox(harness: BotHarness) -> list[OutboxMessage]:
    async with harness.engine.connect() as conn:
        return list((await conn.execute(select(OutboxMessage).order_by(OutboxMessage.id))).all())


def notices_in(harness: BotHarness, chat_id: int) -> list[str]:
    return [m.text for m in harness.emulator.messages(chat_id) if m.text.startswith(("🧾", "⚠️", "✅"))]


async def test_billing_notices_reach_the_payer_in_their_language_and_are_marked_sent(harness) -> None:
    await issue_with_payers(harness)
    rows = await outbox(harness)
    assert [(row.telegram_id, row.kind) for row in rows] == [(IVANOV, "invoice_issued")] * 3 + [
        (SHMOLINA, "invoice_issued")
    ]
    assert all(row.sent_at is None for row in rows)

    assert await deliver_pending(sender(harness)) == 4

    ivanov = notices_in(harness, IVANOV)
    assert len(ivanov) == 3
    assert ivanov[0].startswith("🧾 Выставлен счёт № 2026/10/1 — Иванов Иван.")
    assert f"К оплате: 0,80{NBSP}₽ до " in ivanov[0]
    assert "Иванова" in ivanov[1] and "полностью покрыт депозитом" in ivanov[1]  # the wife's, PAID
    assert f"К оплате: 400,00{NBSP}₽" in ivanov[2]
    (shmolina,) = notices_in(harness, SHMOLINA)
    assert shmolina.startswith("🧾 Invoice No. 2026/10/") and "To pay: ₽2,600.00 by " in shmolina
    assert "/invoices" in shmolina
    assert "<b>" in harness.emulator.messages(SHMOLINA)[-1].html  # sent as HTML

    rows = await outbox(harness)
    assert all(row.sent_at is not None and row.failed_at is None for row in rows)
    assert await harness.container.outbox.pending() == []
    assert await deliver_pending(sender(harness)) == 0  # nothing twice


async def test_restriction_and_restoration_notices(harness) -> None:
    await issue_with_payers(harness)
    billing = harness.container.billing
    await deliver_pending(sender(harness))
    report = await billing.run_daily(date(2026, 11, 14))
    assert report.notices >= 1
    await deliver_pending(sender(harness))
    restricted = [text for text in notices_in(harness, IVANOV) if text.startswith("⚠️")]
    assert len(restricted) == 2  # his own and his son's, each naming the person and the invoice
    assert restricted[0].startswith("⚠️ С 14.11.2026 доступ ограничен — Иванов Иван: клиники по франшизе недоступны")
    assert "(2026/10/1)" in restricted[0]
    assert "Иванов Пётр" in restricted[1] and "(2026/10/3)" in restricted[1]

    async with harness.engine.begin() as conn:  # settled (the payments issue will do this)
        await conn.execute(
            update(Invoice).where(Invoice.number.in_(["2026/10/1", "2026/10/3", "2026/10/4"])).values(status="paid")
        )
    await billing.run_daily(date(2026, 11, 15))
    await deliver_pending(sender(harness))
    restored = [text for text in notices_in(harness, IVANOV) if text.startswith("✅")]
    assert len(restored) == 2 and restored[0].startswith("✅ С 15.11.2026 доступ восстановлен — Иванов Иван")


async def test_retry_after_is_honoured_and_the_message_arrives_once(harness) -> None:
    await issue_with_payers(harness)
    emulator = harness.emulator
    emulator.set_flood_limits(per_chat_per_second=1.0, global_per_second=None, burst=1)
    running = sender(harness)  # no pacing of its own: Telegram's 429 is what slows it down
    loop = asyncio.get_running_loop()
    started = loop.time()
    running.start()
    try:
        await emulator.wait_for_messages(IVANOV, 1 + 3, timeout=15)  # /menu's answer + 3 notices
        await emulator.wait_for_messages(SHMOLINA, 1 + 1, timeout=15)
        for _ in range(100):
            if not await harness.container.outbox.pending():
                break
            await asyncio.sleep(0.05)
    finally:
        await running.stop()
    assert loop.time() - started >= 2.0  # three to one chat at one a second: it waited as told
    assert len(notices_in(harness, IVANOV)) == 3 and len(notices_in(harness, SHMOLINA)) == 1
    rows = await outbox(harness)
    assert all(row.sent_at is not None for row in rows)
    assert all(row.attempts == 0 for row in rows)  # a RetryAfter is no failed attempt


async def test_a_blocked_users_notices_are_given_up_and_kept(harness) -> None:
    await issue_with_payers(harness)
    harness.emulator.block(IVANOV)
    assert await deliver_pending(sender(harness)) == 1  # Шмолина's only
    rows = await outbox(harness)
    ivanov = [row for row in rows if row.telegram_id == IVANOV]
    assert len(ivanov) == 3
    assert all(row.sent_at is None and row.failed_at is not None and row.attempts == 1 for row in ivanov)
    assert await harness.container.outbox.pending() == []  # not retried
    harness.emulator.unblock(IVANOV)
    assert await deliver_pending(sender(harness)) == 0
    assert notices_in(harness, IVANOV) == []


async def test_repeated_failures_back_off_and_give_up(harness) -> None:
    await import_samples(harness.engine)
    await register(harness.engine, IVANOV, "123/14")
    await harness.container.billing.issue_from_bills(SAMPLE_DATA / "bills.csv", ISSUED_ON)
    service = harness.container.outbox
    first = (await service.pending())[0]
    for attempt in range(1, MAX_ATTEMPTS):
        assert await service.mark_failed(first.id) is False
        assert first.id not in [n.id for n in await service.pending()]  # backing off
        async with harness.engine.begin() as conn:  # the back-off has passed
            await conn.execute(update(OutboxMessage).where(OutboxMessage.id == first.id).values(not_before=None))
        assert (await service.pending())[0].attempts == attempt
    assert await service.mark_failed(first.id) is True
    row = next(row for row in await outbox(harness) if row.id == first.id)
    assert row.attempts == MAX_ATTEMPTS and row.failed_at is not None and row.sent_at is None
    assert first.id not in [n.id for n in await service.pending()]


async def test_two_senders_and_a_restart_deliver_each_row_once(harness) -> None:
    await issue_with_payers(harness)
    one, two = sender(harness), sender(harness)
    one.start()
    one.start()  # a second start while running does nothing
    two.start()
    try:
        await harness.emulator.wait_for_messages(IVANOV, 1 + 3, timeout=10)
        await harness.emulator.wait_for_messages(SHMOLINA, 1 + 1, timeout=10)
        await asyncio.sleep(0.3)  # time for a duplicate to show
    finally:
        await one.stop()
        await two.stop()
    assert not one.running and not two.running
    assert len(notices_in(harness, IVANOV)) == 3 and len(notices_in(harness, SHMOLINA)) == 1

    # New notices after the restart (his, his son's and Шмолина's restriction): only they are sent.
    await harness.container.billing.run_daily(date(2026, 11, 14))
    again = sender(harness)
    again.start()
    try:
        await harness.emulator.wait_for_messages(IVANOV, 1 + 5, timeout=10)
        await harness.emulator.wait_for_messages(SHMOLINA, 1 + 2, timeout=10)
        await asyncio.sleep(0.3)
    finally:
        await again.stop()
    assert len(notices_in(harness, IVANOV)) == 5 and len(notices_in(harness, SHMOLINA)) == 2


async def test_a_sender_killed_after_claiming_loses_nothing(harness) -> None:
    """A process that died between the claim and the send: the row is sent once the claim lapses."""
    await issue_with_payers(harness)
    service = harness.container.outbox
    first = (await service.pending())[0]
    assert await service.claim(first.id)
    assert await service.claim(first.id) is False  # taken
    assert await deliver_pending(sender(harness)) == 3  # the others
    async with harness.engine.begin() as conn:  # the claim lapses
        await conn.execute(update(OutboxMessage).where(OutboxMessage.id == first.id).values(not_before=None))
    assert await deliver_pending(sender(harness)) == 1
    assert len(notices_in(harness, IVANOV)) == 3


async def test_pacing_keeps_a_second_between_messages_to_one_chat(harness) -> None:
    await issue_with_payers(harness)
    harness.emulator.set_flood_limits(per_chat_per_second=1.0, global_per_second=30.0, burst=1)
    # The sender's pace, with a margin for loopback jitter under a loaded machine (a request's trip
    # time varies: two sends a second apart may arrive a little closer than that).
    paced = sender(harness, per_chat=1.2, overall=0.05)
    assert await deliver_pending(paced) == 4  # no 429 met: every send accepted at first try
    assert all(row.attempts == 0 and row.sent_at is not None for row in await outbox(harness))


def test_unknown_person_and_escaping() -> None:
    core = create_i18n_core()
    payload = {"invoice": "2026/10/7", "person_id": 3, "total": 123456, "due_on": "2026-11-13", "status": "new"}
    notice = read_notice("invoice_issued", payload, 1)
    text = render_notice(core, notice, "en", "<b>O'Hara</b>").text
    assert "&lt;b&gt;O&#x27;Hara&lt;/b&gt;" in text and "₽1,234.56" in text and "13 Nov 2026" in text
    anonymous = render_notice(core, notice, "ru", None).text
    assert "застрахованный по вашему полису" in anonymous and f"1{NBSP}234,56{NBSP}₽" in anonymous


async def test_person_ids_are_the_payload_people(harness) -> None:
    await issue_with_payers(harness)
    wife = await person_id(harness.engine, "АМ012345682/13")
    notices = await harness.container.outbox.pending()
    assert [n.person_name for n in notices if n.payload["person_id"] == wife] == ["Иванова Мария"]


async def test_run_delivers_the_outbox_as_a_real_process(emulator, tmp_path: Path) -> None:
    from tests.bot.test_runners import bot_process, clean_env, free_port

    database = f"sqlite+aiosqlite:///{tmp_path}/bot.sqlite3"
    # The database as `run` would find it: migrated, the samples, a registered payer, invoices issued.
    from core.db.engine import create_engine
    from core.db.migrate import upgrade

    await upgrade(database)
    engine = create_engine(database)
    try:
        await import_samples(engine)
        await register(engine, SHMOLINA, "AM012345678/13")
    finally:
        await engine.dispose()
    code = await _import_bills(database, tmp_path)
    assert code == 0
    emulator.deliver(emulator.user_message(_user(SHMOLINA), "/menu"))  # the chat exists

    port = free_port()
    env = clean_env(
        BOT_TOKEN="123:abc",
        TELEGRAM_API_URL=emulator.base_url,
        HTTP_HOST="127.0.0.1",
        HTTP_PORT=str(port),
        DATABASE_URL=database,
        BOT_TODAY="2026-10-01",
    )
    async with bot_process(env, tmp_path, port):
        messages = await emulator.wait_for_messages(SHMOLINA, 2, timeout=20)
    texts = [m.text for m in messages]
    assert sum(text.startswith("🧾 Выставлен счёт № 2026/10/") for text in texts) == 1, texts
    engine = create_engine(database)
    try:
        async with engine.connect() as conn:
            assert await conn.scalar(select(OutboxMessage.sent_at).where(OutboxMessage.telegram_id == SHMOLINA))
    finally:
        await engine.dispose()


def _user(telegram_id: int):
    from emulators.telegram import TgUser

    return TgUser(id=telegram_id, first_name="Анна", language_code="ru")


async def _import_bills(database: str, cwd: Path) -> int:
    from tests.bot.test_runners import clean_env, run_cli

    code, _, err = await run_cli(
        "import",
        "bills",
        str(SAMPLE_DATA / "bills.csv"),
        "--issued-on",
        "2026-10-01",
        env=clean_env(DATABASE_URL=database, BOT_TODAY="2026-10-01"),
        cwd=cwd,
    )
    assert "Traceback" not in err, err
    return 0 if code in (0, 1) else code
