"""In the Mini App mode (`PRIVATE_VIEWS=webapp`) a whole cabinet section is a page: whatever command or
button of its router matched, the chat answers a line and the Open button of the page, never the data.
Installed after `RegisteredOnly` and `OwnPolicy`, so the unregistered are told to register and a button
naming someone else's policy gets the "not yours" alert, as in the chat mode; in the chat mode (`pages`
is None) the router's own handler runs."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Router
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, TelegramObject

from bot.screens import show
from bot.views.pages import PageLinks, open_page_screen
from core.actors import Viewer

# The page's address from the links, the policy the press named (None: a command, the menu, a pager) and
# the caller.
PageOf = Callable[[PageLinks, int | None, Viewer], str]


# Buttons that stay in the chat under the Open button (a form the chat runs), from the handler's data.
MoreRows = Callable[[dict[str, Any]], Awaitable[list[list[InlineKeyboardButton]]]]


class PageInstead(BaseMiddleware):
    def __init__(self, text_key: str, page_of: PageOf, more: MoreRows | None = None) -> None:
        self.text_key = text_key
        self.page_of = page_of
        self.more = more

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        pages: PageLinks | None = data.get("pages")
        if pages is None or not isinstance(event, Message | CallbackQuery):
            return await handler(event, data)
        await data["state"].set_state(None)  # a form of the section left open is abandoned, as its screens do
        person_id = getattr(data.get("callback_data"), "person_id", None)
        text, keyboard = open_page_screen(data["i18n"], self.text_key, self.page_of(pages, person_id, data["viewer"]))
        if self.more is not None:
            opener, *rest = keyboard.inline_keyboard
            keyboard = InlineKeyboardMarkup(inline_keyboard=[opener, *await self.more(data), *rest])
        await show(event, (text, keyboard))
        return None


def pages_instead(router: Router, text_key: str, page_of: PageOf, more: MoreRows | None = None) -> None:
    """Every message and press handler of `router` answers with the page in the Mini App mode."""
    middleware = PageInstead(text_key, page_of, more)
    router.message.middleware(middleware)
    router.callback_query.middleware(middleware)
