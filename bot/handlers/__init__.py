"""One router per area; `unknown` goes last because it takes whatever is left."""

from aiogram import Router

from bot.handlers import common, errors, language, start, unknown


def build_router() -> Router:
    root = Router(name="root")
    root.include_routers(errors.router, start.router, common.router, language.router, unknown.router)
    return root
