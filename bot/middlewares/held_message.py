"""A message update's last message, returned rather than made, so that the webhook's answer carries it.

A handler answering a message (a command, typed text, a shared contact) sends its screens through `hold`:
the latest is held back, and sent as soon as the bot makes any other request in the update (so the chat sees
the messages in the order they were made). When the handler is done and returned nothing, the message still
held is its returned call instead: the webhook's answer carries it (bot/web/telegram_webhook.py) and
Telegram makes it, as before; polling makes it itself. After a failure it is sent before the error handler's
message; beside a handler's own returned call it is sent too. Outside a message update `hold` sends at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import SendMessage, TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import Message, TelegramObject


class _Holder:
    __slots__ = ("held", "open")

    def __init__(self) -> None:
        self.held: SendMessage | None = None
        self.open = True  # closed when the handler is done: a task it started (its context copied) sends at once

    async def release(self) -> None:
        if self.held is not None:
            held, self.held = self.held, None
            await held

    def close(self) -> SendMessage | None:
        """The message still held, no longer the holder's."""
        self.open, held, self.held = False, self.held, None
        return held


_HOLDER: ContextVar[_Holder | None] = ContextVar("held_message", default=None)


async def hold(method: SendMessage) -> None:
    """`method` held back in a message update (the one held before, sent now), else sent."""
    holder = _HOLDER.get()
    if holder is None or not holder.open:
        await method
        return
    await holder.release()
    holder.held = method


class ReturnedMessage(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Message):
            return await handler(event, data)
        holder = _Holder()
        reset = _HOLDER.set(holder)
        try:
            result = await handler(event, data)
        except BaseException:
            await holder.release()
            raise
        finally:
            _HOLDER.reset(reset)
            held = holder.close()
        if result is None and held is not None:
            return held
        if held is not None:
            await held
        return result


class SendHeldFirst(BaseRequestMiddleware):
    """The bot's session: any other request of the update goes after the message held back."""

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        holder = _HOLDER.get()
        if holder is not None and holder.held is not None:
            await holder.release()
        return await make_request(bot, method)
