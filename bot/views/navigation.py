"""The ways out of a screen that several sections share: the main menu (or, for the unregistered, the
start of registration), which ends every message that ends an action, and "Write to support"."""

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from bot.callbacks.cabinet import ToMenuCb
from bot.callbacks.common import RegCb, SupportCb
from core.services.viewers import Viewer


def menu_button(i18n: I18nContext) -> InlineKeyboardButton:
    """ "Main menu": back to the menu, leaving whatever form was open (bot/handlers/navigation.py)."""
    return InlineKeyboardButton(text=i18n.get("button-menu"), callback_data=ToMenuCb().pack())


def support_button(i18n: I18nContext) -> InlineKeyboardButton:
    """ "Write to support": a question to support, open to anyone, registered or not (bot/handlers/support.py)."""
    return InlineKeyboardButton(text=i18n.get("support-button"), callback_data=SupportCb(action="ask").pack())


def way_on_button(i18n: I18nContext, viewer: Viewer) -> InlineKeyboardButton:
    """The main menu for a registered viewer; for anyone else, the start of registration."""
    if viewer.registered:
        return menu_button(i18n)
    return InlineKeyboardButton(text=i18n.get("button-start"), callback_data=RegCb(action="restart").pack())


def way_on(i18n: I18nContext, viewer: Viewer, *rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """Under a message that ends an action: `rows` (if any), then the way on (`way_on_button`)."""
    return InlineKeyboardMarkup(inline_keyboard=[*(row for row in rows if row), [way_on_button(i18n, viewer)]])
