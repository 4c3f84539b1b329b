"""The container's use cases, handed to the handler that matched (by parameter name: `policies`,
`invoices`, …), not carried as dispatcher workflow data: aiogram copies the workflow data at every router
and every handler it checks, and with two dozen use cases in it that copying was most of a short
update's routing. Registered as an inner middleware of the dispatcher's event observers, so it runs for
every handler of every router, before the routers' own inner middlewares (which may use them too);
filters and outer middlewares run before it and take what they need in their constructors."""

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiogram import BaseMiddleware, Dispatcher
from aiogram.types import TelegramObject


class UseCases(BaseMiddleware):
    def __init__(self, use_cases: Mapping[str, object]) -> None:
        self.use_cases = dict(use_cases)

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        data.update(self.use_cases)
        return await handler(event, data)


def install(dp: Dispatcher, use_cases: Mapping[str, object]) -> UseCases:
    """On every event observer but `update`, whose handler is the routing itself."""
    middleware = UseCases(use_cases)
    for name, observer in dp.observers.items():
        if name != "update":
            observer.middleware(middleware)
    return middleware
