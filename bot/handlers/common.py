"""/help, /menu, /cancel: available in every state."""

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove
from aiogram_i18n import I18nContext

from bot.keyboards.callbacks import MenuCb
from bot.views.menu import main_menu
from core.services.viewers import Viewer


async def help_command(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("help-text"))


async def help_button(callback: CallbackQuery, i18n: I18nContext) -> None:
    await callback.message.answer(i18n.get("help-text"))


async def menu(message: Message, state: FSMContext, i18n: I18nContext, viewer: Viewer) -> None:
    await state.clear()
    text, keyboard = main_menu(i18n, registered=viewer.registered)
    await message.answer(text, reply_markup=keyboard)


async def cancel(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    if await state.get_state() is None:
        await message.answer(i18n.get("cancel-nothing"), reply_markup=ReplyKeyboardRemove())
        return
    await state.clear()
    await message.answer(i18n.get("cancel-done"), reply_markup=ReplyKeyboardRemove())


def create_router() -> Router:
    router = Router(name="common")
    router.message.register(help_command, Command("help"))
    router.callback_query.register(help_button, MenuCb.filter(F.section == "help"))
    router.message.register(menu, Command("menu"))
    router.message.register(cancel, Command("cancel"))
    return router
