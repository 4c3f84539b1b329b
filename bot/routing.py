"""The dispatcher, routing an event through the routers as aiogram does, without aiogram's per-router wrapping.

aiogram's `Router.propagate_event` wraps every router it passes in that router's outer middlewares: a
closure, `functools.wraps` and a partial per router, then three copies of the update's data before the
first filter runs. None of our routers has an outer middleware (the dispatcher's `update` observer holds
them all), so for a `/menu` that wrapping was a third of the dispatch. `LeanDispatcher` walks the tree
itself and keeps everything the routing decides: routers in order, each router's own filters before its
handlers, `event_router`, the data a router's filters add seen by its handlers and the routers under it
only, inner middlewares and handlers run by aiogram's `trigger`. A router whose observer does have outer
middlewares is handed to aiogram's own `propagate_event` (tests/bot/test_routing.py holds both ways to
the same answers).
"""

from __future__ import annotations

from typing import Any

from aiogram import Dispatcher, Router
from aiogram.dispatcher.event.bases import REJECTED, UNHANDLED
from aiogram.types import TelegramObject


class LeanDispatcher(Dispatcher):
    async def propagate_event(self, update_type: str, event: TelegramObject, **kwargs: Any) -> Any:
        return await _route(self, update_type, event, kwargs)


async def _route(router: Router, update_type: str, event: TelegramObject, data: dict[str, Any]) -> Any:
    """`Router.propagate_event` for a router whose observer has no outer middleware. `data` is not changed:
    what this router adds stays with it and the routers under it."""
    observer = router.observers.get(update_type)
    if observer is not None and len(observer.outer_middleware):
        return await Router.propagate_event(router, update_type, event, **data)
    data = {**data, "event_router": router}
    if observer is not None:
        passed, data = await observer.check_root_filters(event, **data)  # the router's own, and what they add
        if not passed:
            return UNHANDLED
        if observer.handlers:
            response = await observer.trigger(event, **data)  # a copy: `handler` and filters' data stay there
            if response is REJECTED:
                return UNHANDLED
            if response is not UNHANDLED:
                return response
    for sub_router in router.sub_routers:
        response = await _route(sub_router, update_type, event, data)
        if response is not UNHANDLED:
            return response
    return UNHANDLED
