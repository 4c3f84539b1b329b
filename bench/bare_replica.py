"""The load bench's baseline replica: a bare aiogram bot answering every message with a static menu.

One router, one handler, no middlewares, no storage, no database: aiogram's own `SimpleRequestHandler`
checks the secret, feeds the update and answers after it is handled, with the handler's `sendMessage`
in the webhook's answer (as the project's `/menu` answers). Run by `bench/load.py` as a process:

    python bench/bare_replica.py PORT TOKEN SECRET PATH
"""

from __future__ import annotations

import sys

from aiogram import Bot, Dispatcher, Router
from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

MENU_TEXT = "<b>Main menu</b>"
MENU_KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[
        [InlineKeyboardButton(text=label, callback_data=f"menu:{label.lower()}")]
        for label in ("Policies", "Clinics", "Invoices", "Requests", "Settings")
    ]
)


def create_app(token: str, secret: str, path: str) -> web.Application:
    router = Router()

    @router.message()
    async def menu(message: Message) -> SendMessage:
        return message.answer(MENU_TEXT, parse_mode="HTML", reply_markup=MENU_KEYBOARD)

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    app = web.Application()
    handler = SimpleRequestHandler(dispatcher, Bot(token), handle_in_background=False, secret_token=secret)
    handler.register(app, path=path)
    app.router.add_get("/healthz", lambda _request: web.json_response({"status": "ok"}))
    return app


if __name__ == "__main__":
    port, token, secret, path = sys.argv[1:]
    web.run_app(create_app(token, secret, path), host="127.0.0.1", port=int(port), access_log=None, print=None)
