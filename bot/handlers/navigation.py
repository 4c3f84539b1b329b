"""The way back: "Main menu" under a cabinet screen turns that message into the menu again."""

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram_i18n import I18nContext

from bot.callbacks.cabinet import ToMenuCb
from bot.screens import show
from bot.views.menu import main_menu
from core.services.viewers import Viewer


async def to_menu(callback: CallbackQuery, state: FSMContext, i18n: I18nContext, viewer: Viewer) -> None:
    await state.set_state(None)  # leaves an open form; the data (kept searches) stays
    await show(callback, main_menu(i18n, registered=viewer.registered))


def create_router() -> Router:
    router = Router(name="navigation")
    router.callback_query.register(to_menu, ToMenuCb.filter())
    return router
