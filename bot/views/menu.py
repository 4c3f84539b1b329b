"""The main menu. Sections appear here as they are built."""

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from bot.keyboards.callbacks import MenuCb

# (callback section, locale key of the button)
SECTIONS: list[tuple[str, str]] = [
    ("policies", "menu-policies"),
    ("clinics", "menu-clinics"),
    ("franchise", "menu-franchise"),
    ("requests", "menu-requests"),
    ("settings", "menu-settings"),
    ("language", "menu-language"),
    ("help", "menu-help"),
]


def main_menu(i18n: I18nContext, *, registered: bool) -> tuple[str, InlineKeyboardMarkup | None]:
    if not registered:
        return i18n.get("menu-unregistered"), None
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=i18n.get(key), callback_data=MenuCb(section=section).pack())]
            for section, key in SECTIONS
        ]
    )
    return i18n.get("menu-title"), keyboard
