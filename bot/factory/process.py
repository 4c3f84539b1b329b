"""What the bot and the worker processes share: the started container, the process's one Fluent core
(its dispatcher's and its outbox sender's), the Bot, and the worker that runs the jobs and the sender
while this process leads."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiogram import Bot
from aiogram_i18n.cores import FluentRuntimeCore
from aiohttp import web

from bot.desk_topics import DeskTopics
from bot.factory.telegram import create_bot
from bot.handlers.staff.imports import stop_imports, tell_interrupted
from bot.i18n import create_i18n_core
from bot.outbox_sender import OutboxSender
from bot.views.pages import PageLinks
from bot.worker import Worker
from core.bootstrap import Container, bootstrap, leadership
from core.settings import Settings


@dataclass
class Process:
    container: Container
    i18n: FluentRuntimeCore
    bot: Bot
    worker: Worker
    web: web.Application

    @property
    def settings(self) -> Settings:
        return self.container.settings

    async def close(self) -> None:
        await stop_imports()  # first: each is told and recorded as interrupted while the bot and database are up
        await self.worker.stop()
        await self.worker.sender.stop()
        await self.bot.session.close()
        await self.container.close()  # last: it closes the Redis client the FSM storage shares


async def start_process(settings: Settings) -> tuple[Container, FluentRuntimeCore, Bot, Worker]:
    container = await bootstrap(settings)
    await container.start()
    i18n = create_i18n_core()
    bot = create_bot(settings)
    group = None
    if settings.staff_chat_id is not None:
        group = DeskTopics(bot, container.queue, i18n, container.clock, PageLinks.of(settings))
    sender = OutboxSender(bot, container.outbox, i18n, group=group, pages=PageLinks.of(settings))
    try:  # imports cut off by the last stop: marked interrupted, whoever started them told
        await tell_interrupted(bot, container.desk_imports, i18n, container.clock.zone)
    except Exception:
        logging.getLogger(__name__).exception("interrupted imports not checked")
    return container, i18n, bot, Worker(container, sender, leadership(settings, container.engine))
