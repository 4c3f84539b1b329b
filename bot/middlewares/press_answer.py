"""A press's answer (the popup, or none: what stops the button's spinner), returned rather than made.

aiogram's `CallbackAnswerMiddleware` makes `answerCallbackQuery` once the handler is done, a request of the
bot's own whose result (`true`) nobody reads. Here, when the handler returned nothing, the answer is its
returned call instead: the webhook's answer carries it (bot/web/telegram_webhook.py) and Telegram makes it,
after what the handler sent, as before; polling makes it itself. A handler that returned a call of its own,
or one that failed (the error handler's message follows the answer), still gets its answer made here, as
aiogram does.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram.dispatcher.flags import get_flag
from aiogram.types import CallbackQuery, TelegramObject
from aiogram.utils.callback_answer import CallbackAnswerMiddleware


class ReturnedPressAnswer(CallbackAnswerMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, CallbackQuery):
            return await handler(event, data)
        answer = data["callback_answer"] = self.construct_callback_answer(properties=get_flag(data, "callback_answer"))
        if not answer.disabled and answer.answered:
            await self.answer(event, answer)
        try:
            result = await handler(event, data)
        except BaseException:
            if not answer.disabled and not answer.answered:
                await self.answer(event, answer)
            raise
        if answer.disabled or answer.answered:
            return result
        if result is None:
            return self.answer(event, answer)  # the call itself, not made
        await self.answer(event, answer)
        return result
