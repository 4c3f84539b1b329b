"""/start: the greeting for a newcomer, the main menu for a registered user."""

from html import escape

from aiogram import Router
from aiogram.filters import CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram_i18n import I18nContext

from bot.views.menu import main_menu
from core.db.models import Account


async def start(message: Message, state: FSMContext, i18n: I18nContext, account: Account | None) -> None:
    await state.clear()
    if account is not None and account.insured_person_id is not None:
        text, keyboard = main_menu(i18n, registered=True)
        await message.answer(text, reply_markup=keyboard)
        return
    await message.answer(i18n.get("start-greeting", name=escape(message.from_user.first_name)))


def create_router() -> Router:
    router = Router(name="start")
    router.message.register(start, CommandStart())
    return router
