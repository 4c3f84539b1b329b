"""`LeanDispatcher` routes as aiogram's `Dispatcher` does: the same tree of routers, fed the same updates,
reaches the same handlers with the same data, whether a router's filters stop it, add data, or a router has
outer middlewares of its own (handed to aiogram), a handler skips, or a handler fails."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.dispatcher.event.bases import UNHANDLED, SkipHandler
from aiogram.types import ErrorEvent, Message, TelegramObject, Update

from bot.routing import LeanDispatcher

Seen = list[tuple[str, str, tuple[str, ...]]]
MARKS = ("gate", "outer", "parent", "inner", "sibling", "handler_data")  # in the order they are checked


def text_is(prefix: str) -> Callable[[Message], Awaitable[bool]]:
    async def check(message: Message) -> bool:
        return (message.text or "").startswith(prefix)

    return check


def adds(key: str, when: str) -> Callable[[Message], Awaitable[dict[str, Any] | bool]]:
    async def check(message: Message) -> dict[str, Any] | bool:
        return {key: True} if (message.text or "").startswith(when) else False

    return check


async def outer(handler: Callable[..., Awaitable[Any]], event: TelegramObject, data: dict[str, Any]) -> Any:
    data["outer"] = True
    return await handler(event, data)


async def inner(handler: Callable[..., Awaitable[Any]], event: TelegramObject, data: dict[str, Any]) -> Any:
    data["inner"] = True
    return await handler(event, data)


def tree(dp: Dispatcher, seen: Seen) -> None:
    def handler(name: str) -> Callable[..., Awaitable[str]]:
        async def handle(event: TelegramObject, event_router: Router, **data: Any) -> str:
            seen.append((name, event_router.name, tuple(k for k in MARKS if k in data)))
            return name

        return handle

    async def skips(_: Message) -> None:
        raise SkipHandler

    async def fails(_: Message) -> None:
        raise ValueError("failed")

    gated = Router(name="gated")  # a filter of its own, which adds data
    gated.message.filter(adds("gate", "/a"))
    gated.message.register(handler("gated.a"), text_is("/a"))

    wrapped = Router(name="wrapped")  # an outer middleware of its own: aiogram's path
    wrapped.message.outer_middleware(outer)
    wrapped_child = Router(name="wrapped-child")
    wrapped_child.message.register(handler("wrapped-child.b"), adds("handler_data", "/b"))
    wrapped.include_router(wrapped_child)

    parent = Router(name="parent")  # data from the parent's filter reaches its children, not its siblings
    parent.message.filter(adds("parent", "/c"))
    first, second = Router(name="first"), Router(name="second")
    first.message.filter(adds("sibling", "/c"))  # passes every /c…, takes /c1 only
    first.message.register(skips, text_is("/c1"))
    first.message.register(handler("first.c1"), text_is("/c1"))
    second.message.register(handler("second.c2"), text_is("/c2"))
    parent.include_routers(first, second)

    failing = Router(name="failing")
    failing.message.register(fails, text_is("/x"))

    last = Router(name="last")
    last.message.register(handler("last.any"), text_is("/"))

    async def on_error(event: ErrorEvent, event_router: Router) -> str:
        seen.append(("error", event_router.name, (type(event.exception).__name__,)))
        return "error"

    errors = Router(name="errors")
    errors.errors.register(on_error)

    dp.message.middleware(inner)
    dp.include_routers(gated, wrapped, parent, failing, last, errors)


TEXTS = ["/a", "/b", "/c1", "/c2", "/c3", "/x", "/z", "plain"]


def update(bot: Bot, number: int, text: str, *, edited: bool = False) -> Update:
    message = {
        "message_id": number,
        "date": 1_700_000_000,
        "chat": {"id": 5, "type": "private"},
        "from": {"id": 5, "is_bot": False, "first_name": "R"},
        "text": text,
    }
    kind = "edited_message" if edited else "message"
    return Update.model_validate({"update_id": number, kind: message}, context={"bot": bot})


async def route_all(dp: Dispatcher) -> tuple[list[Any], Seen]:
    seen: Seen = []
    tree(dp, seen)
    bot = Bot("42:ROUTING")  # no request is made: the handlers only return
    updates = [update(bot, n, text) for n, text in enumerate(TEXTS)] + [update(bot, 99, "/a", edited=True)]
    return [await dp.feed_update(bot, u) for u in updates], seen


async def test_the_lean_dispatcher_routes_as_aiogram_does() -> None:
    expected = await route_all(Dispatcher())
    assert await route_all(LeanDispatcher()) == expected
    results, seen = expected
    handled = ["gated.a", "wrapped-child.b", "first.c1", "second.c2", "last.any", "error", "last.any"]
    assert results == [*handled, UNHANDLED, UNHANDLED]
    assert seen == [
        ("gated.a", "gated", ("gate", "inner")),
        ("wrapped-child.b", "wrapped-child", ("outer", "inner", "handler_data")),
        ("first.c1", "first", ("parent", "inner", "sibling")),  # not `outer`: that stayed with `wrapped`
        ("second.c2", "second", ("parent", "inner")),  # not `sibling`: that stayed with `first`
        ("last.any", "last", ("inner",)),  # not `parent`: that stayed under `parent`
        ("error", "errors", ("ValueError",)),
        ("last.any", "last", ("inner",)),
    ]
