"""Flood control as Telegram applies it to a bot's sends, and what the emulator saw of a sender's pace.

Off unless turned on (``TelegramEmulator(flood_limits=True)`` or ``set_flood_limits``). The model:

- the whole bot: at most ``global_per_second`` sends (30) in any window of one second (a sliding
  window: thirty may come at once, the thirty-first within that second is refused);
- one chat: a token bucket, ``per_chat_per_second`` (1) with a burst of ``burst`` (3): Telegram lets a
  chat take a short burst, then about one message a second;
- a group (a chat id below zero): besides its bucket, at most ``group_per_minute`` (20) sends in any
  window of a minute, as Telegram limits a bot's messages to one group;
- a refused send gets 429 ``Too Many Requests: retry after N`` with ``parameters.retry_after`` = N,
  whole seconds, at least 1, as Telegram answers; a refused send takes nothing from either limit;
- until those N seconds have passed, every send in the refused scope (that chat, or the whole bot for
  the global limit) is refused again, and counted as ``ignored``: a sender that honours retry_after has
  none (unless a send was already on its way when the 429 was answered).

Every send* method (sendMessage, sendDocument, sendPhoto, sendVenue, sendLocation, copyMessage) counts. Real Telegram is fuzzier
(its limits are "about" these and vary with load); this is the strict reading of them.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass

from emulators.telegram.protocol import ApiError


@dataclass
class _Bucket:
    """Token bucket: `capacity` sends at once, refilled at `rate` per second."""

    rate: float
    capacity: float
    tokens: float
    stamp: float

    def wait(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


@dataclass(frozen=True)
class FloodStats:
    """What the emulator saw since flood control was turned on."""

    accepted: int  # sends let through
    refused: int  # 429 answers, all of them
    refused_chat: int  # ... because one chat went over its limit
    refused_global: int  # ... because the bot went over its overall limit
    ignored: int  # sends made while a retry_after given for their scope had not passed yet
    busiest_second: int  # most sends accepted in any one-second window, all chats
    busiest_chat_second: int  # most sends accepted to one chat in any one-second window
    first_at: float | None  # monotonic time of the first and the last accepted send
    last_at: float | None
    refusals: tuple[tuple[float, int, str, int], ...] = ()  # (monotonic time, chat, "chat" | "global", retry_after)

    @property
    def rate(self) -> float:
        """Accepted sends per second between the first and the last."""
        if self.accepted < 2 or self.first_at is None or self.last_at is None or self.last_at <= self.first_at:
            return 0.0
        return (self.accepted - 1) / (self.last_at - self.first_at)


class FloodControl:
    def __init__(
        self,
        per_chat_per_second: float | None,
        global_per_second: float | None,
        burst: int,
        group_per_minute: int | None = 20,
    ) -> None:
        if per_chat_per_second is not None and per_chat_per_second <= 0:
            raise ValueError("per_chat_per_second must be positive (or None)")
        if global_per_second is not None and global_per_second < 1:
            raise ValueError("global_per_second must be at least 1 (or None)")
        self.per_chat = per_chat_per_second
        self.global_limit = int(global_per_second) if global_per_second else None
        self.burst = max(1, burst)
        self.group_per_minute = group_per_minute
        self._chats: dict[int, _Bucket] = {}
        self._groups: dict[int, deque[float]] = {}  # a group's accepted sends in the last minute
        self._window: deque[float] = deque()  # accepted sends in the last second, all chats
        self._banned_until: dict[int | None, float] = {}  # chat (None: the whole bot) → end of its retry_after
        self._accepted: list[tuple[float, int]] = []  # (monotonic time, chat), in order
        self._refused = {"chat": 0, "global": 0}
        self._refusals: list[tuple[float, int, str, int]] = []
        self._ignored = 0

    def take(self, chat_id: int, now: float) -> None:
        """Counts one send to the chat, or raises the 429 Telegram would answer."""
        for scope in (None, chat_id):
            until = self._banned_until.get(scope)
            if until is not None and now < until:
                self._ignored += 1
                raise self._refuse(now, chat_id, scope, until - now)
        waits: list[tuple[float, int | None]] = []
        if self.global_limit is not None:
            while self._window and self._window[0] <= now - 1.0:
                self._window.popleft()
            if len(self._window) >= self.global_limit:
                waits.append((self._window[len(self._window) - self.global_limit] + 1.0 - now, None))
        group_window = None
        if chat_id < 0 and self.group_per_minute:
            group_window = self._groups.setdefault(chat_id, deque())
            while group_window and group_window[0] <= now - 60.0:
                group_window.popleft()
            if len(group_window) >= self.group_per_minute:
                waits.append((group_window[len(group_window) - self.group_per_minute] + 60.0 - now, chat_id))
        bucket = None
        if self.per_chat is not None:
            bucket = self._chats.get(chat_id)
            if bucket is None:
                bucket = self._chats[chat_id] = _Bucket(self.per_chat, float(self.burst), float(self.burst), now)
            wait = bucket.wait(now)
            if wait > 0:
                waits.append((wait, chat_id))
        if waits:
            wait, scope = max(waits, key=lambda item: item[0])
            seconds = max(1, math.ceil(wait))
            self._banned_until[scope] = now + seconds
            raise self._refuse(now, chat_id, scope, seconds)
        if bucket is not None:
            bucket.tokens -= 1
        if self.global_limit is not None:
            self._window.append(now)
        if group_window is not None:
            group_window.append(now)
        self._accepted.append((now, chat_id))

    def stats(self) -> FloodStats:
        times = [at for at, _ in self._accepted]
        per_chat: dict[int, list[float]] = {}
        for at, chat in self._accepted:
            per_chat.setdefault(chat, []).append(at)
        return FloodStats(
            accepted=len(times),
            refused=sum(self._refused.values()),
            refused_chat=self._refused["chat"],
            refused_global=self._refused["global"],
            ignored=self._ignored,
            busiest_second=_busiest(times),
            busiest_chat_second=max((_busiest(chat_times) for chat_times in per_chat.values()), default=0),
            first_at=times[0] if times else None,
            last_at=times[-1] if times else None,
            refusals=tuple(self._refusals),
        )

    def _refuse(self, now: float, chat_id: int, scope: int | None, seconds: float) -> ApiError:
        error = _too_many(seconds)
        which = "global" if scope is None else "chat"
        self._refused[which] += 1
        self._refusals.append((now, chat_id, which, error.retry_after or 1))
        return error


def _busiest(times: list[float]) -> int:
    """The most of `times` (sorted) within any window (t - 1 s, t]."""
    return max((i + 1 - bisect_right(times, at - 1.0, 0, i + 1) for i, at in enumerate(times)), default=0)


def _too_many(seconds: float) -> ApiError:
    whole = max(1, math.ceil(seconds))
    return ApiError(429, f"Too Many Requests: retry after {whole}", retry_after=whole)


__all__ = ["FloodControl", "FloodStats"]
