"""A Telegram user blocked by an admin gets one line a day ("access suspended, contact your HR or the
insurer", in their language) and nothing else: early in the dispatcher, after the viewer and the language
are known, before any router. A press of theirs is answered silently (no spinner)."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.enums import ChatType
from aiogram.types import TelegramObject, Update

from bot.views.desk import blocked_line
from core.services.desk import DeskService


class BlockedGate(BaseMiddleware):
    def __init__(self, desk: DeskService) -> None:
        self.desk = desk

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        viewer = data.get("viewer")
        if viewer is None or not viewer.blocked:
            return await handler(event, data)
        bot: Bot = data["bot"]
        if isinstance(event, Update) and event.callback_query is not None:
            await bot.answer_callback_query(event.callback_query.id)
        chat = data.get("event_chat")
        if chat is not None and chat.type == ChatType.PRIVATE and await self.desk.notice_due(viewer.telegram_id):
            await bot.send_message(chat.id, blocked_line(data["i18n"]))
        return None
