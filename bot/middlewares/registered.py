"""The cabinet sections are for registered users. Two checks, each written once:

- `RegisteredOnly`: anyone else is told to register (the same words as /menu), and no handler runs;
- `OwnPolicy`: a button whose data names a policy (`person_id`) is answered only when that policy is
  the caller's to see; the handler gets it as `policy`, anyone else a "not yours" alert.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Router
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.screens import refuse
from bot.views.menu import main_menu
from core.services.viewers import Viewer


class RegisteredOnly(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        viewer: Viewer | None = data.get("viewer")
        if viewer is not None and viewer.registered:
            return await handler(event, data)
        text, keyboard = main_menu(data["i18n"], registered=False)
        if isinstance(event, CallbackQuery):
            data["callback_answer"].text = text
            data["callback_answer"].show_alert = True
        elif isinstance(event, Message):
            await event.answer(text, reply_markup=keyboard)  # the way on: registration, or support
        return None


class OwnPolicy(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        person_id = getattr(data.get("callback_data"), "person_id", None)
        if person_id is None:
            return await handler(event, data)
        policy = await data["policies"].linked_policy(data["viewer"], person_id)
        if policy is None:
            refuse(data["callback_answer"], data["i18n"])
            return None
        data["policy"] = policy
        return await handler(event, data)


def registered_router(name: str) -> Router:
    """A router whose handlers (matched by their filters first) run for registered users only, and
    whose buttons naming a policy are checked against the caller."""
    router = Router(name=name)
    router.message.middleware(RegisteredOnly())
    router.callback_query.middleware(RegisteredOnly())
    router.callback_query.middleware(OwnPolicy())
    return router
