"""Groups and channels: the cabinet and the desk answer only in private chats.

Bots get commands, replies and button presses in groups even in privacy mode, and an answer there would
show a person's policies and invoices to everyone in the group. So this router comes first and takes
every update from a chat that is not private: added to a group (other than the staff chat), the bot says
one neutral line with its link and leaves; anything else from such a chat gets nothing (a button press
is answered silently, so the client stops its spinner).

In the staff's forum group (STAFF_CHAT_ID) two things act, and only for staff members (the use case
re-reads the role; anyone else's reply is ignored and their press answered empty): a press on the queue's
buttons under an item's first message (take, take over, release, close; accept or reject a dispute) and a
reply in an item's topic (the answer to a request or a question; to a dispute's user, a message from
support). A dispute's verdict takes a comment: the member's next reply in its topic, kept meanwhile as
their pending answer in the desk storage (`StorageKey(destiny="desk")`, dropped by /cancel). Anything else
there is ignored.
"""

import contextlib

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import JOIN_TRANSITION, ChatMemberUpdatedFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, ChatMemberUpdated, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.callbacks.desk_queue import QueueActCb
from bot.filters import outside_private_chat, pressed_outside_private_chat
from bot.handlers.staff.dialogs import desk_data, desk_update
from bot.handlers.staff.queue import DRAFT_KEY
from bot.views.desk_queue import outcome_note
from core.actors import Forbidden
from core.attachments import Attachment, FileKind
from core.desk.queue import ItemAction, ItemKind
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


async def staff_topic_reply(message: Message, state: FSMContext, bot: Bot, queue: QueueService) -> None:
    """A reply in an item's topic: from a staff member, their verdict's comment when one waits for it in
    this topic, else the answer to the user; from anyone else, nothing."""
    attachment = attachment_of(message)
    text = message.text or message.caption or ("📎" if attachment else "")
    if not text:
        return
    member, thread = message.from_user.id, message.message_thread_id
    try:
        draft = (await desk_data(state.storage, bot.id, member)).get(DRAFT_KEY)
        if isinstance(draft, dict) and draft.get("thread") == thread:
            await desk_update(state.storage, bot.id, member, **{DRAFT_KEY: None})
            accepted = draft.get("action") == ItemAction.ACCEPT.value
            await queue.answer(member, ItemKind.DISPUTE, draft["id"], text, accepted=accepted)
            return
        await queue.topic_reply(member, message.chat.id, thread, text, message.message_id, attachment)
    except (Forbidden, InputError):
        return  # not staff (or no longer), or a text that cannot be an answer: ignored, as anything else there


def attachment_of(message: Message) -> Attachment | None:
    """A staff member's photo (its largest size) or document, as the conversation keeps it."""
    if message.photo:
        return Attachment(message.chat.id, message.message_id, FileKind.PHOTO, message.photo[-1].file_id)
    if message.document:
        document = message.document
        return Attachment(message.chat.id, message.message_id, FileKind.DOCUMENT, document.file_id, document.file_name)
    return None


async def staff_topic_press(
    query: CallbackQuery,
    callback_data: QueueActCb,
    state: FSMContext,
    bot: Bot,
    queue: QueueService,
    i18n: I18nContext,
    callback_answer: CallbackAnswer,
) -> None:
    """A press on an item's button in its topic, a staff member's only (anyone else's is answered empty).
    Take, take over, release: as in /queue. Close, accept, reject: the item taken first when nobody holds
    it; a verdict then waits for its comment (the presser's next reply in the topic). Answer: a hint (the
    answer is a reply in the topic). The topic's first message is rewritten by the outbox (the change's
    `DeskTopicChanged`); the presser reads the outcome in the press's answer."""
    member, kind, item_id, action = query.from_user.id, callback_data.kind, callback_data.item_id, callback_data.action
    try:
        if action is ItemAction.ANSWER:
            await queue.item(member, kind, item_id)  # staff only hear the hint
            callback_answer.text = i18n.get("desk-topic-reply-hint")
            return
        if action in (ItemAction.TAKE, ItemAction.TAKE_OVER, ItemAction.RELEASE):
            result = await queue.act(member, kind, item_id, action, callback_data.seen or None)
            callback_answer.text = outcome_note(i18n, action, result)
            return
        held = await queue.hold(member, kind, item_id)
        if not held.done:
            callback_answer.text = outcome_note(i18n, action, held)
            return
        if action is ItemAction.CLOSE:
            callback_answer.text = outcome_note(i18n, action, await queue.act(member, kind, item_id, action))
            return
        if kind is ItemKind.DISPUTE and action in (ItemAction.ACCEPT, ItemAction.REJECT):
            draft = {
                "kind": kind.value,
                "id": item_id,
                "action": action.value,
                "thread": query.message.message_thread_id,
            }
            await desk_update(state.storage, bot.id, member, **{DRAFT_KEY: draft})
            callback_answer.text = i18n.get(f"desk-topic-verdict-{action.value}", number=str(item_id))
            callback_answer.show_alert = True
    except Forbidden:
        return  # not staff: the press is answered empty


async def ignored(_: Message) -> None:
    """A message in a group (a command, `/start <token>` included): taken here so no other router sees it."""


async def pressed_in_group(_: CallbackQuery) -> None:
    """A button under an old message in a group: answered empty by the callback answer middleware."""


def create_router() -> Router:
    router = Router(name="groups")
    router.message.filter(outside_private_chat)  # a private chat's message passes the router at one check
    router.my_chat_member.register(added_to_group, outside_private_chat, ChatMemberUpdatedFilter(JOIN_TRANSITION))
    router.message.register(staff_topic_reply, in_staff_topic)
    router.callback_query.register(staff_topic_press, pressed_in_staff_chat, QueueActCb.filter())
    router.message.register(ignored)
    router.callback_query.register(pressed_in_group, pressed_outside_private_chat)
    return router
