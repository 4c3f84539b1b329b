"""One router per area, each built fresh by its module's `create_router()` (so several dispatchers
can live in one process: tests, benches). `groups` comes first because it takes every update from a
chat that is not private (the others serve private chats only); `staff` (the desk) comes before the
cabinet's dialogs, so a staff command is never read as a dialog's answer; `unknown` goes last because it takes
whatever is left."""

from aiogram import Router

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


def build_router() -> Router:
    root = Router(name="root")
    for area in (
        errors,
        groups,
        start,
        common,
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
    ):
        root.include_router(area.create_router())
    return root
