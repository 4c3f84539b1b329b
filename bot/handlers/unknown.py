"""Whatever no other router took: unknown commands (staff ones too) and stray text."""

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

router = Router(name="unknown")


@router.message(F.text.startswith("/"), StateFilter("*"))
async def unknown_command(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("unknown-command"))


@router.message(StateFilter("*"))
async def unknown_message(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("unknown-text"))


@router.callback_query(StateFilter("*"))
async def stale_button(callback: CallbackQuery, i18n: I18nContext) -> None:
    # A button of an old message whose flow has moved on.
    await callback.answer(i18n.get("button-stale"), show_alert=True)
