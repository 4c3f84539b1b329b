"""The staff's forum group (STAFF_CHAT_ID) end to end through the emulated Telegram: each new question,
request and dispute opens a topic named with its number and kind only, the item's text and the queue's
buttons its first message; users' notices go before the group's sends, which keep the group's pace."""

from __future__ import annotations

import itertools
import time

import pytest

from bot.desk_topics import DeskTopics
from bot.outbox_sender import OutboxSender
from emulators.telegram import TgGroup, TgUser
from tests.bot.desk.helpers import ADMIN, SUPPORT, audit_rows
from tests.bot.outbox_pass import deliver_pending

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
    assert all(later - earlier >= 0.25 for earlier, later in itertools.pairwise(times))
