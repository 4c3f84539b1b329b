"""One router per area, each built fresh by its module's `create_router()` (so several dispatchers
can live in one process: tests, benches). `unknown` goes last because it takes whatever is left."""

from aiogram import Router

from bot.handlers import common, errors, language, privacy, registration, start, unknown


def build_router() -> Router:
    root = Router(name="root")
    for area in (errors, start, common, language, privacy, registration, unknown):
        root.include_router(area.create_router())
    return root
