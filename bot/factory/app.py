"""The bot process (`python -m bot run`): the process's parts, plus the Dispatcher and the aiohttp
application (health, metrics, YooKassa's notifications; the webhook mounted by its runner). On the
embedded default (SQLite) its runner starts the worker in-process too."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiogram import Dispatcher

from bot.factory.process import Process, start_process
from bot.factory.telegram import create_dispatcher
from bot.factory.web import create_web
from core.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class BotApp(Process):
    dp: Dispatcher


async def build_app(settings: Settings) -> BotApp:
    container, i18n, bot, worker = await start_process(settings)
    for warning in container.development_fallbacks():  # only the process that sends codes says so
        log.warning(warning)
    dp = create_dispatcher(container, i18n)
    return BotApp(container, i18n, bot, worker, create_web(container, i18n, dp.storage), dp)
