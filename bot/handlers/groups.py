"""Groups and channels: the cabinet and the desk answer only in private chats.

Bots get commands, replies and button presses in groups even in privacy mode, and an answer there would
show a person's policies and invoices to everyone in the group. So this router comes first and takes
every update from a chat that is not private: added to a group (other than the staff chat), the bot says
one neutral line with its link and leaves; anything else from such a chat gets nothing (a button press
is answered silently, so the client stops its spinner).

In the staff's forum group (STAFF_CHAT_ID) two things act, and only for staff members (the use case
re-reads the role): a reply in an item's topic (the answer to that request or question) and a press on
the queue's buttons under an item's first message (take it). Anything else there is ignored.
"""

import contextlib

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import JOIN_TRANSITION, ChatMemberUpdatedFilter
from aiogram.types import CallbackQuery, ChatMemberUpdated, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.callbacks.desk_queue import QueueActCb
from bot.filters import outside_private_chat, pressed_outside_private_chat
from bot.views.desk_queue import outcome_note
from core.actors import Forbidden
from core.desk.queue import ItemAction
from core.errors import InputError
from core.services.queue import QueueService
from core.settings import Settings


async def added_to_group(event: ChatMemberUpdated, bot: Bot, i18n: I18nContext, settings: Settings) -> None:
    if event.chat.id == settings.staff_chat_id:
        return  # the staff's own group: the bot stays
    me = await bot.me()
    with contextlib.suppress(TelegramAPIError):  # a group where the bot may not write: it leaves all the same
        await bot.send_message(event.chat.id, i18n.get("group-private-only", link=f"https://t.me/{me.username}"))
    await bot.leave_chat(event.chat.id)


async def in_staff_topic(message: Message, settings: Settings) -> bool:
    return (
        settings.staff_chat_id is not None
        and message.chat.id == settings.staff_chat_id
        and bool(message.is_topic_message)
        and message.message_thread_id is not None
        and message.from_user is not None
        and not message.from_user.is_bot
    )


async def pressed_in_staff_chat(query: CallbackQuery, settings: Settings) -> bool:
    return (
        settings.staff_chat_id is not None
        and query.message is not None
        and query.message.chat.id == settings.staff_chat_id
    )


async def staff_topic_reply(message: Message, queue: QueueService) -> None:
    """A reply in an item's topic: from a staff member, the answer to the user; from anyone else, nothing."""
    attachment = message.message_id if message.photo or message.document else None
    text = message.text or message.caption or ("📎" if attachment else "")
    if not text:
        return
    try:
        await queue.topic_reply(message.from_user.id, message.chat.id, message.message_thread_id, text, attachment)
    except (Forbidden, InputError):
        return  # not staff (or no longer): ignored, as anything else in the group


async def staff_topic_press(
    query: CallbackQuery,
    callback_data: QueueActCb,
    queue: QueueService,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
) -> None:
    """A press on an item's button in its topic: take it (a staff member's only); the other actions are
    answered in the topic by replying."""
    if callback_data.action is not ItemAction.TAKE:
        with contextlib.suppress(Forbidden):
            await queue.item(query.from_user.id, callback_data.kind, callback_data.item_id)  # staff only hear a hint
            callback_answer.text = i18n.get("desk-topic-reply-hint")
        return
    try:
        result = await queue.act(query.from_user.id, callback_data.kind, callback_data.item_id, ItemAction.TAKE)
    except Forbidden:
        return  # not staff: the press is answered empty
    callback_answer.text = outcome_note(i18n, ItemAction.TAKE, result)


async def ignored(_: Message) -> None:
    """A message in a group (a command, `/start <token>` included): taken here so no other router sees it."""


async def pressed_in_group(_: CallbackQuery) -> None:
    """A button under an old message in a group: answered empty by the callback answer middleware."""


def create_router() -> Router:
    router = Router(name="groups")
    router.my_chat_member.register(added_to_group, outside_private_chat, ChatMemberUpdatedFilter(JOIN_TRANSITION))
    router.message.register(staff_topic_reply, outside_private_chat, in_staff_topic)
    router.callback_query.register(staff_topic_press, pressed_in_staff_chat, QueueActCb.filter())
    router.message.register(ignored, outside_private_chat)
    router.callback_query.register(pressed_in_group, pressed_outside_private_chat)
    return router
