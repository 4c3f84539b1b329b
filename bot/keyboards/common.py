"""Keyboards shared by several sections, and the way on after a message that ends an action."""

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from bot.keyboards.cabinet import ToMenuCb
from bot.keyboards.callbacks import LanguageCb, RegCb, SupportCb
from core.language import LANGUAGES
from core.services.viewers import Viewer


def language_keyboard(i18n: I18nContext) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=i18n.get(f"language-name-{code}"), callback_data=LanguageCb(code=code).pack())]
            for code in LANGUAGES
        ]
    )


def support_button(i18n: I18nContext) -> InlineKeyboardButton:
    """"Write to support": a question to support, open to anyone, registered or not (bot/handlers/support.py)."""
    return InlineKeyboardButton(text=i18n.get("support-button"), callback_data=SupportCb(action="ask").pack())


def way_on_button(i18n: I18nContext, viewer: Viewer) -> InlineKeyboardButton:
    """The main menu for a registered viewer; for anyone else, the start of registration."""
    if viewer.registered:
        return InlineKeyboardButton(text=i18n.get("button-menu"), callback_data=ToMenuCb().pack())
    return InlineKeyboardButton(text=i18n.get("button-start"), callback_data=RegCb(action="restart").pack())


def way_on(i18n: I18nContext, viewer: Viewer, *rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """Under a message that ends an action: `rows` (if any), then the way on (`way_on_button`)."""
    return InlineKeyboardMarkup(inline_keyboard=[*(row for row in rows if row), [way_on_button(i18n, viewer)]])
