"""A button press is answered only under a text message: every button of ours is on one, and a handler
shows its screen by editing that message in place (`bot.screens.show`). A press under anything else — a
document such as an exported file, a venue, a message Telegram no longer gives — comes from a modified
client: it gets the stale-button alert and no handler runs (an edit there would be refused, an incident).

`AnsweredPress`: a press whose screen came out as it was (a double tap, data that has not moved) and that
the handler gave no popup of its own gets "nothing has changed", so no press seems to do nothing."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.screens import PRESS, Press, refuse


class UnderTextOnly(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        message = event.message if isinstance(event, CallbackQuery) else None
        if isinstance(message, Message) and message.text is not None:
            return await handler(event, data)
        refuse(data["callback_answer"], data["i18n"], "button-stale")
        return None


class AnsweredPress(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        press = Press()
        token = PRESS.set(press)
        try:
            result = await handler(event, data)
        finally:
            PRESS.reset(token)
        answer = data["callback_answer"]
        if press.unchanged and answer.text is None and not (answer.disabled or answer.answered):
            answer.text = data["i18n"].get("screen-unchanged")
        return result
