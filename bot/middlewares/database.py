"""One unit of work per update, and the caller's account loaded once for every handler."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db.uow import UnitOfWork


class DatabaseMiddleware(BaseMiddleware):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_factory = session_factory

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        async with UnitOfWork(self.session_factory) as uow:
            user: User | None = data.get("event_from_user")
            data["uow"] = uow
            data["account"] = await uow.accounts.by_telegram_id(user.id) if user else None
            return await handler(event, data)
