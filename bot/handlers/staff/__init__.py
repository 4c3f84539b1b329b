"""The support desk: staff commands and buttons, one router per area, all in private chats.

Every handler here is routed by `bot.filters.Allowed` (the caller's role has the capability) and calls a
use case that checks again with the role it re-reads. Desk screens never touch the caller's own FSM
state: a staff member is also an insured person, and a desk action in the middle of their own
registration must neither lose it nor answer it.
"""

from aiogram import Router

from bot.handlers.staff import admin, audit, broadcasts, exports, find, imports, money, queue, roles, stats


def create_router() -> Router:
    router = Router(name="staff")
    for area in (admin, find, queue, stats, money, roles, audit, imports, exports, broadcasts):
        router.include_router(area.create_router())
    return router
