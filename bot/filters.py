"""Filters as coroutines. aiogram runs a plain callable — a magic filter `F…`, a bare `State` — in a thread
for every update it checks, and that hop costs more than most handlers; a coroutine runs on the loop.
So the routers use these and `StateFilter(...)`, never `F.…` or a `State` on their own
(tests/bot/test_no_thread_hops.py keeps it so)."""

from __future__ import annotations

from aiogram.enums import ChatType
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, ChatMemberUpdated, Message, TelegramObject

from bot.views.pages import PageLinks
from core.actors import Capability, Viewer, can, is_staff


async def in_webapp_mode(event: TelegramObject, pages: PageLinks | None = None) -> bool:
    """The Mini App mode (`PRIVATE_VIEWS=webapp`): a private view's handler answers with its page's button."""
    return pages is not None


async def typed_text(message: Message) -> bool:
    """Text the user typed as an answer: not a command (those go to their own handlers)."""
    return message.text is not None and not message.text.startswith("/")


async def a_command(message: Message) -> bool:
    return message.text is not None and message.text.startswith("/")


async def not_text(message: Message) -> bool:
    """A photo, a sticker, a file…: anything without text."""
    return message.text is None


async def a_document(message: Message) -> bool:
    return message.document is not None


async def an_attachment(message: Message) -> bool:
    """A photo or a document: what a reply to support may carry besides text."""
    return message.photo is not None or message.document is not None


async def shared_contact(message: Message) -> bool:
    return message.contact is not None


async def shared_location(message: Message) -> bool:
    return message.location is not None


async def outside_private_chat(event: Message | ChatMemberUpdated) -> bool:
    return event.chat.type != ChatType.PRIVATE


async def pressed_outside_private_chat(query: CallbackQuery) -> bool:
    """A press under a message in a group (or under an inline message: no button of ours is there)."""
    return query.message is None or query.message.chat.type != ChatType.PRIVATE


class Allowed(Filter):
    """The caller's role has this capability (`None`: any staff role). A caller without it falls through
    to the `unknown` router: the unknown-command answer, the stale-button alert — nothing hints that the
    desk exists. The use case decides again with the role it re-reads; this only routes."""

    def __init__(self, capability: Capability | None = None) -> None:
        self.capability = capability

    async def __call__(self, event: TelegramObject, viewer: Viewer | None = None) -> bool:
        if viewer is None or not is_staff(viewer.role):
            return False
        return self.capability is None or can(viewer.role, self.capability)


class PressFor(Filter):
    """A press whose callback data has one of these prefixes (`CallbackData.__prefix__`). A router's gate
    (bot/handlers/__init__.py): a press meant for no handler of the router skips it at one check, instead
    of each handler's CallbackData filter failing to unpack it."""

    def __init__(self, prefixes: set[str], separator: str) -> None:
        self.prefixes = frozenset(prefixes)
        self.separator = separator

    async def __call__(self, query: CallbackQuery) -> bool:
        return query.data is not None and query.data.split(self.separator, 1)[0] in self.prefixes
