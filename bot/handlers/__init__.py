"""One router per area, each built fresh by its module's `create_router()` (so several dispatchers
can live in one process: tests, benches), all directly under the dispatcher. `groups` comes first because
it takes every update from a chat that is not private (the others serve private chats only); `staff` (the
desk) comes before the cabinet's dialogs, so a staff command is never read as a dialog's answer; `unknown`
takes whatever is left; `errors` has only the error handler, which aiogram looks for in every router
whatever its place, so it goes last, where no other update passes it. `common` (/menu, /help, /cancel, in
every state) comes before `start`, /menu first of its commands: the most frequent update is taken at the
first command it is checked against (their commands never overlap, so the order changes no answer).

The dispatcher tries routers in order, and each handler's filters in turn, so an update's cost grows with
the routers before the one that takes it. Gates let it skip whole routers at one check: `groups` is passed
over by a private chat, the desk by anyone without a staff role (`Allowed()`; each of its handlers checks
the capability it needs), and a press skips every router none of whose handlers takes its callback data's
prefix."""

from aiogram import Router
from aiogram.filters.callback_data import CallbackQueryFilter

from bot.filters import Allowed, PressFor
from bot.handlers import (
    cards,
    children,
    clinics,
    common,
    disputes,
    errors,
    franchise,
    groups,
    invoices,
    language,
    navigation,
    payments,
    policies,
    privacy,
    registration,
    requests,
    services,
    settings,
    staff,
    start,
    support,
    unknown,
)


def build_routers() -> list[Router]:
    routers = []
    for area in (
        groups,
        common,
        start,
        staff,
        language,
        privacy,
        registration,
        navigation,
        policies,
        children,
        clinics,
        franchise,
        cards,
        invoices,
        payments,
        disputes,
        services,
        requests,
        settings,
        support,
        unknown,
        errors,
    ):
        router = area.create_router()
        if area is staff:
            router.message.filter(Allowed())
            router.callback_query.filter(Allowed())
        if (gate := press_gate(router)) is not None:
            router.callback_query.filter(gate)
        routers.append(router)
    return routers


def press_gate(router: Router) -> PressFor | None:
    """The prefixes of the callback data the router (and the routers under it) take; None when one of its
    press handlers takes presses by another filter than a CallbackData's (it must see every press)."""
    prefixes: set[str] = set()
    separators: set[str] = set()
    routers = [router]
    while routers:
        current = routers.pop()
        routers.extend(current.sub_routers)
        for handler in current.callback_query.handlers:
            datas = [
                f.callback.callback_data for f in handler.filters or () if isinstance(f.callback, CallbackQueryFilter)
            ]
            if not datas:
                return None
            prefixes.update(data.__prefix__ for data in datas)
            separators.update(data.__separator__ for data in datas)
    if len(separators) > 1:
        return None
    return PressFor(prefixes, separators.pop() if separators else ":")
