"""/help, /menu, /cancel: available in every state. Each answer ends with the way on (bot.views.navigation)."""

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.methods import SendMessage
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove
from aiogram_i18n import I18nContext

from bot.callbacks.common import MenuCb
from bot.handlers.staff.queue import drop_answer_draft
from bot.states.registration import Registration
from bot.views.menu import help_screen, main_menu
from bot.views.navigation import way_on
from core.services.viewers import Viewer


async def help_command(message: Message, i18n: I18nContext, viewer: Viewer) -> None:
    text, keyboard = help_screen(i18n, viewer)
    await message.answer(text, reply_markup=keyboard)


async def help_button(callback: CallbackQuery, i18n: I18nContext, viewer: Viewer) -> None:
    text, keyboard = help_screen(i18n, viewer)
    await callback.message.answer(text, reply_markup=keyboard)


async def menu(
    message: Message, state: FSMContext, raw_state: str | None, i18n: I18nContext, viewer: Viewer
) -> SendMessage:
    if raw_state is not None:  # a dialog is left; with none, nothing to clear (a storage round trip saved)
        await state.clear()
    text, keyboard = main_menu(i18n, registered=viewer.registered)
    # The most frequent command: its one message is returned, not sent, so that in webhook mode it goes in
    # the webhook's answer (bot/web/telegram_webhook.py); polling makes the call itself.
    return message.answer(text, reply_markup=keyboard)


async def cancel(message: Message, state: FSMContext, bot: Bot, i18n: I18nContext, viewer: Viewer) -> None:
    # A staff member's answer waiting for its text is the last thing begun: dropped first, their own
    # dialog (kept apart from the desk) left for a second /cancel.
    dropped = await drop_answer_draft(state.storage, bot.id, viewer)
    if dropped is not None:
        await message.answer(i18n.get("desk-queue-draft-cancelled", number=str(dropped)))
        return
    current = await state.get_state()
    await state.clear()
    text = i18n.get("cancel-nothing" if current is None else "cancel-done")
    if current in Registration.__all_states_names__:
        # Registration may have put up a reply keyboard (the phone's); a message carries either that
        # keyboard's removal or inline buttons, so the removal goes first, on its own.
        await message.answer(text, reply_markup=ReplyKeyboardRemove())
        text = i18n.get("cancel-way-on")
    await message.answer(text, reply_markup=way_on(i18n, viewer))


def create_router() -> Router:
    router = Router(name="common")
    router.message.register(menu, Command("menu"))  # the most frequent command: checked first
    router.message.register(help_command, Command("help"))
    router.callback_query.register(help_button, MenuCb.filter(F.section == "help"))
    router.message.register(cancel, Command("cancel"))
    return router
