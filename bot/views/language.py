"""/language: the choice of the bot's language."""

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from bot.callbacks.common import LanguageCb
from bot.screens import Screen
from core.language import LANGUAGES


def language_screen(i18n: I18nContext) -> Screen:
    return i18n.get("language-choose"), InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=i18n.get(f"language-name-{code}"), callback_data=LanguageCb(code=code).pack())]
            for code in LANGUAGES
        ]
    )
