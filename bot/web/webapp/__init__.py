"""The Mini App (`PRIVATE_VIEWS=webapp`): personal and payment views as pages under `/webapp/`, served by
the bot's own aiohttp server on the operator's host. Server-rendered (Jinja2), one small script of its
own, nothing loaded from another host."""

from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiogram.fsm.storage.base import BaseStorage
from aiogram.utils.token import extract_bot_id
from aiogram_i18n.cores import FluentRuntimeCore
from aiohttp import web

from bot.factory.telegram import create_bot
from bot.web.webapp.cabinet import add_cabinet_routes
from bot.web.webapp.conversation_files import ConversationFiles
from bot.web.webapp.conversations import ConversationPages
from bot.web.webapp.desk import DeskPages
from bot.web.webapp.desk_answers import DeskAnswerPages
from bot.web.webapp.desk_exports import ExportPages
from bot.web.webapp.desk_money import DeskMoneyPages
from bot.web.webapp.errors import error_pages
from bot.web.webapp.invoices import InvoicePages
from bot.web.webapp.kit import PageKit
from bot.web.webapp.money import MoneyPages
from bot.web.webapp.registration import RegistrationPages, TypedAnswers
from bot.web.webapp.sessions import auth_handler, session_middleware
from core.bootstrap import Container
from core.web_sessions import SessionKeys

PREFIX = "/webapp"
HERE = Path(__file__).resolve().parent


def create_webapp(container: Container, i18n_core: FluentRuntimeCore, fsm: BaseStorage) -> web.Application:
    """The pages as a sub-application: its middleware (sessions, CSRF, security headers) stays off the
    bot's other routes. `fsm`: the dispatcher's storage, where the chat keeps a registration dialog."""
    settings = container.settings
    token = settings.require_token()
    keys = SessionKeys(token)
    secure = bool(settings.webapp_base_url and settings.webapp_base_url.startswith("https://"))
    sessions = session_middleware(keys, container.viewers, container.clock)
    app = web.Application(middlewares=[error_pages(PageKit(i18n_core)), sessions])
    aiohttp_jinja2.setup(
        app, loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True, undefined=jinja2.StrictUndefined
    )
    app.router.add_post("/auth", auth_handler(token, keys, container.viewers, container.clock, secure), name="auth")
    # One object per group of pages, each adding its own routes.
    InvoicePages(i18n_core, container.invoices, container.payments).add_routes(app.router)
    MoneyPages(i18n_core, container.invoices, container.payments, container.cards, container.clock).add_routes(
        app.router
    )
    ConversationPages(
        i18n_core, container.invoices, container.disputes, container.requests, container.support
    ).add_routes(app.router)
    files = create_bot(settings)  # support's attachments fetched from Telegram for the person's pages
    app.on_cleanup.append(lambda _: files.session.close())
    ConversationFiles(i18n_core, files, container.requests, container.disputes).add_routes(app.router)
    add_cabinet_routes(app.router, i18n_core, container)
    RegistrationPages(i18n_core, TypedAnswers(fsm, extract_bot_id(token))).add_routes(app.router)
    money = DeskMoneyPages(i18n_core, container.money)
    money.add_routes(app.router)
    desk = (i18n_core, container.desk, container.queue, money.item_forms, container.clock)
    DeskPages(*desk).add_routes(app.router)
    DeskAnswerPages(*desk).add_routes(app.router)
    ExportPages(i18n_core, container.exports).add_routes(app.router)
    app.router.add_static("/static", HERE / "static", name="static")
    return app
