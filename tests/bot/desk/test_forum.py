"""The staff's forum group (STAFF_CHAT_ID) end to end through the emulated Telegram: each new question,
request and dispute opens a topic named with its number and kind only, the item's text and the queue's
buttons its first message; users' notices go before the group's sends, which keep the group's pace."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import delete, select

from bot.desk_topics import DeskTopics
from bot.outbox_sender import OutboxSender
from core.db.models import Account, Invoice, OutboxMessage, UserRequest
from core.services.viewers import Viewer
from emulators.telegram import TgGroup, TgUser
from tests.bot.cabinet_fixtures import IVANOV, cabinet_chat, person_id
from tests.bot.desk.helpers import ADMIN, SUPPORT, audit_rows
from tests.bot.outbox_pass import deliver_pending
from tests.bot.test_invoices import invoice_id, issue_samples

STAFF = TgGroup(-1009999999999, "Поддержка", is_forum=True)
STRANGER = 7001


async def _forum(emulator, sms_gateway, smtp_sink, url: str, **redis: str):
    from tests.harness import BotHarness

    h = await BotHarness.start(emulator, sms_gateway, smtp_sink, url, staff_chat_id=STAFF.id, **redis)
    await h.feed(
        emulator.group_joined(STAFF, TgUser(ADMIN), status="administrator", can_restrict_members=True), STAFF.id
    )
    for staff_id in (ADMIN, SUPPORT):
        await h.chat(staff_id).send("/admin")
    return h


@pytest.fixture
async def forum_sqlite(emulator, sms_gateway, smtp_sink, sqlite_url):
    h = await _forum(emulator, sms_gateway, smtp_sink, sqlite_url)
    yield h
    await h.close()


@pytest.fixture
async def forum_pg(emulator, sms_gateway, smtp_sink, postgres_url: str, redis_url: str):
    h = await _forum(emulator, sms_gateway, smtp_sink, postgres_url, redis_url=redis_url)
    yield h
    await h.close()


@pytest.fixture(params=["sqlite", "postgres"])
def forum(request):
    """The harness with STAFF_CHAT_ID, the bot an admin of the forum: on SQLite, or on PostgreSQL with Redis."""
    return request.getfixturevalue("forum_sqlite" if request.param == "sqlite" else "forum_pg")


def sender(h, **pace) -> OutboxSender:
    group = DeskTopics(h.bot, h.container.queue, h.i18n, h.container.clock)
    options = {"idle": 0.05, "per_chat": 0.0, "overall": 0.0, "per_group": 0.0, **pace}
    return OutboxSender(h.bot, h.container.outbox, h.i18n, group=group, **options)


async def ask(h, user_id: int, text: str) -> None:
    stranger = h.chat(user_id)
    await stranger.send("/help")
    await stranger.press("Написать в поддержку")
    await stranger.send(text)


async def test_a_question_opens_a_topic_with_its_number_and_kind_only(forum) -> None:
    h = forum
    await ask(h, STRANGER, "Не найден полис 123/14, Секретов Пётр")
    await deliver_pending(sender(h))
    [(thread, name)] = h.emulator.topics(STAFF.id).items()
    assert name == "вопрос в поддержку № 1"
    assert "Секретов" not in name and "Пётр" not in name
    [first] = h.emulator.in_topic(STAFF.id, thread)
    assert "Вопрос № 1" in first.text and "Не найден полис" in first.text
    assert [b["text"] for b in first.buttons()] == ["✋ Взять", "✍️ Ответить", "🗄 Закрыть без ответа"]
    # told to each staff member as before
    assert any("вопрос в поддержку № 1" in m.text for m in h.emulator.messages(SUPPORT))


async def test_users_notices_go_before_the_groups_sends(forum) -> None:
    h = forum
    for n in range(3):
        await ask(h, STRANGER + n, f"вопрос {n}")
    order: list[int] = []
    h.emulator.on_change.append(lambda message, change: order.append(message.chat_id) if change == "new" else None)
    await deliver_pending(sender(h))
    assert len(h.emulator.topics(STAFF.id)) == 3
    first_group = order.index(STAFF.id)
    assert all(chat > 0 for chat in order[:first_group]) and all(chat == STAFF.id for chat in order[first_group:])


async def test_without_a_staff_chat_no_topic_is_opened(harness) -> None:
    h = harness
    await h.chat(SUPPORT).send("/admin")
    await ask(h, STRANGER, "вопрос")
    await deliver_pending(OutboxSender(h.bot, h.container.outbox, h.i18n, idle=0.05, per_chat=0.0, overall=0.0))
    assert not h.emulator.is_member(STAFF.id)
    assert not [m for m, _ in h.emulator.calls if m == "createForumTopic"]


async def opened(h) -> tuple[int, object]:
    await ask(h, STRANGER, "Не найден полис 123/14")
    await deliver_pending(sender(h))
    [thread] = h.emulator.topics(STAFF.id)
    [first] = h.emulator.in_topic(STAFF.id, thread)
    return thread, first


async def test_a_staff_reply_in_the_topic_reaches_the_user_as_an_answer_from_support(forum) -> None:
    h = forum
    thread, first = await opened(h)
    reply = h.emulator.user_message(
        TgUser(SUPPORT), "Проверьте номер на карте", group=STAFF, thread_id=thread, reply_to=first.message_id
    )
    await h.feed(reply, STAFF.id)
    await deliver_pending(sender(h))
    answer = h.emulator.last(STRANGER)
    assert "Проверьте номер на карте" in answer.text and "поддержк" in answer.text.lower()
    assert [r[0] for r in await audit_rows(h, "desk.taken", "request.answered")] == ["desk.taken", "request.answered"]
    assert [r[1] for r in await audit_rows(h, "desk.taken", "request.answered")] == [SUPPORT, SUPPORT]


async def test_a_non_staff_member_of_the_group_cannot_act(forum) -> None:
    h = forum
    thread, first = await opened(h)
    before = len(h.emulator.messages(STRANGER))
    outsider = TgUser(STRANGER + 50, "Чужой")
    await h.feed(h.emulator.user_message(outsider, "ответ", group=STAFF, thread_id=thread), STAFF.id)
    take = first.button("Взять")["callback_data"]
    await h.feed(h.emulator.user_press(outsider, first.message_id, take, group=STAFF), STAFF.id)
    await deliver_pending(sender(h))
    assert len(h.emulator.messages(STRANGER)) == before
    assert await audit_rows(h, "desk.taken", "request.answered") == []
    assert h.emulator.callback_answers[-1]["text"] is None  # answered empty
    # a staff member's press takes it
    await h.feed(h.emulator.user_press(TgUser(ADMIN), first.message_id, take, group=STAFF), STAFF.id)
    assert "взяли" in h.emulator.callback_answers[-1]["text"]
    assert [r[1] for r in await audit_rows(h, "desk.taken")] == [ADMIN]


async def test_a_revoked_member_is_removed_from_the_group(forum) -> None:
    h = forum
    from core.actors import Role

    granted = 7777
    await h.container.staff_roles.grant(ADMIN, granted, Role.SUPPORT)
    await h.container.staff_roles.revoke(ADMIN, granted)
    await deliver_pending(sender(h))
    assert h.emulator.removed_from(STAFF.id) == [granted]
    assert h.emulator.banned_in(STAFF.id) == set()  # banned and unbanned: out, and may be added again
    assert [m for m, _ in h.emulator.calls if m.endswith("ChatMember")] == ["banChatMember", "unbanChatMember"]
    # the revoked member's reply in a topic is ignored now
    thread, _ = await opened(h)
    await h.feed(h.emulator.user_message(TgUser(granted), "ответ", group=STAFF, thread_id=thread), STAFF.id)
    assert await audit_rows(h, "request.answered") == []


async def test_a_conversation_in_a_topic_goes_both_ways_with_a_photo_each_way(forum) -> None:
    h = forum
    thread, _ = await opened(h)
    # staff answer in the topic with a photo (its caption the answer)
    photo = h.emulator.user_photo(
        TgUser(SUPPORT), b"staff-jpeg", caption="Вот где номер", group=STAFF, thread_id=thread
    )
    await h.feed(photo, STAFF.id)
    await deliver_pending(sender(h))
    answer, copied = h.emulator.messages(STRANGER)[-2:]
    assert "Вот где номер" in answer.text and answer.button("Ответить")
    assert copied.kind == "photo" and copied.document[1] == b"staff-jpeg"
    # the user replies to the answer with a photo: it goes into the same topic
    user = h.chat(STRANGER)
    await user.press("Ответить", answer)
    await h.feed(h.emulator.user_photo(TgUser(STRANGER), b"user-jpeg", caption="Вот карта"), STRANGER)
    await deliver_pending(sender(h))
    in_topic = h.emulator.in_topic(STAFF.id, thread)
    assert in_topic[-1].kind == "photo" and in_topic[-1].document[1] == b"user-jpeg"
    assert in_topic[-1].text == "Вот карта"
    # and a text reply after the next answer too
    await h.feed(h.emulator.user_message(TgUser(SUPPORT), "Спасибо, нашли", group=STAFF, thread_id=thread), STAFF.id)
    await deliver_pending(sender(h))
    answer = h.emulator.last(STRANGER)
    assert "Спасибо, нашли" in answer.text
    await user.press("Ответить", answer)
    await user.send("Всё работает")
    await deliver_pending(sender(h))
    assert h.emulator.in_topic(STAFF.id, thread)[-1].text == "Всё работает"


async def test_the_group_keeps_its_pace(forum_sqlite) -> None:
    h = forum_sqlite
    for n in range(3):
        await ask(h, STRANGER + n, f"вопрос {n}")
    h.emulator.set_flood_limits(per_chat_per_second=None, global_per_second=None, group_per_minute=20)
    times: list[float] = []
    h.emulator.on_change.append(
        lambda message, change: times.append(time.monotonic()) if message.chat_id == STAFF.id else None
    )
    await deliver_pending(sender(h, per_group=0.3))
    assert len(times) == 3 and h.emulator.flood_stats().refused == 0
    # Two turns of 0.3 s between the three, seen where the messages land: each lands a little after its
    # turn (a round trip, longer on a busy machine), so one gap may look shorter than the pace, never the
    # whole span by much (unpaced, the three land within milliseconds).
    assert times[-1] - times[0] >= 2 * 0.3 - 0.2


def first_message(h, thread: int):
    """The item's first message in its topic, as it reads now (rewritten in place)."""
    return h.emulator.in_topic(STAFF.id, thread)[0]


async def press_in_topic(h, who: int, thread: int, label: str) -> dict:
    """A member presses the button with `label` under the topic's first message; the press's answer."""
    first = first_message(h, thread)
    await h.feed(
        h.emulator.user_press(TgUser(who), first.message_id, first.button(label)["callback_data"], group=STAFF),
        STAFF.id,
    )
    return h.emulator.callback_answers[-1]


async def test_the_topics_buttons_act_and_its_first_message_follows_the_item(forum) -> None:
    h = forum
    thread, _ = await opened(h)
    assert "Никто не взял" in first_message(h, thread).text
    assert "взяли" in (await press_in_topic(h, ADMIN, thread, "Взять"))["text"]
    await deliver_pending(sender(h))
    first = first_message(h, thread)
    assert "Взял 9001" in first.text and len(h.emulator.in_topic(STAFF.id, thread)) == 1  # rewritten, not posted
    assert [b["text"] for b in first.buttons()] == [
        "Перехватить у 9001",
        "Отпустить",
        "✍️ Ответить",
        "🗄 Закрыть без ответа",
    ]
    # someone else's release is refused; a take-over and a release act
    assert "другой сотрудник" in (await press_in_topic(h, SUPPORT, thread, "Отпустить"))["text"]
    assert "теперь он ваш" in (await press_in_topic(h, SUPPORT, thread, "Перехватить у 9001"))["text"]
    await deliver_pending(sender(h))
    assert "Взял 9002" in first_message(h, thread).text
    assert "отпустили" in (await press_in_topic(h, SUPPORT, thread, "Отпустить"))["text"]
    await deliver_pending(sender(h))
    assert "Никто не взял" in first_message(h, thread).text
    # a take in /queue shows in the topic too
    admin = h.chat(ADMIN)
    await admin.press("Взять", (await admin.press("✉️ № 1", (await admin.send("/queue"))[0]))[0])
    await deliver_pending(sender(h))
    assert "Взял 9001" in first_message(h, thread).text
    # a non-staff member's press does nothing and is answered empty
    outsider = TgUser(STRANGER + 50, "Чужой")
    close = first_message(h, thread).button("Закрыть без ответа")["callback_data"]
    await h.feed(h.emulator.user_press(outsider, first_message(h, thread).message_id, close, group=STAFF), STAFF.id)
    assert h.emulator.callback_answers[-1]["text"] is None
    assert "Закрыто без ответа" in (await press_in_topic(h, ADMIN, thread, "Закрыть без ответа"))["text"]
    await deliver_pending(sender(h))
    first = first_message(h, thread)
    assert "Закрыто" in first.text and first.buttons() == []
    async with h.engine.connect() as conn:
        assert await conn.scalar(select(UserRequest.status)) == "closed"
    assert [
        (r[0], r[1]) for r in await audit_rows(h, "desk.taken", "desk.taken_over", "desk.released", "desk.closed")
    ] == [
        ("desk.taken", ADMIN),
        ("desk.taken_over", SUPPORT),
        ("desk.released", SUPPORT),
        ("desk.taken", ADMIN),
        ("desk.closed", ADMIN),
    ]
    assert len(h.emulator.topics(STAFF.id)) == 1


async def dispute_in_topic(h) -> tuple[int, int, int]:
    """Ivanov disputes a line of his invoice 2026/10/1: (the invoice's id, the dispute's, its topic's thread)."""
    await issue_samples(h)
    user = await cabinet_chat(h, IVANOV)
    await user.send("/menu")
    own = await invoice_id(h, "2026/10/1")
    async with h.engine.connect() as conn:
        account = await conn.scalar(select(Account.id).where(Account.telegram_id == IVANOV))
    viewer = Viewer(telegram_id=IVANOV, account_id=account, person_id=await person_id(h.engine, "123/14"))
    dispute = (await h.container.disputes.open(viewer, own, "B-0003", "Приёма не было")).dispute
    await deliver_pending(sender(h))
    [(thread, name)] = h.emulator.topics(STAFF.id).items()
    assert name == f"спор по счёту № {dispute.dispute_id}"
    return own, dispute.dispute_id, thread


async def test_a_dispute_is_accepted_in_its_topic_with_the_next_reply_as_the_comment(forum) -> None:
    h = forum
    own, dispute_id, thread = await dispute_in_topic(h)
    first = first_message(h, thread)
    assert [b["text"] for b in first.buttons()] == ["✋ Взять", "✅ Принять спор", "✖️ Отклонить спор"]
    # a stranger's press: nothing
    outsider = TgUser(STRANGER + 50, "Чужой")
    accept = first.button("Принять спор")["callback_data"]
    await h.feed(h.emulator.user_press(outsider, first.message_id, accept, group=STAFF), STAFF.id)
    assert h.emulator.callback_answers[-1]["text"] is None
    await h.feed(h.emulator.user_message(outsider, "принято", group=STAFF, thread_id=thread), STAFF.id)
    # a staff member's press takes it and waits for the comment
    answer = await press_in_topic(h, SUPPORT, thread, "Принять спор")
    assert f"Спор № {dispute_id} будет принят" in answer["text"] and answer["show_alert"]
    reply = h.emulator.user_message(TgUser(SUPPORT), "Визит не подтверждён клиникой", group=STAFF, thread_id=thread)
    await h.feed(reply, STAFF.id)
    async with h.engine.connect() as conn:
        invoice = (await conn.execute(select(Invoice).where(Invoice.id == own))).one()
    assert (invoice.status, invoice.credited_kopecks) == ("overdue", 40)  # the line's co-pay credited
    await deliver_pending(sender(h))
    told = [m.text for m in h.emulator.messages(IVANOV) if "2026/10/1" in m.text][-1]
    assert "решён в вашу пользу" in told
    first = first_message(h, thread)
    assert "Закрыто" in first.text and first.buttons() == []
    assert [(r[0], r[1]) for r in await audit_rows(h, "desk.taken", "dispute.answered")] == [
        ("desk.taken", SUPPORT),
        ("dispute.answered", SUPPORT),
    ]
    # the comment was the verdict's only: the next reply in the topic finds the dispute closed
    await h.feed(h.emulator.user_message(TgUser(SUPPORT), "ещё", group=STAFF, thread_id=thread), STAFF.id)
    assert len(await audit_rows(h, "dispute.answered", "dispute.written")) == 1


async def test_a_disputes_topic_talks_with_its_user_both_ways_then_rejects_it(forum) -> None:
    h = forum
    own, dispute_id, thread = await dispute_in_topic(h)
    photo = h.emulator.user_photo(TgUser(SUPPORT), b"staff-jpeg", caption="Пришлите чек", group=STAFF, thread_id=thread)
    await h.feed(photo, STAFF.id)
    await deliver_pending(sender(h))
    note, copied = h.emulator.messages(IVANOV)[-2:]
    assert f"Сообщение от поддержки</b> по вашему спору № {dispute_id}" in note.html and "2026/10/1" in note.text
    assert copied.kind == "photo" and copied.document[1] == b"staff-jpeg" and copied.text == "Пришлите чек"
    async with h.engine.connect() as conn:
        assert (await conn.execute(select(Invoice.status).where(Invoice.id == own))).scalar() == "disputed"
    # the user replies with a photo: it goes into the dispute's topic; staff are told
    user = h.chat(IVANOV)
    assert f"по № {dispute_id}" in (await user.press("Ответить", note))[0].text
    await h.feed(h.emulator.user_photo(TgUser(IVANOV), b"receipt-jpeg", caption="Вот чек"), IVANOV)
    assert "передан в поддержку" in h.emulator.last(IVANOV).text
    await deliver_pending(sender(h))
    last = h.emulator.in_topic(STAFF.id, thread)[-1]
    assert last.kind == "photo" and last.document[1] == b"receipt-jpeg" and last.text == "Вот чек"
    assert any("пользователь ответил" in m.text for m in h.emulator.messages(ADMIN))
    # and in words
    await h.feed(h.emulator.user_message(TgUser(SUPPORT), "Чек получили", group=STAFF, thread_id=thread), STAFF.id)
    await deliver_pending(sender(h))
    await user.press("Ответить", [m for m in h.emulator.messages(IVANOV) if "Сообщение от поддержки" in m.text][-1])
    await user.send("Спасибо")
    await deliver_pending(sender(h))
    assert h.emulator.in_topic(STAFF.id, thread)[-1].text == "Спасибо"
    # a reply button under another's dispute, forged: the stale alert
    other = h.chat(STRANGER)
    await other.send("/help")
    forged = await other.press_forged(h.emulator.last(STRANGER), note.button("Ответить")["callback_data"])
    assert forged["show_alert"] is True
    # the verdict: rejected, the due date moved by the days held (none: same day)
    assert "будет отклонён" in (await press_in_topic(h, SUPPORT, thread, "Отклонить спор"))["text"]
    await h.feed(
        h.emulator.user_message(TgUser(SUPPORT), "Чек не подтверждает", group=STAFF, thread_id=thread), STAFF.id
    )
    async with h.engine.connect() as conn:
        invoice = (await conn.execute(select(Invoice).where(Invoice.id == own))).one()
    assert (invoice.status, invoice.credited_kopecks) == ("overdue", 0)  # held and released the same day: past due
    await deliver_pending(sender(h))
    assert "отклонён" in [m.text for m in h.emulator.messages(IVANOV) if "2026/10/1" in m.text][-1]
    actions = [
        r[0] for r in await audit_rows(h, "desk.taken", "dispute.written", "dispute.replied", "dispute.answered")
    ]
    assert actions == [
        "desk.taken",
        "dispute.written",
        "dispute.replied",
        "dispute.written",
        "dispute.replied",
        "dispute.answered",
    ]


async def test_an_item_filed_before_the_group_gets_its_topic_when_next_touched(forum) -> None:
    h = forum
    await ask(h, STRANGER, "Старый вопрос")
    async with h.engine.begin() as conn:  # as if filed before STAFF_CHAT_ID was set: no topic asked for
        await conn.execute(delete(OutboxMessage).where(OutboxMessage.kind == "desk_topic_open"))
    await deliver_pending(sender(h))
    assert h.emulator.topics(STAFF.id) == {}
    staff = h.chat(SUPPORT)
    item = (await staff.press("Взять", (await staff.press("✉️ № 1", (await staff.send("/queue"))[0]))[0]))[0]
    await deliver_pending(sender(h))
    [(thread, name)] = h.emulator.topics(STAFF.id).items()
    assert name == "вопрос в поддержку № 1"
    [first] = h.emulator.in_topic(STAFF.id, thread)
    assert "Старый вопрос" in first.text and "Взял 9002" in first.text
    await staff.press("Отпустить", item)
    await deliver_pending(sender(h))
    assert len(h.emulator.topics(STAFF.id)) == 1 and len(h.emulator.in_topic(STAFF.id, thread)) == 1
    assert "Никто не взял" in first_message(h, thread).text
    assert [m for m, _ in h.emulator.calls].count("createForumTopic") == 1
