"""The aiohttp applications of the bot and the worker processes (the Telegram webhook is mounted by its
runner)."""

from __future__ import annotations

from aiogram.fsm.storage.base import BaseStorage
from aiogram_i18n.cores import FluentRuntimeCore
from aiohttp import web

from bot.web.health import health_handler
from bot.web.metrics import METRICS_PATH, metrics_handler
from bot.web.webapp import PREFIX as WEBAPP_PREFIX
from bot.web.webapp import create_webapp
from bot.web.yookassa import notifications_handler
from core.bootstrap import Container

NOTIFICATIONS_PATH = "/yookassa/notifications"


def create_web(container: Container, i18n_core: FluentRuntimeCore, fsm: BaseStorage) -> web.Application:
    """The bot's: health, metrics, YooKassa's notifications, and the Mini App's pages in `webapp` mode.
    `fsm`: the dispatcher's storage (the pages read a registration dialog from it)."""
    settings = container.settings
    app = create_status_web(container)
    app.router.add_post(
        NOTIFICATIONS_PATH,
        notifications_handler(container.payments, settings.yookassa_trusted_networks, settings.trusted_proxies),
    )
    if settings.private_views == "webapp":
        app.add_subapp(WEBAPP_PREFIX, create_webapp(container, i18n_core, fsm))
    return app


def create_status_web(container: Container) -> web.Application:
    """Health and metrics only: all that `python -m bot worker` serves (its jobs' counts are its own)."""
    app = web.Application()
    app.router.add_get("/healthz", health_handler(container.engine, container.redis))
    if container.settings.metrics_token:  # else /metrics is off: 404
        app.router.add_get(METRICS_PATH, metrics_handler(container.metrics, container.settings.metrics_token))
    return app
