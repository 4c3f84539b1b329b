"""Who is asking, resolved once per update from the viewer cache (no database read on a hit).

When the viewer cannot be read (the database away), the one last read stays in the update's data before the
failure goes on to the error handler, which answers in that viewer's language."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from core.services.viewers import ViewerDirectory


class ViewerMiddleware(BaseMiddleware):
    def __init__(self, viewers: ViewerDirectory) -> None:
        self.viewers = viewers

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        try:
            data["viewer"] = await self.viewers.get(user.id) if user is not None else None
        except Exception:
            data["viewer"] = self.viewers.known(user.id)
            raise
        return await handler(event, data)
