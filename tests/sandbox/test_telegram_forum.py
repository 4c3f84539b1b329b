"""The Telegram emulator's forum supergroups, through a real aiogram Bot: topics, messages in them both
ways, copies, photos, bans, and the pace Telegram keeps for a group."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter
from aiogram.types import BufferedInputFile, Message, Update

from emulators.telegram import TelegramEmulator, TgGroup, TgUser

TOKEN = "123456:TEST-token_x"
ADMIN = TgUser(id=1001, first_name="Анна")
ALICE = TgUser(id=2002, first_name="Алиса")
FORUM = TgGroup(-1005550000001, "Поддержка", is_forum=True)
PLAIN = TgGroup(-1005550000002, "Семья")


@pytest.fixture
async def emu() -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator() as emulator:
        yield emulator


@pytest.fixture
async def bot(emu: TelegramEmulator) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(emu.base_url))
    bot = Bot(TOKEN, session=session)
    await bot.get_me()
    yield bot
    await session.close()


def message_of(update: dict, bot: Bot) -> Message:
    return Update.model_validate(update, context={"bot": bot}).message


async def test_a_topic_needs_a_forum_and_the_right_to_manage_topics(emu: TelegramEmulator, bot: Bot) -> None:
    emu.group_joined(PLAIN, ADMIN, status="administrator")
    with pytest.raises(TelegramBadRequest, match="not a forum"):
        await bot.create_forum_topic(PLAIN.id, "№1 вопрос")
    emu.group_joined(FORUM, ADMIN)  # a member, not an admin
    with pytest.raises(TelegramBadRequest, match="not enough rights"):
        await bot.create_forum_topic(FORUM.id, "№1 вопрос")
    emu.group_joined(FORUM, ADMIN, status="administrator")
    with pytest.raises(TelegramBadRequest, match="TOPIC_TITLE_TOO_LONG"):
        await bot.create_forum_topic(FORUM.id, "x" * 129)
    topic = await bot.create_forum_topic(FORUM.id, "№1 вопрос")
    assert emu.topics(FORUM.id) == {topic.message_thread_id: "№1 вопрос"}
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_message(FORUM.id, "x", message_thread_id=topic.message_thread_id + 100)


async def test_messages_go_both_ways_in_a_topic_with_photos(emu: TelegramEmulator, bot: Bot) -> None:
    emu.group_joined(FORUM, ADMIN, status="administrator")
    topic = await bot.create_forum_topic(FORUM.id, "№7 запрос")
    thread = topic.message_thread_id
    first = await bot.send_message(FORUM.id, "Запрос №7", message_thread_id=thread)
    assert first.message_thread_id == thread and first.is_topic_message
    # a staff member replies to the bot's message in the topic, then writes in the topic without a reply
    reply = message_of(emu.user_message(ADMIN, "Ответ", group=FORUM, thread_id=thread, reply_to=first.message_id), bot)
    assert reply.message_thread_id == thread and reply.reply_to_message.message_id == first.message_id
    loose = message_of(emu.user_message(ADMIN, "Ещё", group=FORUM, thread_id=thread), bot)
    assert loose.reply_to_message.message_id == thread and loose.reply_to_message.forum_topic_created
    photo = message_of(emu.user_photo(ADMIN, b"jpeg", group=FORUM, thread_id=thread, caption="снимок"), bot)
    # the staff's photo copied to a user's chat; the user's photo copied into the topic
    emu.user_message(ALICE, "привет")
    copied = await bot.copy_message(ALICE.id, FORUM.id, photo.message_id, caption="От поддержки")
    sent = emu.last(ALICE.id)
    assert sent.message_id == copied.message_id and sent.kind == "photo" and sent.text == "От поддержки"
    assert sent.document[1] == b"jpeg"
    from_alice = message_of(emu.user_photo(ALICE, b"png-ish"), bot)
    await bot.copy_message(FORUM.id, ALICE.id, from_alice.message_id, message_thread_id=thread)
    await bot.send_photo(FORUM.id, BufferedInputFile(b"img", "a.jpg"), message_thread_id=thread)
    kinds = [(m.kind, m.document[1] if m.document else m.text) for m in emu.in_topic(FORUM.id, thread)]
    assert kinds == [("text", "Запрос №7"), ("photo", b"png-ish"), ("photo", b"img")]


async def test_ban_and_unban_need_the_right_to_restrict(emu: TelegramEmulator, bot: Bot) -> None:
    emu.group_joined(FORUM, ADMIN, status="administrator")
    with pytest.raises(TelegramBadRequest, match="not enough rights"):
        await bot.ban_chat_member(FORUM.id, ALICE.id)
    emu.group_joined(FORUM, ADMIN, status="administrator", can_restrict_members=True)
    await bot.ban_chat_member(FORUM.id, ALICE.id)
    assert emu.banned_in(FORUM.id) == {ALICE.id}
    await bot.unban_chat_member(FORUM.id, ALICE.id, only_if_banned=True)
    assert emu.banned_in(FORUM.id) == set() and emu.removed_from(FORUM.id) == [ALICE.id]
    emu.user_message(ALICE, "привет")
    with pytest.raises(TelegramBadRequest, match="private chats"):
        await bot.ban_chat_member(ALICE.id, ALICE.id)


async def test_a_group_takes_about_twenty_messages_a_minute(emu: TelegramEmulator, bot: Bot) -> None:
    emu.group_joined(FORUM, ADMIN, status="administrator")
    emu.set_flood_limits(per_chat_per_second=None, global_per_second=None)
    for n in range(20):
        await bot.send_message(FORUM.id, f"{n}")
    with pytest.raises(TelegramRetryAfter) as refused:
        await bot.send_message(FORUM.id, "21")
    assert 50 <= refused.value.retry_after <= 60
    emu.user_message(ALICE, "привет")
    await bot.send_message(ALICE.id, "a private chat is not a group")
