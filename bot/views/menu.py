"""The main menu and /help. Sections appear here as they are built."""

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from bot.callbacks.common import MenuCb
from bot.views.navigation import support_button, way_on, way_on_button
from core.actors import Viewer, is_staff

# (callback section, locale key of the button)
SECTIONS: list[tuple[str, str]] = [
    ("policies", "menu-policies"),
    ("clinics", "menu-clinics"),
    ("franchise", "menu-franchise"),
    ("invoices", "menu-invoices"),
    ("requests", "menu-requests"),
    ("settings", "menu-settings"),
    ("language", "menu-language"),
    ("help", "menu-help"),
]

_UNREGISTERED = Viewer(telegram_id=0)
# The registered menu is the same for everyone of a language, and the most shown screen: built once per
# language (its keyboard costs more to build than the rest of /menu). Nothing changes a sent keyboard.
_MENUS: dict[str, tuple[str, InlineKeyboardMarkup]] = {}


def main_menu(i18n: I18nContext, *, registered: bool) -> tuple[str, InlineKeyboardMarkup]:
    if not registered:
        return i18n.get("menu-unregistered"), _unregistered_keyboard(i18n)
    menu = _MENUS.get(i18n.locale)
    if menu is None:
        keyboard = InlineKeyboardMarkup(
            inline_keyboard=[
                [InlineKeyboardButton(text=i18n.get(key), callback_data=MenuCb(section=section).pack())]
                for section, key in SECTIONS
            ]
        )
        menu = _MENUS[i18n.locale] = (i18n.get("menu-title"), keyboard)
    return menu


def help_screen(i18n: I18nContext, viewer: Viewer) -> tuple[str, InlineKeyboardMarkup]:
    """What the asker can do: the cabinet's commands once registered; before that, how to register and
    how to reach support. Staff get a line of their own."""
    if not viewer.registered:
        text, keyboard = i18n.get("help-unregistered"), _unregistered_keyboard(i18n)
    else:
        text = i18n.get("help-registered")
        keyboard = way_on(i18n, viewer)
    if is_staff(viewer.role):
        text += "\n\n" + i18n.get("help-staff")
    return text, keyboard


def _unregistered_keyboard(i18n: I18nContext) -> InlineKeyboardMarkup:
    """Not a dead end: the start of registration, and support for whoever cannot register."""
    return InlineKeyboardMarkup(inline_keyboard=[[way_on_button(i18n, _UNREGISTERED)], [support_button(i18n)]])
