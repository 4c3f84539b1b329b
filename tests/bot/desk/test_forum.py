"""The staff's forum group (STAFF_CHAT_ID) end to end through the emulated Telegram: each new question,
request and dispute opens a topic named with its number and kind only, the item's text and the queue's
buttons its first message; users' notices go before the group's sends, which keep the group's pace."""

from __future__ import annotations

import pytest

from bot.desk_topics import DeskTopics
from bot.outbox_sender import OutboxSender
from emulators.telegram import TgGroup, TgUser
from tests.bot.desk.helpers import ADMIN, SUPPORT
from tests.bot.outbox_pass import deliver_pending

STAFF = TgGroup(-1009999999999, "Поддержка", is_forum=True)
STRANGER = 7001


@pytest.fixture
async def forum(emulator, sms_gateway, smtp_sink, sqlite_url):
    from tests.harness import BotHarness

    h = await BotHarness.start(emulator, sms_gateway, smtp_sink, sqlite_url, staff_chat_id=STAFF.id)
    await h.feed(
        emulator.group_joined(STAFF, TgUser(ADMIN), status="administrator", can_restrict_members=True), STAFF.id
    )
    for staff_id in (ADMIN, SUPPORT):
        await h.chat(staff_id).send("/admin")
    yield h
    await h.close()


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
    assert [b["text"] for b in first.buttons()] == ["✋ Взять", "✍️ Ответить"]
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
