"""The simple outbox sender `run` starts in-process (the worker issue replaces it with a rate-limited one).

A loop: read the pending notices, and for each: claim it, render it in the recipient's language, send it,
and mark it sent once Telegram has accepted it (at least once: a crash between the two sends it again
after the claim lapses; nothing is lost). A RetryAfter postpones the row and pauses the loop for the time
Telegram asks; a user who blocked the bot (403) or a chat Telegram refuses (400) gives the row up, kept
marked; Telegram unreachable backs the loop off without counting against the row; anything else is a
failed attempt (back-off, given up after `MAX_ATTEMPTS`). Idle, it looks again every `idle` seconds.

Pacing is simple: at least `per_chat` seconds between two messages to one chat, `overall` between any two.
Logs carry outbox ids and kinds only, never a chat id, a name or a text.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram_i18n.cores import FluentRuntimeCore

from bot.views.notices import render_notice
from core.services.outbox import Notice, OutboxService

log = logging.getLogger(__name__)


class OutboxSender:
    def __init__(
        self,
        bot: Bot,
        outbox: OutboxService,
        i18n: FluentRuntimeCore,
        *,
        idle: float = 1.0,
        per_chat: float = 1.0,
        overall: float = 0.05,  # 20 messages a second at most, well under Telegram's 30
        batch: int = 20,
        backoff: float = 5.0,
        max_backoff: float = 300.0,
    ) -> None:
        self.bot = bot
        self.outbox = outbox
        self.i18n = i18n
        self.idle = idle
        self.per_chat = per_chat
        self.overall = overall
        self.batch = batch
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._task: asyncio.Task | None = None
        self._stopping = asyncio.Event()
        self._last_to: dict[int, float] = {}  # chat → monotonic time of the last send
        self._last_any = 0.0
        self._failures = 0  # consecutive passes that failed (Telegram or the database unreachable)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Starts the loop as a background task; a second call while it runs does nothing."""
        if self.running:
            return
        self._stopping = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self, grace: float = 5.0) -> None:
        """Lets the notice being sent finish (up to `grace` seconds), then cancels, and waits for the task."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), grace)
        except TimeoutError:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _run(self) -> None:
        log.info("outbox sender started")
        while not self._stopping.is_set():
            try:
                sent = await self.deliver_pending()
            except Exception:  # the database away, say: keep the loop alive, back off
                log.exception("outbox sender: a pass failed")
                sent = 0
                await self._back_off()
                continue
            if not sent:
                await self._sleep(self.idle)
        log.info("outbox sender stopped")

    async def deliver_pending(self) -> int:
        """One pass over the pending notices; how many Telegram accepted. Stops early on a RetryAfter or
        when Telegram is unreachable (the loop then waits), and when stopping."""
        sent = 0
        for notice in await self.outbox.pending(self.batch):
            if self._stopping.is_set():
                break
            await self._pace(notice.telegram_id)
            if not await self.outbox.claim(notice.id):
                continue  # another sender took it, or it was settled meanwhile
            outcome = await self._send(notice)
            if outcome == "sent":
                sent += 1
            elif outcome == "pause":
                break
        return sent

    async def _send(self, notice: Notice) -> str:
        try:
            text = render_notice(self.i18n, notice)
        except Exception:
            log.exception("outbox %s (%s): cannot render", notice.id, notice.kind)
            await self._failed(notice)
            return "failed"
        try:
            self._stamp(notice.telegram_id)
            await self.bot.send_message(notice.telegram_id, text)
        except TelegramRetryAfter as error:
            log.warning("outbox %s: flood control, retry after %s s", notice.id, error.retry_after)
            await self.outbox.postpone(notice.id, error.retry_after)
            await self._sleep(error.retry_after)
            return "pause"
        except (TelegramForbiddenError, TelegramBadRequest) as error:
            # Blocked by the user, or a chat Telegram refuses: retrying will not help.
            log.info("outbox %s (%s): given up, %s", notice.id, notice.kind, type(error).__name__)
            await self.outbox.give_up(notice.id)
            return "given_up"
        except (TelegramNetworkError, TelegramServerError, TelegramUnauthorizedError) as error:
            # Telegram (or our token) is the problem, not the row: release it, back the loop off.
            log.warning("outbox %s: Telegram unavailable (%s), backing off", notice.id, type(error).__name__)
            await self.outbox.postpone(notice.id, 0)
            await self._back_off()
            return "pause"
        except Exception:
            log.exception("outbox %s (%s): send failed", notice.id, notice.kind)
            await self._failed(notice)
            return "failed"
        self._failures = 0
        # Telegram has it: mark it even if we are being stopped right now (a duplicate otherwise).
        await asyncio.shield(self.outbox.mark_sent(notice.id))
        return "sent"

    async def _failed(self, notice: Notice) -> None:
        if await self.outbox.mark_failed(notice.id):
            log.warning("outbox %s (%s): given up after repeated failures", notice.id, notice.kind)

    async def _pace(self, chat_id: int) -> None:
        now = time.monotonic()
        wait = max(self._last_any + self.overall - now, self._last_to.get(chat_id, -1e9) + self.per_chat - now)
        if wait > 0:
            await self._sleep(wait)

    def _stamp(self, chat_id: int) -> None:
        now = self._last_any = time.monotonic()
        self._last_to[chat_id] = now
        if len(self._last_to) > 10_000:  # forget chats not written to within the pacing window
            self._last_to = {chat: at for chat, at in self._last_to.items() if at > now - self.per_chat}

    async def _back_off(self) -> None:
        self._failures += 1
        await self._sleep(min(self.backoff * 2 ** (self._failures - 1), self.max_backoff))

    async def _sleep(self, seconds: float) -> None:
        """Sleeps, but wakes at once when stopping."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)


__all__ = ["OutboxSender"]
