"""Who is asking, resolved once per update from the viewer cache (no database read on a hit)."""

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
        data["viewer"] = await self.viewers.get(user.id) if user is not None else None
        return await handler(event, data)
