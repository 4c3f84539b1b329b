"""/broadcast end to end, on SQLite and on PostgreSQL with Redis: an admin writes a message, picks a
button and a segment, sees the sample and the count, sends it; the outbox sender delivers it to the
segment's people whose news is on (no one else), the admin gets the report; Stop drops what was not sent;
nothing goes out at night; support and users cannot broadcast, their forged buttons get the stale alert;
both languages. The people are written straight to the database (`broadcast_fixtures`)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.callbacks.desk_broadcasts import BroadcastRunCb, RunAction
from core.db.models import Broadcast, OutboxMessage
from tests.bot.desk.broadcast_fixtures import FIRST_CHAT, add_people
from tests.bot.desk.helpers import ADMIN, STALE_RU, SUPPORT, UNKNOWN_RU, audit_rows
from tests.bot.desk.test_queue import staff_started
from tests.bot.outbox_pass import deliver_pending
from tests.bot.test_outbox_delivery import make_sender, open_chats
from tests.harness import TODAY

NOON = datetime(TODAY.year, TODAY.month, TODAY.day, 9, 0, tzinfo=UTC)  # 12:00 in Moscow: within 9-21
NIGHT = datetime(TODAY.year, TODAY.month, TODAY.day, 20, 0, tzinfo=UTC)  # 23:00 in Moscow
TEXT = "Список клиник обновлён <b>не жирный</b> & ещё"


@pytest.fixture
def moments() -> list[datetime]:
    return [NOON]


@pytest.fixture(params=["sqlite", "postgres"])
def any_moved_harness(request):
    return request.getfixturevalue("moved_harness" if request.param == "sqlite" else "moved_pg_harness")


@pytest.fixture
async def moved_pg_harness(emulator, sms_gateway, smtp_sink, postgres_url: str, redis_url: str, moments):
    from tests.harness import BotHarness

    h = await BotHarness.start(
        emulator, sms_gateway, smtp_sink, postgres_url, redis_url=redis_url, now=lambda: moments[-1]
    )
    yield h
    await h.close()


def got(h, chat: int) -> list[str]:
    return [m.text for m in h.emulator.messages(chat) if not m.deleted]


async def broadcast_rows(h) -> int:
    async with h.engine.connect() as conn:
        return await conn.scalar(select(func.count()).where(OutboxMessage.broadcast_id.is_not(None)))


async def start_broadcast(admin, *, segment: str, value: str | None = None, button: str = "Без кнопки") -> None:
    """The admin's dialog up to the preview (Russian)."""
    assert "Напишите сообщение" in (await admin.send("/broadcast"))[0].text
    assert "Добавить кнопку" in (await admin.send(TEXT))[0].text
    assert "Кому отправить?" in (await admin.press(button))[0].text
    answer = await admin.press(segment)
    if value is not None:
        assert "в точности как в реестре" in answer[0].text
        await admin.send(value)


async def test_an_admin_broadcasts_to_one_contract_with_a_button(any_moved_harness) -> None:
    h = any_moved_harness
    await staff_started(h, ADMIN)
    on = [FIRST_CHAT + n for n in range(5)]
    off = [FIRST_CHAT + 10, FIRST_CHAT + 11]
    unset = [FIRST_CHAT + 12]
    other = [FIRST_CHAT + 20, FIRST_CHAT + 21]
    await add_people(h.engine, on)
    await add_people(h.engine, off, news=False)
    await add_people(h.engine, unset, news=None)
    await add_people(h.engine, other, contract="C-2")
    open_chats(h.emulator, on + off + unset + other)
    admin = h.chat(ADMIN)

    await start_broadcast(admin, segment="Одному договору", value="C-1", button="Мои счета")
    sample, preview = admin.emulator.messages(ADMIN)[-2:]
    assert sample.text == TEXT  # exactly as typed: plain text, nothing parsed
    assert [b["text"] for b in sample.buttons()] == ["🧾 Мои счета"]
    assert "Одному договору: C-1" in preview.text and "Получателей сейчас (с включёнными новостями): 5" in preview.text
    assert "с 9:00 до 21:00" in preview.text
    assert await broadcast_rows(h) == 0  # nothing before Send

    progress = (await admin.press("Отправить: 5"))[-1]
    assert "Рассылка № 1: идёт" in progress.text and "Получателей: 5. Доставлено: 0" in progress.text
    assert await broadcast_rows(h) == 5
    [(_, actor, kind, key, details)] = await audit_rows(h, "broadcast.started")
    assert (actor, kind, key, details["segment"], details["recipients"]) == (ADMIN, "broadcast", "1", "contract", 5)

    sender = make_sender(h)
    assert await deliver_pending(sender) == 5
    for chat in on:
        assert got(h, chat) == [TEXT]
        [message] = h.emulator.messages(chat)
        assert [b["text"] for b in message.buttons()] == ["🧾 Мои счета"]
    for chat in off + unset + other:
        assert got(h, chat) == ["/start"] or got(h, chat) == []
    assert await deliver_pending(sender) == 1  # the report, to the admin
    report = admin.emulator.messages(ADMIN)[-1].text
    assert "Рассылка № 1 завершена." in report and "Доставлено: 5" in report and "Заблокировали бота: 0" in report
    refreshed = (await admin.press("Обновить", progress))[-1]
    assert "Рассылка № 1: завершена" in refreshed.text and "Доставлено: 5" in refreshed.text
    assert not refreshed.buttons()
    assert [row[0] for row in await audit_rows(h, "broadcast.done")] == ["broadcast.done"]


async def test_a_stopped_broadcast_sends_nothing_more(any_moved_harness) -> None:
    h = any_moved_harness
    await staff_started(h, ADMIN)
    people = [FIRST_CHAT + n for n in range(40)]
    await add_people(h.engine, people)
    open_chats(h.emulator, people)
    admin = h.chat(ADMIN)
    await start_broadcast(admin, segment="Всем зарегистрированным")
    progress = (await admin.press("Отправить: 40"))[-1]

    sender = make_sender(h, batch=10)
    assert await deliver_pending(sender) == 10
    stopped = (await admin.press("Остановить", progress))[-1]
    assert "Рассылка № 1: остановлена" in stopped.text and "Доставлено: 10" in stopped.text
    assert "Отменено остановкой: 30" in stopped.text and not stopped.buttons()
    assert await deliver_pending(sender) == 0
    assert await deliver_pending(make_sender(h)) == 0  # a fresh sender finds nothing either
    assert sum(TEXT in t for chat in people for t in got(h, chat)) == 10
    [(_, actor, _, _, details)] = await audit_rows(h, "broadcast.stopped")
    assert (actor, details["sent"], details["cancelled"]) == (ADMIN, 10, 30)
    async with h.engine.connect() as conn:
        status = await conn.scalar(select(Broadcast.status))
    assert status == "stopped"


async def test_nothing_goes_out_at_night_but_service_notices_do(any_moved_harness, moments) -> None:
    from core.notices import PaymentSucceeded

    h = any_moved_harness
    await staff_started(h, ADMIN)
    people = [FIRST_CHAT + n for n in range(3)]
    await add_people(h.engine, people)
    open_chats(h.emulator, people)
    admin = h.chat(ADMIN)
    await start_broadcast(admin, segment="Всем зарегистрированным")
    await admin.press("Отправить: 3")
    moments.append(NIGHT)
    async with h.container.uow() as uow:
        uow.outbox.add(
            PaymentSucceeded(to=people[0], payment_id=1, amount=5000, invoices=("2026/11/1",), refund=0), NIGHT
        )
        await uow.commit()
    sender = make_sender(h)
    assert await deliver_pending(sender) == 1  # the payment's notice only
    assert not any(TEXT in t for chat in people for t in got(h, chat))
    moments.append(NOON.replace(day=NOON.day + 1))
    assert await deliver_pending(sender) == 3


async def test_support_and_users_cannot_broadcast(any_moved_harness) -> None:
    h = any_moved_harness
    await staff_started(h, ADMIN, SUPPORT)
    support, user = h.chat(SUPPORT), h.chat(FIRST_CHAT + 99)
    assert (await support.send("/broadcast"))[0].text == UNKNOWN_RU
    assert (await user.send("/broadcast"))[0].text == UNKNOWN_RU
    await add_people(h.engine, [FIRST_CHAT + 1])
    admin = h.chat(ADMIN)
    await start_broadcast(admin, segment="Всем зарегистрированным")
    progress = (await admin.press("Отправить: 1"))[-1]
    forged = BroadcastRunCb(broadcast_id=1, action=RunAction.STOP).pack()
    for chat in (support, user):
        shown = (await chat.send("/help"))[-1]
        answer = await chat.press_forged(shown, forged)
        assert answer["text"] == STALE_RU and answer["show_alert"]
    async with h.engine.connect() as conn:
        assert await conn.scalar(select(Broadcast.status)) == "running"
    await admin.press("Обновить", progress)  # the same screen: "nothing has changed"
    [shown] = [m for m in h.emulator.messages(ADMIN) if m.message_id == progress.message_id]
    assert "Рассылка № 1: идёт" in shown.text


async def test_the_dialog_in_english_and_its_checks(any_moved_harness) -> None:
    h = any_moved_harness
    await staff_started(h, ADMIN)
    admin = h.chat(ADMIN, language_code="en")
    await admin.send("/language")  # nothing chosen: English from Telegram's language code
    assert "Type the message" in (await admin.send("/broadcast"))[0].text
    assert "too long" in (await admin.send("x" * 3001))[0].text  # told, and the dialog waits
    assert "Add a button" in (await admin.send("Hello"))[0].text
    await admin.press("No button")
    assert "Type the employer's name" in (await admin.press("One employer"))[0].text
    await admin.send("Nobody Ltd")
    preview = admin.emulator.messages(ADMIN)[-1]
    assert "Recipients now (news turned on): 0" in preview.text and "no one to send it to" in preview.text
    assert [b["text"] for b in preview.buttons()] == ["Cancel"]
    assert "cancelled" in (await admin.press("Cancel"))[0].text
    answer = await admin.press_forged(preview, "dbc:send::")  # the draft is gone: a stale button
    assert answer["show_alert"]


async def test_two_thousand_through_telegrams_flood_limits_once_each_and_a_payment_goes_first(
    any_moved_harness,
) -> None:
    """Telegram's limits at ten times their speed (300 sends a second, a chat one every 0.1 s after a burst
    of three) and the sender paced to match: every recipient gets the broadcast once, those who blocked the
    bot are counted, and a payment's notice written while it runs overtakes the broadcast rows still waiting."""
    from core.notices import PaymentSucceeded

    h = any_moved_harness
    await staff_started(h, ADMIN)
    people = [FIRST_CHAT + n for n in range(2000)]
    blocked = [FIRST_CHAT + 5000 + n for n in range(3)]
    payer = FIRST_CHAT + 9000
    await add_people(h.engine, people + blocked)
    open_chats(h.emulator, [*people, *blocked, payer])
    for chat in blocked:
        h.emulator.block(chat)
    arrivals: list[int] = []  # chat of each message the recipients got, in order
    h.emulator.on_change.append(lambda message, change: change == "new" and arrivals.append(message.chat_id))
    admin = h.chat(ADMIN)
    await start_broadcast(admin, segment="Всем зарегистрированным")
    await admin.press("Отправить: 2\xa0003")

    h.emulator.set_flood_limits(per_chat_per_second=10.0, global_per_second=300.0, burst=3)
    sender = make_sender(h, overall=1 / 290, per_chat=0.1)
    loop = asyncio.get_running_loop()
    started = loop.time()
    sender.start()
    try:
        while len(arrivals) < 300:
            assert loop.time() - started < 60, len(arrivals)
            await asyncio.sleep(0.01)
        async with h.container.uow() as uow:
            notice = PaymentSucceeded(to=payer, payment_id=1, amount=5000, invoices=("2026/11/1",), refund=0)
            uow.outbox.add(notice, h.container.clock.now())
            await uow.commit()
        queued_after = len(arrivals)
        while not any("Рассылка № 1 завершена" in t for t in got(h, ADMIN)):
            assert loop.time() - started < 120, len(arrivals)
            await asyncio.sleep(0.05)
    finally:
        await sender.stop()

    broadcasts = [chat for chat in arrivals if FIRST_CHAT <= chat < payer]
    assert sorted(broadcasts) == people  # every one, once
    overtaken = arrivals.index(payer) - queued_after
    # Overtaken by the sends a sender already had in hand (claimed, in flight, dispatched while its next read
    # of the outbox was under way), never by the rest: 1,700 broadcast rows were still waiting.
    assert 0 <= overtaken <= 100, overtaken
    assert arrivals.index(payer) < len(arrivals) - 1000
    report = got(h, ADMIN)[-1]
    assert (
        "Доставлено: 2\xa0000" in report and "Заблокировали бота: 3" in report and "Не удалось отправить: 0" in report
    )
    assert h.emulator.flood_stats().ignored == 0


async def test_each_segment_counts_the_people_it_names(any_moved_harness) -> None:
    """Everyone (news on, not blocked by the desk), one contract, one employer, the payers of an unpaid
    invoice, the policies ending this month (TODAY is in November 2026); support may not even count."""
    from datetime import date

    from sqlalchemy import insert

    from core.actors import Forbidden
    from core.db.models import BlockedUser, Invoice
    from core.desk.broadcasts import Segment
    from core.services.broadcasts import Draft

    h = any_moved_harness
    a, b, c, d, e, f = (FIRST_CHAT + n for n in range(6))
    await add_people(h.engine, [a, d], contract="C-1", employer="ООО Ромашка")
    await add_people(h.engine, [b], contract="C-2", employer="АО Лютик", valid_to=date(2026, 11, 30))
    await add_people(h.engine, [c], contract="C-2", employer="АО Лютик", valid_to=date(2026, 12, 31))
    await add_people(h.engine, [e], news=False)
    await add_people(h.engine, [f])
    person = {chat: chat - FIRST_CHAT + 1_000_000 for chat in (a, b, c, d, e, f)}
    at = datetime(2026, 11, 1, tzinfo=UTC)

    def invoice(n: int, chat: int, status: str) -> dict:
        return {
            "number": f"2026/11/{n}",
            "month": "2026/11",
            "sequence": n,
            "person_id": person[chat],
            "payer_person_id": person[chat],
            "issued_on": date(2026, 11, 1),
            "due_on": date(2026, 12, 1),
            "copay_kopecks": 100,
            "status": status,
            "created_at": at,
            "updated_at": at,
        }

    async with h.engine.begin() as conn:
        await conn.execute(insert(Invoice), [invoice(1, c, "new"), invoice(2, d, "paid"), invoice(3, e, "overdue")])
        await conn.execute(insert(BlockedUser), [{"telegram_id": f, "blocked_at": at, "blocked_by": ADMIN}])

    async def count(segment: Segment, value: str | None = None) -> int:
        return await h.container.broadcasts.recipients(ADMIN, Draft("x", None, segment, value))

    assert await count(Segment.ALL) == 4  # a, b, c, d: e has news off, f is blocked by the desk
    assert await count(Segment.CONTRACT, "C-1") == 2  # a, d
    assert await count(Segment.EMPLOYER, "АО Лютик") == 2  # b, c
    assert await count(Segment.UNPAID) == 1  # c (d's is paid, e's news is off)
    assert await count(Segment.ENDING) == 1  # b
    with pytest.raises(Forbidden):
        await h.container.broadcasts.recipients(SUPPORT, Draft("x", None, Segment.ALL, None))
