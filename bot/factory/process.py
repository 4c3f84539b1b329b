"""What the bot and the worker processes share: the started container, the process's one Fluent core
(its dispatcher's and its outbox sender's), the Bot, and the worker that runs the jobs and the sender
while this process leads."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot
from aiogram_i18n.cores import FluentRuntimeCore
from aiohttp import web

from bot.desk_topics import DeskTopics
from bot.factory.telegram import create_bot
from bot.i18n import create_i18n_core
from bot.outbox_sender import OutboxSender
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
        group = DeskTopics(bot, container.queue, i18n, container.clock)
    sender = OutboxSender(bot, container.outbox, i18n, group=group)
    return container, i18n, bot, Worker(container, sender, leadership(settings, container.engine))
