"""Keyboards shared by several sections."""

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from bot.keyboards.callbacks import LanguageCb
from core.language import LANGUAGES


def language_keyboard(i18n: I18nContext) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=i18n.get(f"language-name-{code}"), callback_data=LanguageCb(code=code).pack())]
            for code in LANGUAGES
        ]
    )
