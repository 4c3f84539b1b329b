"""/admin: what this staff member may do, each item a command with a line of help."""

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram_i18n import I18nContext

from bot.command_lists import set_chat_list
from bot.filters import Allowed
from bot.views.desk import admin_screen
from core.actors import Viewer


async def admin_menu(message: Message, i18n: I18nContext, viewer: Viewer, bot: Bot) -> None:
    text, keyboard = admin_screen(i18n, viewer.role)
    await message.answer(text, reply_markup=keyboard)
    # Their own command list too: one granted before they ever wrote to the bot could not be set then.
    await set_chat_list(bot, i18n.core, viewer.telegram_id, viewer.role)


def create_router() -> Router:
    router = Router(name="staff-admin")
    router.message.register(admin_menu, Command("admin"), Allowed())
    return router
