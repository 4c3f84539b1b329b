"""The cabinet sections are for registered users: their handlers get the caller's insured person as
`person`; anyone else is told to register (the same words as /menu), and no handler runs."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Router
from aiogram.types import CallbackQuery, Message, TelegramObject

from core.db.models import Account, InsuredPerson


class RegisteredOnly(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        account: Account | None = data.get("account")
        person = None
        if account is not None and account.insured_person_id is not None:
            # Loaded here, not with every account: most updates never need it.
            person = await data["uow"].session.get(InsuredPerson, account.insured_person_id)
        if person is None:
            text = data["i18n"].get("menu-unregistered")
            if isinstance(event, CallbackQuery):
                data["callback_answer"].text = text
                data["callback_answer"].show_alert = True
            elif isinstance(event, Message):
                await event.answer(text)
            return None
        data["person"] = person
        return await handler(event, data)


def registered_router(name: str) -> Router:
    """A router whose handlers (matched by their filters first) run for registered users only."""
    router = Router(name=name)
    router.message.middleware(RegisteredOnly())
    router.callback_query.middleware(RegisteredOnly())
    return router
