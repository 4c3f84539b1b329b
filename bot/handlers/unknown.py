"""Whatever no other router took: unknown commands (staff ones too), stray text and files.

Stray text is answered with the way on (the main menu, or the start of registration) and, while the day's
questions to support are not used up, an offer to send that very text to support as a question: a person who
types a question means it. The text waits in the FSM data (`STRAY_TEXT`) until the offer is taken
(bot/handlers/support.py) or another stray text replaces it; nothing else keeps it."""

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.filters import a_command, typed_text
from bot.views.support import stray_file_screen, stray_text_screen
from core.cabinet.requests import request_text
from core.errors import InputError
from core.services.support import SupportService
from core.services.viewers import Viewer

STRAY_TEXT = "stray_text"  # FSM data: the last text typed where buttons were expected


async def unknown_command(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("unknown-command"))


async def unknown_text(
    message: Message, state: FSMContext, i18n: I18nContext, viewer: Viewer, support: SupportService
) -> None:
    try:
        text = request_text(message.text)
    except InputError:  # nothing to send (blank), or longer than a question may be
        text = None
    offer = text is not None and await support.may_ask(viewer)
    await state.update_data({STRAY_TEXT: text if offer else None})
    screen_text, keyboard = stray_text_screen(i18n, viewer, offer=offer)
    await message.answer(screen_text, reply_markup=keyboard)


async def unknown_message(message: Message, i18n: I18nContext, viewer: Viewer) -> None:
    """A photo, a sticker, a file… that nothing awaited."""
    text, keyboard = stray_file_screen(i18n, viewer)
    await message.answer(text, reply_markup=keyboard)


async def stale_button(_: CallbackQuery, i18n: I18nContext, callback_answer: CallbackAnswer) -> None:
    # A button of an old message whose flow has moved on (or data no button of ours carries).
    callback_answer.text = i18n.get("button-stale")
    callback_answer.show_alert = True


def create_router() -> Router:
    router = Router(name="unknown")
    router.message.register(unknown_command, a_command)
    router.message.register(unknown_text, typed_text)
    router.message.register(unknown_message)
    router.callback_query.register(stale_button)
    return router
