"""The aiohttp applications of the bot and the worker processes (the Telegram webhook is mounted by its
runner)."""

from __future__ import annotations

from aiohttp import web

from bot.web.health import health_handler
from bot.web.metrics import METRICS_PATH, metrics_handler
from bot.web.yookassa import notifications_handler
from core.bootstrap import Container

NOTIFICATIONS_PATH = "/yookassa/notifications"


def create_web(container: Container) -> web.Application:
    """The bot's: health, metrics, YooKassa's notifications."""
    settings = container.settings
    app = create_status_web(container)
    app.router.add_post(
        NOTIFICATIONS_PATH,
        notifications_handler(container.payments, settings.yookassa_trusted_networks, settings.trusted_proxies),
    )
    return app


def create_status_web(container: Container) -> web.Application:
    """Health and metrics only: all that `python -m bot worker` serves (its jobs' counts are its own)."""
    app = web.Application()
    app.router.add_get("/healthz", health_handler(container.engine, container.redis))
    if container.settings.metrics_token:  # else /metrics is off: 404
        app.router.add_get(METRICS_PATH, metrics_handler(container.metrics, container.settings.metrics_token))
    return app
