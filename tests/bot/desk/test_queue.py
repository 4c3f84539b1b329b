"""The desk's queue end to end through the emulated Telegram, on SQLite and on PostgreSQL + Redis: a
question asked before registration answered from /queue and the answer delivered (marked as from support,
in the asker's language), the user's reply reopening it; a dispute accepted by staff reaching the user and
crediting the invoice; one taker per item (in the chat, and two takes racing); a late dispute told to
every staff member, those granted in the bot too, and marked in the queue; non-staff refused."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, select

from bot.callbacks.desk_queue import QueueActCb, QueueCb, QueueItemCb
from bot.outbox_sender import OutboxSender
from core.actors import Role
from core.calendar import Clock
from core.db.models import Account, Invoice, OutboxMessage, Payment, Refund, UserRequest
from core.desk.queue import ItemAction, ItemKind
from core.services.viewers import Viewer
from tests.bot.cabinet_fixtures import IVANOV, cabinet_chat, import_samples, person_id
from tests.bot.desk.helpers import ADMIN, STALE_RU, SUPPORT, UNKNOWN_RU, audit_rows
from tests.bot.outbox_pass import deliver_pending
from tests.bot.test_invoices import invoice_id, issue_samples
from tests.roots import container

STRANGER = 7001
GRANTED = 7777  # a support member granted in the bot


@pytest.fixture(params=["sqlite", "postgres"])
def any_harness(request):
    """The harness on SQLite with memory FSM, or on PostgreSQL with Redis."""
    return request.getfixturevalue("harness" if request.param == "sqlite" else "harness_pg_redis")


@pytest.fixture
async def moved_pg_harness(emulator, sms_gateway, smtp_sink, postgres_url: str, redis_url: str, moments):
    """`moved_harness` on PostgreSQL with Redis."""
    from tests.harness import BotHarness

    h = await BotHarness.start(
        emulator, sms_gateway, smtp_sink, postgres_url, redis_url=redis_url, now=lambda: moments[-1]
    )
    yield h
    await h.close()


@pytest.fixture(params=["sqlite", "postgres"])
def any_moved_harness(request):
    """A harness on a clock the test moves (`moments`), on SQLite or on PostgreSQL with Redis."""
    return request.getfixturevalue("moved_harness" if request.param == "sqlite" else "moved_pg_harness")


async def staff_started(h, *staff_ids: int) -> None:
    """Telegram lets a bot write only to those who started it: staff members have sent /admin once."""
    for staff_id in staff_ids or (ADMIN, SUPPORT):
        await h.chat(staff_id).send("/admin")


async def deliver(h) -> int:
    sender = OutboxSender(h.bot, h.container.outbox, h.i18n, idle=0.05, per_chat=0.0, overall=0.0)
    return await deliver_pending(sender)


def last_notice(h, chat_id: int, part: str):
    for message in reversed(h.emulator.messages(chat_id)):
        if part in message.text:
            return message
    raise AssertionError(f"no message with {part!r} in chat {chat_id}: {h.emulator.transcript(chat_id)}")


async def test_a_question_before_registration_is_answered_and_a_reply_reopens_it(any_harness) -> None:
    h = any_harness
    await staff_started(h)
    stranger = h.chat(STRANGER, language_code="en")
    await stranger.send("/help")
    await stranger.press("Write to support")
    assert "No. 1" in (await stranger.send("The bot cannot find my policy <123/14>"))[0].text
    await deliver(h)
    told = last_notice(h, SUPPORT, "вопрос в поддержку № 1")
    assert "новый элемент" in told.text and told.button("Открыть в очереди")
    assert last_notice(h, ADMIN, "вопрос в поддержку № 1")  # every staff member; no language chosen: ru

    staff = h.chat(SUPPORT)
    queue = (await staff.send("/queue"))[0]
    assert "Очередь</b> — Все: 1" in queue.html
    assert "Вопрос № 1" in queue.text and "не зарегистрирован" in queue.text and "ждёт" in queue.text
    item = (await staff.press("✉️ № 1", queue))[0]
    assert "&lt;123/14&gt;" in item.html and "Никто не взял" in item.text
    assert "Карточка" not in str(item.buttons())  # nobody's record: not registered
    item = (await staff.press("Взять", item))[0]
    assert "Вы взяли этот элемент" in item.text and "Взял 9002" in item.text

    # The admin, in English, sees who took it and may take it over, not answer
    admin = h.chat(ADMIN, language_code="en")
    seen = (await admin.press("Открыть в очереди", last_notice(h, ADMIN, "вопрос в поддержку № 1")))[0]
    assert "Taken by 9002" in seen.text
    assert [b["text"] for b in seen.buttons()] == ["Take over from 9002", "« Back to the queue"]

    prompt = (await staff.press("Ответить", item))[0]
    assert "Напишите ответ на № 1" in prompt.text
    assert "Текст пустой" in (await staff.send("\u200b"))[0].text  # what was wrong, and the dialog stays
    preview = (await staff.send("Проверьте номер <полиса>: он на карте."))[0]
    assert "Проверьте номер &lt;полиса&gt;" in preview.html
    done = (await staff.press("Отправить ответ", preview))[0]
    assert "Ответ отправлен пользователю" in done.text and "Закрыто" in done.text
    await deliver(h)
    answer = last_notice(h, STRANGER, "Answer from support")
    assert "to No. 1 (Question to support)" in answer.text  # the asker's language (English)
    assert "Проверьте номер &lt;полиса&gt;: он на карте." in answer.html

    reply_prompt = (await stranger.press("Reply", answer))[0]
    assert "Write your reply to support on No. 1" in reply_prompt.text
    assert "passed to support" in (await stranger.send("It is 123/14, the card says so"))[0].text
    assert (await stranger.press_forged(answer, answer.button("Reply")["callback_data"]))["show_alert"]
    async with h.engine.connect() as conn:
        assert await conn.scalar(select(UserRequest.status)) == "new"
    await deliver(h)
    assert "пользователь ответил" in last_notice(h, SUPPORT, "снова открыт").text
    queue = (await staff.send("/queue"))[0]
    assert "ответил на ответ" in queue.text and "Взял" not in queue.text  # back for anyone to take
    item = (await staff.press("✉️ № 1", queue))[0]
    assert "поддержка" in item.text and "It is 123/14, the card says so" in item.text
    actions = [row[0] for row in await audit_rows(h, "desk.taken", "request.answered", "request.replied")]
    assert actions == ["desk.taken", "request.answered", "request.replied"]


async def test_a_dispute_accepted_by_staff_reaches_the_user_and_credits_the_invoice(any_harness) -> None:
    h = any_harness
    await issue_samples(h)
    user = await cabinet_chat(h, IVANOV)
    await user.send("/menu")
    own = await invoice_id(h, "2026/10/1")
    viewer = Viewer(telegram_id=IVANOV, account_id=None, person_id=await person_id(h.engine, "123/14"))
    opened = await h.container.disputes.open(viewer, own, "B-0003", "Приёма не было")
    assert opened.refusal is None
    dispute_id = opened.dispute.dispute_id

    staff = h.chat(ADMIN, language_code="en")
    queue = (await staff.send("/queue"))[0]
    disputes = (await staff.press("Disputes", queue))[0]
    assert "• Disputes" in str(disputes.buttons())
    assert f"Dispute No. {dispute_id} · invoice 2026/10/1" in disputes.text
    assert "Иванов И. И." in disputes.text and "Иван Иванович" not in disputes.text  # masked
    assert "answer due 6 Dec 2026" in disputes.text
    item = (await staff.press(f"⚖️ № {dispute_id}", disputes))[0]
    assert "Приёма не было" in item.text and "The person's record" in str(item.buttons())
    record = (await staff.press("The person's record", item))[0]
    assert "Иванов Иван Иванович" in record.text  # the record of /find, in full
    record = (await staff.press("Invoices and payments", record))[0]  # another tab keeps the way back
    assert "« Back to the list" not in str(record.buttons())
    item = (await staff.press("« Back to the queue item", record))[0]  # to the item, not to /find's list
    assert "Приёма не было" in item.text and f"Dispute No. {dispute_id}" in item.text
    item = (await staff.press("Take", item))[0]
    prompt = (await staff.press("Accept the dispute", item))[0]
    assert "will be accepted" in prompt.text
    preview = (await staff.send("Визит не подтверждён клиникой"))[0]
    done = (await staff.press("Accept the dispute", preview))[0]
    assert "The dispute is accepted" in done.text and "Closed" in done.text
    async with h.engine.connect() as conn:
        invoice = (await conn.execute(select(Invoice).where(Invoice.id == own))).one()
    # The line's co-pay credited; its due date (13.11) moved by the days held (none) has passed: overdue
    assert (invoice.status, invoice.credited_kopecks) == ("overdue", 40)
    await deliver(h)
    told = last_notice(h, IVANOV, "2026/10/1").text
    assert "решён в вашу пользу" in told and "уже прошёл" in told
    details = (await user.press("📄 2026/10/1", (await user.send("/invoices"))[0]))[0]
    assert "Визит не подтверждён клиникой" in details.text
    assert (await audit_rows(h, "dispute.answered"))[0][1] == ADMIN


async def test_two_staff_members_cannot_both_take_one_item(any_harness) -> None:
    h = any_harness
    stranger = h.chat(STRANGER)
    await stranger.send("/help")
    await stranger.press("Написать в поддержку")
    await stranger.send("Первый вопрос")
    await stranger.send("/help")
    await stranger.press("Написать в поддержку")
    await stranger.send("Второй вопрос")
    support, admin = h.chat(SUPPORT), h.chat(ADMIN)
    seen_by_admin = (await admin.press("✉️ № 1", (await admin.send("/queue"))[0]))[0]
    item = (await support.press("✉️ № 1", (await support.send("/queue"))[0]))[0]
    assert "Вы взяли" in (await support.press("Взять", item))[0].text
    late = (await admin.press("Взять", seen_by_admin))[0]  # his screen was older
    assert "элемент уже взял другой сотрудник" in late.text and "Взял 9002" in late.text
    over = (await admin.press("Перехватить у 9002", late))[0]
    assert "теперь он ваш" in over.text
    assert (await audit_rows(h, "desk.taken_over"))[0][4] == {"from": SUPPORT}
    # The support member's old screen: answering is refused now
    refused = (await support.press("Ответить", item))[0]
    assert "Сначала возьмите элемент" in refused.text or "Перехватить" in str(refused.buttons())

    # Two takes at once: one wins
    queue = h.container.queue
    results = await asyncio.gather(
        queue.act(SUPPORT, ItemKind.QUESTION, 2, ItemAction.TAKE),
        queue.act(ADMIN, ItemKind.QUESTION, 2, ItemAction.TAKE),
    )
    assert sorted(r.done for r in results) == [False, True]
    loser = next(r for r in results if not r.done)
    assert loser.reason == "taken" and loser.item.entry.taken is not None
    assert len(await audit_rows(h, "desk.taken")) == 2  # the first chat take and the race's winner


async def test_a_late_dispute_is_told_to_every_staff_member_and_marked_red(
    any_moved_harness, moments: list[datetime]
) -> None:
    h = any_moved_harness
    moments.append(datetime(2026, 11, 21, 9, 0, tzinfo=UTC))  # 12:00 in Moscow: reminders go out
    await issue_samples(h)
    await cabinet_chat(h, IVANOV)
    granted = await h.container.staff_roles.grant(ADMIN, GRANTED, Role.SUPPORT)
    assert granted.done
    await staff_started(h, ADMIN, SUPPORT, GRANTED)
    await h.container.queue.toggle_mute(SUPPORT)  # muted new items: the deadline still reaches her
    son = await invoice_id(h, "2026/10/3")
    viewer = Viewer(telegram_id=IVANOV, account_id=None, person_id=await person_id(h.engine, "123/14"))
    async with container(h.settings, clock=Clock(fixed_today=date(2026, 11, 1))) as earlier:
        dispute = (await earlier.disputes.open(viewer, son, "B-0005", "Не был у педиатра")).dispute
    await deliver(h)
    assert "новый элемент" not in h.emulator.transcript(SUPPORT)  # muted
    assert "новый элемент" in last_notice(h, GRANTED, f"№ {dispute.dispute_id}").text

    report = await h.container.reminders.run()
    assert report.disputes == 1
    await deliver(h)
    for staff_id in (ADMIN, SUPPORT, GRANTED):
        told = last_notice(h, staff_id, "просрочено")
        assert f"оспаривание № {dispute.dispute_id} по счёту № 2026/10/3" in told.text
        item = (await h.chat(staff_id).press("Открыть в очереди", told))[0]
        assert "🔴 просрочен" in item.text and "Ответить до: 16.11.2026" in item.text
    queue = (await h.chat(GRANTED).send("/queue"))[0]
    assert "🔴 просрочен" in queue.text and queue.button("🔴")
    async with h.engine.connect() as conn:
        kinds = list(await conn.scalars(select(OutboxMessage.kind).where(OutboxMessage.telegram_id == SUPPORT)))
    assert kinds == ["dispute_deadline"]


async def test_non_staff_get_the_unknown_answer_and_the_stale_alert(harness) -> None:
    user = harness.chat(STRANGER)
    assert (await user.send("/queue"))[0].text == UNKNOWN_RU
    await user.send("/help")
    await user.press("Написать в поддержку")
    message = (await user.send("Вопрос"))[0]
    for data in (
        QueueCb().pack(),
        QueueItemCb(kind=ItemKind.QUESTION, item_id=1).pack(),
        QueueActCb(kind=ItemKind.QUESTION, item_id=1, action=ItemAction.TAKE).pack(),
    ):
        answer = await user.press_forged(message, data)
        assert answer["show_alert"] is True and answer["text"] == STALE_RU, data
    async with harness.engine.connect() as conn:
        assert await conn.scalar(select(UserRequest.status)) == "new"
    # Both staff roles work the queue (the table gives both the answers); each sees /queue in /admin
    for staff_id in (SUPPORT, ADMIN):
        assert "/queue" in (await harness.chat(staff_id).send("/admin"))[0].text
    # A role granted and revoked in the bot: the unknown answer again
    await harness.container.staff_roles.grant(ADMIN, GRANTED, Role.SUPPORT)
    granted = harness.chat(GRANTED)
    assert "Очередь" in (await granted.send("/queue"))[0].text
    await harness.container.staff_roles.revoke(ADMIN, GRANTED)
    assert (await granted.send("/queue"))[0].text == UNKNOWN_RU


async def test_cancel_drops_a_pending_answer_and_says_so(any_harness) -> None:
    h = any_harness
    stranger = h.chat(STRANGER)
    await stranger.send("/help")
    await stranger.press("Написать в поддержку")
    await stranger.send("Где мой полис?")
    staff = h.chat(SUPPORT)
    item = (await staff.press("Взять", (await staff.press("✉️ № 1", (await staff.send("/queue"))[0]))[0]))[0]
    await staff.press("Ответить", item)
    assert (await staff.send("/cancel"))[0].text == "Отменено: ответ на № 1 не отправлен."
    stray = (await staff.send("Полис у работодателя"))[0]  # no longer the answer's text
    assert "Отправить ответ" not in str(stray.buttons())
    assert (await staff.send("/cancel"))[0].text != "Отменено: ответ на № 1 не отправлен."
    english = h.chat(ADMIN, language_code="en")
    item = (
        await english.press("Take over from 9002", (await english.press("✉️ № 1", (await english.send("/queue"))[0]))[0])
    )[0]
    await english.press("Answer", item)
    assert (await english.send("/cancel"))[0].text == "Cancelled: the answer to No. 1 was not sent."
    await deliver(h)
    assert "Полис у работодателя" not in h.emulator.transcript(STRANGER)
    async with h.engine.connect() as conn:
        assert await conn.scalar(select(UserRequest.status)) == "new"


async def test_a_request_is_closed_without_an_answer_from_the_queue(any_harness) -> None:
    h = any_harness
    stranger = h.chat(STRANGER)
    await stranger.send("/help")
    await stranger.press("Написать в поддержку")
    await stranger.send("Перезвоните мне")
    staff = h.chat(SUPPORT, language_code="en")
    item = (await staff.press("✉️ № 1", (await staff.send("/queue"))[0]))[0]
    assert "Close without an answer" not in str(item.buttons())  # take it first
    item = (await staff.press("Take", item))[0]
    done = (await staff.press("Close without an answer", item))[0]
    assert "Closed without an answer" in done.text and "Closed." in done.text
    assert "The queue is empty" in (await staff.send("/queue"))[0].text
    async with h.engine.connect() as conn:
        assert await conn.scalar(select(UserRequest.status)) == "closed"
    assert [(r[0], r[1], r[2]) for r in await audit_rows(h, "desk.closed")] == [("desk.closed", SUPPORT, "question")]


async def test_an_answer_leaves_the_staff_members_own_dialog_alone(harness) -> None:
    from aiogram.fsm.storage.base import StorageKey

    from tests.bot.test_registration import by_policy

    h = harness
    await import_samples(h.engine)
    stranger = h.chat(STRANGER)
    await stranger.send("/help")
    await stranger.press("Написать в поддержку")
    await stranger.send("Где мой полис?")
    staff = h.chat(SUPPORT)
    await by_policy(staff, "AM012345678/13", "Шмолина", "Елена", "Вениаминовна", "02.07.1979")
    own = StorageKey(bot_id=h.bot.id, chat_id=SUPPORT, user_id=SUPPORT)
    before = await h.dp.storage.get_state(own), await h.dp.storage.get_data(own)
    assert before[0] is not None
    item = (await staff.press("✉️ № 1", (await staff.send("/queue"))[0]))[0]
    item = (await staff.press("Взять", item))[0]
    await staff.press("Ответить", item)
    preview = (await staff.send("Полис у вашего работодателя"))[0]
    await staff.press("Отмена", preview)  # dropped: nothing sent
    assert (await h.dp.storage.get_state(own), await h.dp.storage.get_data(own)) == before
    async with h.engine.connect() as conn:
        assert await conn.scalar(select(UserRequest.status)) == "new"
    await staff.press("Ответить", (await staff.press("✉️ № 1", (await staff.send("/queue"))[0]))[0])
    await staff.send("Полис у вашего работодателя")
    assert "Ответ отправлен" in (await staff.press("Отправить ответ"))[0].text
    assert (await h.dp.storage.get_state(own), await h.dp.storage.get_data(own)) == before
    async with h.engine.connect() as conn:
        assert await conn.scalar(select(UserRequest.status)) == "answered"


async def test_a_payment_anomaly_shows_its_payment_and_is_set_aside(harness) -> None:
    h = harness
    await import_samples(h.engine)
    payer = await person_id(h.engine, "123/14")
    now = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
    async with h.engine.begin() as conn:
        await conn.execute(
            insert(Payment).values(
                idempotence_key="k" * 32,
                invoice_set="s" * 32,
                attempt=1,
                payer_person_id=payer,
                telegram_id=IVANOV,
                amount_kopecks=150000,
                status="succeeded",
                provider_id="2ff1d1c5-000f-5000-8000-1a2b3c4d5e6f",
                created_at=now,
                updated_at=now,
                anomaly="amount_mismatch",
            )
        )
    staff = h.chat(SUPPORT, language_code="en")
    queue = (await staff.send("/queue"))[0]
    assert "Payment No. 1 · amount_mismatch" in queue.text and "Иванов И. И." in queue.text
    item = (await staff.press("⚠️ № 1", queue))[0]
    assert "YooKassa 2ff1d1c5-000f-5000-8000-1a2b3c4d5e6f" in item.text and "1,500.00" in item.text
    assert "The person's record" in str(item.buttons())
    item = (await staff.press("Take", item))[0]
    done = (await staff.press("Checked", item))[0]
    assert "Marked as checked" in done.text
    assert "The queue is empty" in (await staff.send("/queue"))[0].text
    assert len(await audit_rows(h, "anomaly.checked")) == 1


async def test_a_refund_anomaly_is_in_the_queue_with_the_payment_anomalies(any_harness) -> None:
    h = any_harness
    await import_samples(h.engine)
    payer = await person_id(h.engine, "123/14")
    now = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
    payment = {
        "invoice_set": "s" * 32,
        "attempt": 1,
        "payer_person_id": payer,
        "telegram_id": IVANOV,
        "status": "succeeded",
        "created_at": now,
        "updated_at": now,
    }
    async with h.engine.begin() as conn:
        await conn.execute(
            insert(Payment).values(idempotence_key="a" * 32, amount_kopecks=90000, anomaly="amount_mismatch", **payment)
        )
        refunded = (
            await conn.execute(
                insert(Payment).values(
                    idempotence_key="b" * 32, amount_kopecks=150000, provider_id="2ff1d1c5-0002", **payment
                )
            )
        ).inserted_primary_key[0]
        await conn.execute(
            insert(Refund).values(
                payment_id=refunded,
                idempotence_key="r" * 32,
                provider_id=None,
                amount_kopecks=50000,
                reason="requested",
                status="pending",
                created_at=now,
                updated_at=datetime(2026, 11, 21, 9, 0, tzinfo=UTC),
                anomaly="unknown_after_24h",
            )
        )
    staff = h.chat(SUPPORT, language_code="en")
    queue = (await staff.send("/queue"))[0]
    assert "All: 2" in queue.text
    assert queue.text.index("Payment No. 1 · amount_mismatch") < queue.text.index("Refund No. 1 · unknown_after_24h")
    assert queue.text.count("Иванов И. И.") == 2 and "Иван Иванович" not in queue.text  # masked
    refunds = (await staff.press("Refunds", queue))[0]
    assert "Refunds: 1" in refunds.text and "Payment No." not in refunds.text
    item = (await staff.press("↩️ № 1", refunds))[0]
    assert "Refund No. 1, YooKassa —, ₽500.00, status pending, reason: unknown_after_24h" in item.text
    assert f"Payment No. {refunded}, YooKassa 2ff1d1c5-0002, ₽1,500.00" in item.text  # the payment it gives back from
    assert "The person's record" in str(item.buttons())
    item = (await staff.press("Take", item))[0]
    assert [b["text"] for b in item.buttons()][:2] == ["✔️ Checked", "Release"]
    done = (await staff.press("Checked", item))[0]
    assert "Marked as checked" in done.text
    queue = (await staff.send("/queue"))[0]
    assert "All: 1" in queue.text and "Refund No." not in queue.text
    assert [(r[0], r[2], r[3]) for r in await audit_rows(h, "anomaly.checked")] == [("anomaly.checked", "refund", "1")]
    russian = (await h.chat(ADMIN).press("Возвраты", (await h.chat(ADMIN).send("/queue"))[0]))[0]
    assert "Возвраты: 0" in russian.text


async def test_the_queue_is_paged_and_filtered_oldest_first(harness) -> None:
    h = harness
    await import_samples(h.engine)
    ivanov = await person_id(h.engine, "123/14")
    async with h.engine.begin() as conn:
        account = (
            await conn.execute(
                insert(Account).values(telegram_id=IVANOV, insured_person_id=ivanov, created_at=datetime.now(UTC))
            )
        ).inserted_primary_key[0]
        await conn.execute(
            insert(UserRequest),
            [
                {
                    "account_id": account,
                    "person_id": ivanov if n % 2 else None,
                    "kind": "curator" if n % 2 else "support",
                    "status": "new",
                    "text": f"текст {n}",
                    "created_at": datetime(2026, 11, 1 + n, 9, tzinfo=UTC),
                    "updated_at": datetime(2026, 11, 1 + n, 9, tzinfo=UTC),
                }
                for n in range(12)
            ],
        )
    staff = h.chat(ADMIN)
    queue = (await staff.send("/queue"))[0]
    assert "Все: 12" in queue.text and "Страница 1 из 2" in queue.text
    assert queue.text.index("Вопрос № 1") < queue.text.index("Обращение № 2 · Вопрос врачу-куратору")
    assert "ждёт 19 дн." in queue.text or "ждёт 20 дн." in queue.text  # 01.11 09:00 UTC to today
    second = (await staff.press("Дальше", queue))[0]
    assert "Страница 2 из 2" in second.text and "№ 12" in second.text
    questions = (await staff.press("Вопросы", second))[0]
    assert "Вопросы: 6" in questions.text and "Обращение" not in questions.text
    muted = (await staff.press("Не присылать", questions))[0]
    assert "Уведомления о новых элементах выключены" in muted.text and "Вопросы: 6" in muted.text
    assert "Уведомления о новых" not in (await staff.press("Присылать", muted))[0].text
    assert [row[2] for row in await audit_rows(h, "desk.muted")] == [None, None]


async def test_a_late_dispute_rejected_in_english_moves_the_due_date(harness) -> None:
    h = harness
    await issue_samples(h)
    user = await cabinet_chat(h, IVANOV, language_code="en")
    await h.container.accounts.set_language(IVANOV, "en")  # notices follow the language chosen in /language
    await user.send("/menu")
    son = await invoice_id(h, "2026/10/3")
    viewer = Viewer(telegram_id=IVANOV, account_id=None, person_id=await person_id(h.engine, "123/14"))
    async with container(h.settings, clock=Clock(fixed_today=date(2026, 11, 1))) as earlier:
        dispute = (await earlier.disputes.open(viewer, son, "B-0005", "Not at the paediatrician")).dispute
    staff = h.chat(SUPPORT, language_code="en")
    queue = (await staff.send("/queue"))[0]
    assert "answer due 16 Nov 2026 · 🔴 late" in queue.text
    item = (await staff.press(f"⚖️ № {dispute.dispute_id}", queue))[0]
    assert "Answer by: 16 Nov 2026 🔴 late" in item.text and "Not at the paediatrician" in item.text
    assert "Reject" not in str(item.buttons())  # take it first
    item = (await staff.press("Take", item))[0]
    await staff.press("Reject the dispute", item)
    too_long = (await staff.send("x" * 2001))[0]
    assert "Too long" in too_long.text or "too long" in too_long.text
    preview = (await staff.send("The visit is confirmed by the clinic"))[0]
    assert "Reject dispute No." in preview.text
    done = (await staff.press("Reject the dispute", preview))[0]
    assert "The dispute is rejected" in done.text
    async with h.engine.connect() as conn:
        invoice = (await conn.execute(select(Invoice).where(Invoice.id == son))).one()
    assert (invoice.status, invoice.due_on) == ("new", date(2026, 12, 3))  # 13.11 + 20 days held
    await deliver(h)
    assert "rejected" in last_notice(h, IVANOV, "2026/10/3").text
    assert "The queue is empty" in (await staff.send("/queue"))[0].text


async def test_moments_read_as_the_operators_clock(moved_harness, moments) -> None:
    """Stored in UTC, shown as Moscow's clock shows them: 23:30 UTC is 02:30 of the next day there."""
    h = moved_harness
    moments.append(datetime(2026, 11, 25, 23, 30, tzinfo=UTC))  # 02:30 in Moscow (the clock keeps BOT_TODAY)
    today = h.container.clock.today().strftime("%d.%m.%Y")
    stranger = h.chat(STRANGER)
    await stranger.send("/help")
    await stranger.press("Написать в поддержку")
    await stranger.send("Не могу найти свой полис")
    staff = h.chat(SUPPORT)
    item = (await staff.press("✉️ № 1", (await staff.send("/queue"))[0]))[0]
    item = (await staff.press("Взять", item))[0]
    assert f"Поступило: {today} 02:30" in item.text and f"Взял 9002 в {today} 02:30" in item.text
    async with h.engine.connect() as conn:
        asked = await conn.scalar(select(UserRequest.created_at))
    assert (asked.hour, asked.minute) == (23, 30)  # the row keeps UTC
