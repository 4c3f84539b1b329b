"""The way back: "Main menu" under a cabinet screen turns that message into the menu again."""

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram_i18n import I18nContext

from bot.keyboards.cabinet import ToMenuCb
from bot.screens import show
from bot.views.menu import main_menu
from core.db.models import Account


async def to_menu(callback: CallbackQuery, state: FSMContext, i18n: I18nContext, account: Account | None) -> None:
    await state.set_state(None)  # leaves an open form; the data (kept searches) stays
    registered = account is not None and account.insured_person_id is not None
    await show(callback, main_menu(i18n, registered=registered))


def create_router() -> Router:
    router = Router(name="navigation")
    router.callback_query.register(to_menu, ToMenuCb.filter(), StateFilter("*"))
    return router
