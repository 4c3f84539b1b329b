"""Groups and channels: the cabinet and the desk answer only in private chats.

Bots get commands, replies and button presses in groups even in privacy mode, and an answer there would
show a person's policies and invoices to everyone in the group. So this router comes first and takes
every update from a chat that is not private: added to a group (other than the staff chat), the bot says
one neutral line with its link and leaves; anything else from such a chat gets nothing (a button press
is answered silently, so the client stops its spinner).
"""

import contextlib

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import JOIN_TRANSITION, ChatMemberUpdatedFilter
from aiogram.types import CallbackQuery, ChatMemberUpdated, Message
from aiogram_i18n import I18nContext

from bot.filters import outside_private_chat, pressed_outside_private_chat
from core.settings import Settings


async def added_to_group(event: ChatMemberUpdated, bot: Bot, i18n: I18nContext, settings: Settings) -> None:
    if event.chat.id == settings.staff_chat_id:
        return  # the staff's own group: the bot stays
    me = await bot.me()
    with contextlib.suppress(TelegramAPIError):  # a group where the bot may not write: it leaves all the same
        await bot.send_message(event.chat.id, i18n.get("group-private-only", link=f"https://t.me/{me.username}"))
    await bot.leave_chat(event.chat.id)


async def ignored(_: Message) -> None:
    """A message in a group (a command, `/start <token>` included): taken here so no other router sees it."""


async def pressed_in_group(_: CallbackQuery) -> None:
    """A button under an old message in a group: answered empty by the callback answer middleware."""


def create_router() -> Router:
    router = Router(name="groups")
    router.my_chat_member.register(added_to_group, outside_private_chat, ChatMemberUpdatedFilter(JOIN_TRANSITION))
    router.message.register(ignored, outside_private_chat)
    router.callback_query.register(pressed_in_group, pressed_outside_private_chat)
    return router
