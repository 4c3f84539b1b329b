"""Counts and times every update for `GET /metrics` (core/infra/metrics.py), with no I/O.

`UpdateMetrics`, outermost on `dp.update` (inside aiogram's own error middleware, so a handler's exception
passes through it before the error handler answers), times the update and counts it by update type and
handler. Which handler ran is known only after the filters, in the inner middlewares, where aiogram puts
`handler` (the HandlerObject) and `event_router` into the data; `HandlerSeen`, an inner middleware on the
dispatcher's observers (inner middlewares of a router apply to its nested routers too), writes them into
a slot the outer one left in the data. The label is `router.function`: a bounded set, fixed by the code.
The children of the labelled series are cached, so an update costs two dict look-ups, a counter
increment and a histogram observation.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from time import perf_counter
from typing import Any

from aiogram import BaseMiddleware, Dispatcher
from aiogram.dispatcher.event.bases import UNHANDLED, CancelHandler, SkipHandler
from aiogram.types import TelegramObject, Update

from core.infra.metrics import Metrics

SLOT = "metrics_slot"
UNHANDLED_LABEL = "unhandled"

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class _Slot:
    __slots__ = ("callback", "router")

    def __init__(self) -> None:
        self.router: object = None
        self.callback: object = None


class UpdateMetrics(BaseMiddleware):
    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics
        self._counters: dict[tuple[str, object, object], Any] = {}
        self._timers: dict[str, Any] = {}

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        slot = data[SLOT] = _Slot()
        started = perf_counter()
        handled = False
        try:
            result = await handler(event, data)
            handled = result is not UNHANDLED
            return result
        except (SkipHandler, CancelHandler):
            raise
        except Exception:
            handled = True
            self.metrics.update_errors.labels(_update_type(event)).inc()
            raise
        finally:
            update_type = _update_type(event)
            timer = self._timers.get(update_type)
            if timer is None:
                timer = self._timers[update_type] = self.metrics.update_duration.labels(update_type)
            timer.observe(perf_counter() - started)
            key = (update_type, slot.router, slot.callback) if handled else (update_type, None, None)
            counter = self._counters.get(key)
            if counter is None:
                counter = self._counters[key] = self.metrics.updates.labels(update_type, _handler_label(*key[1:]))
            counter.inc()


class HandlerSeen(BaseMiddleware):
    """Inner: tells the outer `UpdateMetrics` which handler the filters chose."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        slot = data.get(SLOT)
        if slot is not None:
            slot.router = data.get("event_router")
            slot.callback = data["handler"].callback
        return await handler(event, data)


def install(dp: Dispatcher, metrics: Metrics) -> None:
    """Register on `dp` (before the other outer middlewares, so their time is counted too)."""
    dp.update.outer_middleware(UpdateMetrics(metrics))
    seen = HandlerSeen()
    for name, observer in dp.observers.items():
        if name not in ("update", "error"):
            observer.middleware(seen)


def _update_type(event: TelegramObject) -> str:
    try:
        return event.event_type if isinstance(event, Update) else "unknown"
    except Exception:
        return "unknown"


def _handler_label(router: object, callback: object) -> str:
    if callback is None:
        return UNHANDLED_LABEL
    name = getattr(callback, "__name__", None) or type(callback).__name__
    router_name = getattr(router, "name", None)
    return f"{router_name}.{name}" if router_name else name
