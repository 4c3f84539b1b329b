"""In the Mini App mode (`PRIVATE_VIEWS=webapp`) a private view is a page: the chat shows a line and a button
that opens it (`web_app`), never the view's data."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, WebAppInfo
from aiogram_i18n import I18nContext

from bot.screens import Screen
from bot.views.kit import keyboard
from bot.views.navigation import menu_button
from core.settings import Settings


class PageLinks:
    """The pages' addresses under the operator's origin."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    @classmethod
    def of(cls, settings: Settings) -> PageLinks | None:
        """None in the chat mode: the chat shows its own screens."""
        if settings.private_views == "webapp" and settings.webapp_base_url:
            return cls(settings.webapp_base_url)
        return None

    def invoices(self) -> str:
        return f"{self.base_url}/webapp/invoices"


def open_page_screen(i18n: I18nContext, text_key: str, url: str) -> Screen:
    return i18n.get(text_key), keyboard(
        [InlineKeyboardButton(text=i18n.get("pages-open-button"), web_app=WebAppInfo(url=url))],
        [menu_button(i18n)],
    )
