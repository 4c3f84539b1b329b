"""Updates being handled, as both runners run them: each in a task of its own, given up after one try,
awaited within a bound when the process stops.

- An exception that escapes even the error handler (`bot/handlers/errors.py`) is logged here once with
  an incident id and the update id; nothing runs the update again.
- A handler may return its one Bot API call instead of making it (`/menu` does): `call` makes it when
  nobody else will (the webhook's answer carries it when it can), a failure logged as an incident.
- `drain` awaits the tasks for at most `drain_within` seconds, then cancels the rest and names them.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Coroutine
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import TelegramMethod
from aiogram.types import Update

log = logging.getLogger(__name__)

DRAIN_WITHIN_SECONDS = 8.0  # inside `docker stop`'s 10 s, with time left to close the rest


def incident() -> str:
    return secrets.token_hex(4)  # the format of bot/handlers/errors.py


async def handle(dp: Dispatcher, bot: Bot, update: Update) -> TelegramMethod | None:
    """The update handled; the call its handler returned, if any."""
    try:
        result = await dp.feed_update(bot, update)
        return result if isinstance(result, TelegramMethod) else None
    except Exception as exc:
        user = getattr(update.event, "from_user", None)
        log.error(
            "incident %s: update %s from user %s failed outside the error handler with %s",
            incident(),
            update.update_id,
            user.id if user else None,
            type(exc).__name__,
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        return None


async def call(bot: Bot, method: TelegramMethod) -> None:
    try:
        await bot(method)
    except Exception as exc:
        log.error("incident %s: the reply %s failed with %s", incident(), method.__api_method__, type(exc).__name__)


class InFlight:
    def __init__(self, drain_within: float = DRAIN_WITHIN_SECONDS) -> None:
        self.drain_within = drain_within
        self._tasks: set[asyncio.Task] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def track(self, work: Coroutine[Any, Any, Any], name: str) -> asyncio.Task:
        task = asyncio.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def idle(self) -> None:
        """Returns when no update is in flight (those that arrive meanwhile included)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def drain(self, runner: str) -> None:
        if not self._tasks:
            return
        log.info("%s stopping: waiting for %d updates in flight", runner, len(self._tasks))
        try:
            await asyncio.wait_for(self.idle(), self.drain_within)
        except TimeoutError:
            left = sorted(self._tasks, key=lambda task: task.get_name())
            log.warning(
                "%s stopped with %d updates unfinished after %.0f s, cancelled: %s",
                runner,
                len(left),
                self.drain_within,
                ", ".join(task.get_name() for task in left),
            )
            for task in left:
                task.cancel()
            await asyncio.gather(*left, return_exceptions=True)
