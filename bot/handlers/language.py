"""/language: pick ru or en; the choice is stored on the account."""

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from bot.callbacks.common import LanguageCb, MenuCb
from bot.screens import show
from bot.views.language import language_screen
from bot.views.navigation import way_on
from core.language import LANGUAGES
from core.services.accounts import AccountService
from core.services.viewers import Viewer


async def language_command(message: Message, i18n: I18nContext) -> None:
    await show(message, language_screen(i18n))


async def language_button(callback: CallbackQuery, i18n: I18nContext) -> None:
    await show(callback.message, language_screen(i18n))  # a new message under the one pressed, which stays


async def language_chosen(
    callback: CallbackQuery, callback_data: LanguageCb, i18n: I18nContext, viewer: Viewer, accounts: AccountService
) -> None:
    await accounts.set_language(callback.from_user.id, callback_data.code)
    with i18n.use_locale(callback_data.code):
        await show(callback, (i18n.get("language-set"), way_on(i18n, viewer)))


def create_router() -> Router:
    router = Router(name="language")
    router.message.register(language_command, Command("language"))
    router.callback_query.register(language_button, MenuCb.filter(F.section == "language"))
    router.callback_query.register(language_chosen, LanguageCb.filter(F.code.in_(LANGUAGES)))
    return router
