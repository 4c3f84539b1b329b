"""The worker process (`python -m bot worker`): the process's parts with the status application (health,
metrics) and no Dispatcher: it sends notices and runs jobs, and handles no update."""

from __future__ import annotations

from bot.factory.process import Process, start_process
from bot.factory.web import create_status_web
from core.settings import Settings


async def build_worker(settings: Settings) -> Process:
    container, i18n, bot, worker = await start_process(settings)
    return Process(container, i18n, bot, worker, create_status_web(container))
