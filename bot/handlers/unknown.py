"""Whatever no other router took: unknown commands (staff ones too) and stray text."""

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.filters import a_command


async def unknown_command(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("unknown-command"))


async def unknown_message(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("unknown-text"))


async def stale_button(_: CallbackQuery, i18n: I18nContext, callback_answer: CallbackAnswer) -> None:
    # A button of an old message whose flow has moved on (or data no button of ours carries).
    callback_answer.text = i18n.get("button-stale")
    callback_answer.show_alert = True


def create_router() -> Router:
    router = Router(name="unknown")
    router.message.register(unknown_command, a_command)
    router.message.register(unknown_message)
    router.callback_query.register(stale_button)
    return router
