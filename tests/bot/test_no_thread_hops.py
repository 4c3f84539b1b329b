"""Every handler and filter of the bot is a coroutine: aiogram runs any other callable — a magic filter `F…`
or a bare `State` among them — in a thread for every update it checks, a hop that costs more than most
handlers (it took a third of /menu's time when one crept in)."""

from __future__ import annotations

from aiogram import Router

from bot.handlers import build_routers


def routers(root: Router) -> list[Router]:
    return [root, *(r for child in root.sub_routers for r in routers(child))]


def test_no_handler_or_filter_runs_in_a_thread() -> None:
    sync = []
    for router in (r for area in build_routers() for r in routers(area)):
        for name, observer in router.observers.items():
            for handler in observer.handlers:
                callables = [("handler", handler), *(("filter", f) for f in handler.filters or ())]
                sync += [
                    f"{router.name}.{name}: {kind} {getattr(c.callback, '__qualname__', c.callback)!r}"
                    for kind, c in callables
                    if not c.awaitable
                ]
    assert sync == [], "\n".join(sync)
