"""/delete_me: after a confirmation, the account erased (`core.services.erasure`) and the dialog reset."""

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from bot.callbacks.common import DeleteMeCb
from bot.handlers.staff.dialogs import FsmDialogs
from bot.screens import show
from bot.views.navigation import way_on
from core.services.accounts import AccountService
from core.services.viewers import Viewer


async def ask(message: Message, i18n: I18nContext) -> None:
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=i18n.get("delete-me-confirm"), callback_data=DeleteMeCb(confirmed=True).pack()
                ),
                InlineKeyboardButton(text=i18n.get("button-cancel"), callback_data=DeleteMeCb(confirmed=False).pack()),
            ]
        ]
    )
    await message.answer(i18n.get("delete-me-ask"), reply_markup=keyboard)


async def answer(
    callback: CallbackQuery,
    callback_data: DeleteMeCb,
    state: FSMContext,
    bot: Bot,
    i18n: I18nContext,
    viewer: Viewer,
    accounts: AccountService,
) -> None:
    if not callback_data.confirmed:
        await show(callback, (i18n.get("delete-me-kept"), way_on(i18n, viewer)))
        return
    deleted = await accounts.delete(callback.from_user.id, FsmDialogs(state.storage, bot.id))
    # Whoever it was, the caller now has no account: the way on is registration.
    gone = Viewer(telegram_id=viewer.telegram_id)
    await show(callback, (i18n.get("delete-me-done" if deleted else "delete-me-nothing"), way_on(i18n, gone)))


def create_router() -> Router:
    router = Router(name="privacy")
    router.message.register(ask, Command("delete_me"))
    router.callback_query.register(answer, DeleteMeCb.filter())
    return router
