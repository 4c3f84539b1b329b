"""The outbox sender: notices from the outbox to Telegram, within Telegram's limits, at least once.

**Pacing.** Sends start on one schedule, evenly spaced `overall` seconds apart (29 a second: Telegram's
30, with a margin for a request's trip time varying), never in a burst, and a chat gets the next
message no sooner than `per_chat` seconds (1) after the last one. Several sends are in flight at once (up
to `concurrency`), one at a time per chat, so one chat's notices arrive in order and a busy chat does not
hold the others: the next send goes to the chat free now whose next notice comes first (a service notice
before any broadcast row, then the oldest), so a payment's notice overtakes a broadcast under way.

**Rows.** The sender keeps the due rows of some chats in memory (read `batch` at a time, service notices first,
skipping the chats it holds or has just written to, until it holds enough chats to keep the pace), and
claims each row (a conditional update: two senders never both send one row) just before its send. A row
is marked sent once Telegram accepted it, and only then: a process that dies in between (or between the
claim and the send) leaves the row claimed, and it is sent once the claim (`claim`, 2 minutes) lapses:
at least once, never lost; a duplicate only when the process died between Telegram's answer and the mark.

**Errors.** A RetryAfter pauses every send for the time Telegram asks, and the row is sent again after it
(still claimed, or released until then when the pause is long). Telegram unreachable or failing (network,
5xx, 401) pauses every send for a back-off (`backoff`, doubling up to `max_backoff`), and the row is tried
again; neither counts against the row. A user who blocked the bot (403), or a chat Telegram does not
know, gives up that row and every other row to the chat not being sent; a message Telegram refuses
(another 400) gives up that row; anything else is a failed attempt (`OutboxService.mark_failed`: back-off,
given up after `MAX_ATTEMPTS`). Given-up rows stay in the table, marked. The database unreachable backs the
whole loop off. Idle, the sender looks for new rows every `idle` seconds.

**The Mini App mode** (`pages`): a person's notice is a line and an Open button to its page
(`bot.views.notice_pages`), a message support sent them included: nothing of its content reaches the chat.

Several senders at once never send one row twice, but each keeps its own pace: run one (the worker's
leader does). Logs carry outbox ids and kinds only, never a chat id, a name or a text.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections import deque
from dataclasses import dataclass
from datetime import timedelta

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

from bot.desk_topics import GROUP_KINDS, DeskTopics
from bot.views.notice_pages import page_notice
from bot.views.notices import RenderedNotice, render_notice
from bot.views.pages import PageLinks
from core.services.outbox import CLAIM, Delivery, OutboxService

log = logging.getLogger(__name__)

OVERALL = 1 / 29  # seconds between two sends: 29 a second, under Telegram's 30
PER_CHAT = 1.0  # seconds between two sends to one chat
PER_GROUP = 3.0  # seconds between two sends to a group (the staff's): about 20 a minute, Telegram's limit
CHAT_ROWS = 10  # rows of one chat held in memory at most (about ten seconds of its sending)
AHEAD = 4  # sends claimed and waiting for their turn, at most
LOOKAHEAD = 0.1  # seconds: a send is claimed this long before its turn at most


def _order(item: _Item) -> tuple[int, int]:
    """Which held row goes first: a service notice before a broadcast row, then the oldest."""
    return item.notice.priority, item.notice.id


class _Stopped(Exception):
    """The sender is stopping: a send that has not begun does not begin."""


@dataclass(eq=False)
class _Item:
    notice: Delivery
    claimed_at: float | None = None  # monotonic: this sender holds the row's claim since then (a retry)


class OutboxSender:
    def __init__(
        self,
        bot: Bot,
        outbox: OutboxService,
        i18n: FluentRuntimeCore,
        *,
        idle: float = 1.0,
        per_chat: float = PER_CHAT,
        overall: float = OVERALL,
        batch: int = 100,
        backoff: float = 1.0,
        max_backoff: float = 300.0,
        concurrency: int = 16,
        claim: float = CLAIM.total_seconds(),
        group: DeskTopics | None = None,
        per_group: float = PER_GROUP,
        pages: PageLinks | None = None,
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
        self.concurrency = max(1, concurrency)
        self.claim = claim
        self.group = group  # sends the notices addressed to the staff group (None: they cannot be rendered)
        self.per_group = per_group
        self.pages = pages  # the Mini App mode: a person's notice opens its page (None: the chat mode)
        # Chats held in memory to keep the pace: enough for two `per_chat` periods at the overall rate.
        self.chats_wanted = min(batch, max(8, math.ceil(2 * per_chat / overall))) if overall > 0 else batch
        self._task: asyncio.Task | None = None
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()  # something changed: a send ended, a pause, stopping
        self._queues: dict[int, deque[_Item]] = {}  # chat → its due rows held here, oldest first
        self._queued: set[int] = set()  # ids of those rows
        self._cut: set[int] = set()  # chats that had more rows than CHAT_ROWS when read
        self._busy: set[int] = set()  # chats with a send under way (one at a time per chat)
        self._next_to: dict[int, float] = {}  # chat → monotonic time it may get its next message
        self._sends: set[asyncio.Task] = set()
        self._ahead = 0  # sends started and not yet past their turn
        self._next_slot = 0.0  # monotonic time of the next turn
        self._paused_until = 0.0
        self._read_at = 0.0  # monotonic time to read the outbox again
        self._sent = 0  # Telegram accepted, since the sender was made
        self._failures = 0  # consecutive failures of Telegram
        self._read_failures = 0  # consecutive failures to read the outbox (the database away)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Starts the loop as a background task; a second call while it runs does nothing."""
        if self.running:
            return
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self, grace: float = 5.0) -> None:
        """No new send begins; the sends under way finish (up to `grace` seconds, then they are cancelled)
        and the rows held back are released; waits for the task."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping.set()
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), grace)
        except TimeoutError:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    # ----------------------------------------------------------------- the loop

    async def _run(self) -> None:
        log.info("outbox sender started")
        try:
            while not self._stopping.is_set():
                try:
                    await self._pump(continuous=True)
                except Exception:  # the database away, say: keep the loop alive, back off
                    log.exception("outbox sender: reading the outbox failed")
                    self._read_failures += 1
                    await self._sleep(min(self.backoff * 2 ** (self._read_failures - 1), self.max_backoff))
            await self._settle()
        except asyncio.CancelledError:
            for send in self._sends:
                send.cancel()
            raise
        log.info("outbox sender stopped")

    async def _pump(self, *, continuous: bool) -> None:
        """Starts sends as their turns come until stopping (continuous) or until nothing is left (a pass)."""
        while not self._stopping.is_set():
            self._wake.clear()
            now = time.monotonic()
            wants_rows = continuous and len(self._queues) < self.chats_wanted
            if wants_rows and now >= self._read_at:
                await self._read(cut=True)
                continue
            wait = self._dispatch(now)
            if wait == 0:
                continue
            if wait is None:  # nothing held, nothing under way
                if not continuous:
                    return
                wait = math.inf
            if wants_rows:
                wait = min(wait, self._read_at - now)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), None if wait == math.inf else wait)

    async def _read(self, *, cut: bool) -> None:
        """Reads due rows into memory, skipping the chats held or being sent to, and (`cut`: the loop) the
        chats written to just now, and holding at most `CHAT_ROWS` of one chat."""
        now = time.monotonic()
        self._next_to = {chat: at for chat, at in self._next_to.items() if at > now}
        skip = set(self._queues) | self._busy | (set(self._next_to) if cut else set())
        notices = await self.outbox.pending(self.batch, skip)
        added = 0
        for notice in notices:
            chat = notice.telegram_id
            if notice.id in self._queued or chat in self._busy:
                continue
            queue = self._queues.setdefault(chat, deque())
            if cut and len(queue) >= CHAT_ROWS:
                self._cut.add(chat)
                continue
            queue.append(_Item(notice))
            self._queued.add(notice.id)
            added += 1
        # More may be waiting right away when the read was full; otherwise look again after `idle`.
        self._read_at = time.monotonic() + (0 if len(notices) >= self.batch and added else self.idle)
        self._read_failures = 0

    def _dispatch(self, now: float) -> float | None:
        """Starts the next send if its turn is near: 0 when one started, else seconds until one may (inf:
        when a send under way ends), None when nothing is held or under way."""
        if not self._queues:
            return None if not self._sends else math.inf
        if len(self._sends) >= self.concurrency or self._ahead >= AHEAD:
            return math.inf
        turn = max(self._next_slot, self._paused_until) + self._ahead * self.overall
        if turn - now > LOOKAHEAD:
            return turn - now - LOOKAHEAD
        chat, soonest = None, math.inf
        # Users' notices go first: the staff group waits while any is held or being sent.
        users_first = any(c > 0 for c in self._queues) or any(c > 0 for c in self._busy)
        for candidate, queue in self._queues.items():
            if candidate in self._busy or (candidate < 0 and users_first):
                continue
            free_at = self._next_to.get(candidate, 0.0)
            if free_at > now:
                soonest = min(soonest, free_at - now)
            elif chat is None or _order(queue[0]) < _order(self._queues[chat][0]):
                chat = candidate
        if chat is None:
            return soonest
        queue = self._queues[chat]
        item = queue.popleft()
        self._queued.discard(item.notice.id)
        if not queue:
            del self._queues[chat]
            if chat in self._cut:  # its next rows can be read now
                self._cut.discard(chat)
                self._read_at = 0.0
        self._busy.add(chat)
        self._ahead += 1
        send = asyncio.create_task(self._deliver(item), name=f"outbox-{item.notice.id}")
        self._sends.add(send)
        send.add_done_callback(self._sends.discard)
        return 0

    async def _settle(self) -> None:
        """Stopping: waits for the sends under way, and releases the rows held claimed for a retry."""
        await asyncio.gather(*self._sends, return_exceptions=True)
        held = [item.notice.id for queue in self._queues.values() for item in queue if item.claimed_at is not None]
        self._queues.clear()
        self._queued.clear()
        self._cut.clear()
        for notice_id in held:
            await self._release(notice_id)

    # ----------------------------------------------------------------- one send

    async def _deliver(self, item: _Item) -> None:
        notice = item.notice
        chat = notice.telegram_id
        waiting = True  # counted in `_ahead` until its turn comes
        try:
            if item.claimed_at is None:
                if not await self.outbox.claim(notice.id, timedelta(seconds=self.claim)):
                    return  # another sender took it, or it was settled meanwhile
                item.claimed_at = time.monotonic()
            try:
                rendered = self._render(notice)
            except Exception:
                log.exception("outbox %s (%s): cannot render", notice.id, notice.kind)
                await self._failed(notice)
                return
            try:
                await self._turn(chat)
            except _Stopped:
                await self._release(notice.id)
                return
            self._ahead -= 1
            waiting = False
            self._wake.set()
            await self._send(item, rendered)
        except Exception:  # the database away while claiming or settling: the claim lapses, the row comes back
            log.exception("outbox %s (%s): delivery failed", notice.id, notice.kind)
        finally:
            if waiting:
                self._ahead -= 1
            self._busy.discard(chat)
            self._sends.discard(asyncio.current_task())  # now, not after the done callbacks
            self._wake.set()

    def _render(self, notice: Delivery) -> RenderedNotice | None:
        """What the chat gets; None when the staff group's sender sends it (a topic, a copied message)."""
        read = notice.read()
        page = None if self.pages is None else page_notice(self.i18n, read, notice.language, self.pages)
        if page is not None:
            return page
        if self.group is not None and notice.kind in GROUP_KINDS:
            return None
        return render_notice(self.i18n, read, notice.language, notice.person_name, notice.quoted)

    async def _turn(self, chat: int) -> None:
        """Waits for the send's turn: the overall schedule, any pause, and the chat's own pace."""
        while True:
            if self._stopping.is_set():
                raise _Stopped
            now = time.monotonic()
            turn = max(self._next_slot, self._paused_until, self._next_to.get(chat, 0.0))
            if turn <= now:
                # Keep to the schedule when only a little late, so the pace holds; otherwise start it again.
                self._next_slot = (turn if now - turn < self.overall / 10 else now) + self.overall
                self._next_to[chat] = now + (max(self.per_chat, self.per_group) if chat < 0 else self.per_chat)
                return
            await self._sleep(turn - now)

    async def _send(self, item: _Item, rendered: RenderedNotice | None) -> None:
        notice = item.notice
        try:
            if rendered is None and self.group is not None:  # to the staff group: a topic and its messages
                await self.group.send(notice.read())
            else:
                await self.bot.send_message(notice.telegram_id, rendered.text, reply_markup=rendered.reply_markup)
        except TelegramRetryAfter as error:
            log.warning("outbox %s: flood control, every send paused for %s s", notice.id, error.retry_after)
            self._pause(error.retry_after)
            await self._again(item)
            return
        except TelegramForbiddenError as error:
            await self._blocked(notice, type(error).__name__)
            return
        except TelegramBadRequest as error:
            if "chat not found" in error.message.lower():
                await self._blocked(notice, "chat not found")
            else:  # a message Telegram refuses: sending it again will not help
                log.info("outbox %s (%s): given up, %s", notice.id, notice.kind, type(error).__name__)
                await self.outbox.give_up(notice.id, notice.broadcast_id)
            return
        except (TelegramNetworkError, TelegramServerError, TelegramUnauthorizedError) as error:
            # Telegram (or our token) is the problem, not the row: every send waits, the row is tried again.
            self._failures += 1
            seconds = self._backoff_seconds()
            log.warning(
                "outbox %s: Telegram unavailable (%s), every send paused for %.1f s",
                notice.id,
                type(error).__name__,
                seconds,
            )
            self._pause(seconds)
            await self._again(item)
            return
        except Exception:
            log.exception("outbox %s (%s): send failed", notice.id, notice.kind)
            await self._failed(notice)
            return
        self._failures = 0
        self._sent += 1
        # Telegram has it: mark it even if we are being cancelled right now (a duplicate otherwise).
        await asyncio.shield(self._mark_sent(notice))

    async def _mark_sent(self, notice: Delivery) -> None:
        for attempt in range(4):
            try:
                await self.outbox.mark_sent(notice.id, notice.broadcast_id)
                return
            except Exception:
                if attempt == 3:
                    log.exception("outbox %s: sent, but not marked: it will be sent again", notice.id)
                    return
                await asyncio.sleep(0.5 * 2**attempt)

    async def _again(self, item: _Item) -> None:
        """After a pause: the row goes back to the front of its chat's queue, still claimed, when the claim
        outlasts the pause by half its length; otherwise it is released until then, and the chat's other
        rows wait with it (its notices stay in order)."""
        chat = item.notice.telegram_id
        if self._stopping.is_set():
            await self._release(item.notice.id)
        elif item.claimed_at is not None and self._paused_until - item.claimed_at <= self.claim / 2:
            self._queues.setdefault(chat, deque()).appendleft(item)
            self._queued.add(item.notice.id)
        else:
            await self.outbox.postpone(item.notice.id, max(0.0, self._paused_until - time.monotonic()))
            self._forget(chat)
            self._next_to[chat] = self._paused_until

    async def _blocked(self, notice: Delivery, why: str) -> None:
        given_up = await self.outbox.give_up_chat(notice.id, notice.telegram_id, notice.broadcast_id)
        self._forget(notice.telegram_id)
        log.info(
            "outbox %s (%s): the chat refuses messages (%s), %s notices given up", notice.id, notice.kind, why, given_up
        )

    async def _failed(self, notice: Delivery) -> None:
        if await self.outbox.mark_failed(notice.id):
            log.warning("outbox %s (%s): given up after repeated failures", notice.id, notice.kind)

    async def _release(self, notice_id: int) -> None:
        """Gives a claimed, unsent row back at once (best effort: otherwise its claim lapses)."""
        try:
            await asyncio.shield(self.outbox.postpone(notice_id, 0))
        except Exception:
            log.warning("outbox %s: could not be released, its claim will lapse", notice_id)

    def _forget(self, chat: int) -> None:
        for item in self._queues.pop(chat, ()):
            self._queued.discard(item.notice.id)
        self._cut.discard(chat)

    def _pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)
        self._wake.set()

    def _backoff_seconds(self) -> float:
        return min(self.backoff * 2 ** (self._failures - 1), self.max_backoff)

    async def _sleep(self, seconds: float) -> None:
        """Sleeps, but wakes at once when stopping."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)


__all__ = ["OutboxSender"]
