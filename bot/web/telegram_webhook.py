"""POST WEBHOOK_PATH: Telegram's updates in webhook mode, each handled once, the answer never held long.

- **Once.** Before anything runs, the update is claimed: `SET <REDIS_PREFIX>:update:{bot id}:{update id} NX EX ttl`
  on Redis, shared by every replica. An update already handled or being handled (a Telegram retry, or the
  same update reaching another replica) is answered 200 at once and not handled again. Without Redis
  (REDIS_URL unset, the embedded default) the claims are a set in this process's memory with the same
  TTL: enough for the single process that mode is, not for replicas.
- **Answered quickly.** The update is handled in a task of its own. The answer waits for it at most
  `answer_within` seconds (Telegram sends a chat's next update only after our answer, so a quick update
  keeps the chat's order); slower work goes on in the background after a 200, far inside Telegram's
  timeout, so a slow SMS gateway no longer makes Telegram send the update again.
- **A reply in the answer.** A handler that returns its one Bot API call instead of making it (`/menu`
  does) gets it sent as the webhook's answer, which Telegram performs: no request of ours, no wait for
  Telegram's reply. When the handler outlived the wait, the call is made the usual way.
- **Given up after one try.** A handler that fails is the error handler's (`bot/handlers/errors.py`: the
  incident id in the log, the polite answer to the user); an exception that escapes even that is logged
  once with an incident id (`bot/runners/in_flight.py`, as in polling). Either way Telegram gets 200 and
  never re-sends it, and nothing here runs it again.
- **Drained on stop.** On the aiohttp app's shutdown new posts get 503 (Telegram retries, another replica
  takes them) and the updates in flight are awaited for at most `drain_within` seconds; what is left is
  cancelled and logged by update id.
- The secret token (`WEBHOOK_SECRET`) is checked first: 401 otherwise, before anything is read.

Other answers: 400 for a body that is not an update (Telegram never sends one; one nested too deep to
parse included), 503 when the claim could not be made (Redis down): Telegram retries later, and nothing
has run.

What can be lost (at most once, never twice): an update still running when the drain bound runs out
(cancelled, logged by id), or one a replica was running when it was killed outright.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol

from aiogram import Bot, Dispatcher
from aiogram.methods import TelegramMethod
from aiogram.types import InputFile, Update
from aiohttp import web
from pydantic_core import to_json
from redis.asyncio import Redis

from bot.runners.in_flight import DRAIN_WITHIN_SECONDS, InFlight, call, handle, incident

log = logging.getLogger(__name__)

# Telegram keeps an update it could not deliver for 24 hours: a claim outlives every re-send of it.
# About 100 bytes of Redis (or of this process) per update.
CLAIM_TTL_SECONDS = 24 * 3600
ANSWER_WITHIN_SECONDS = 1.0  # well inside Telegram's timeout
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class UpdateClaims(Protocol):
    shared: bool  # whether other replicas see the claims

    async def claim(self, bot_id: int, update_id: int) -> bool:
        """True the first time an update is claimed (within the TTL); False ever after."""


class RedisUpdateClaims:
    """Claims every replica sees: one key per update, set only if absent, expiring after `ttl`."""

    shared = True

    def __init__(self, redis: Redis, prefix: str = "dmsbot:update:", ttl: int = CLAIM_TTL_SECONDS) -> None:
        self.redis = redis
        self.prefix = prefix
        self.ttl = ttl

    async def claim(self, bot_id: int, update_id: int) -> bool:
        return bool(await self.redis.set(f"{self.prefix}{bot_id}:{update_id}", b"1", nx=True, ex=self.ttl))


class LocalUpdateClaims:
    """Claims in this process only, for the embedded default (no Redis, one process): not for replicas.

    Every claim lives `ttl` seconds, so insertion order is expiry order and the oldest go first."""

    shared = False

    def __init__(self, ttl: float = CLAIM_TTL_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._until: OrderedDict[tuple[int, int], float] = OrderedDict()

    async def claim(self, bot_id: int, update_id: int) -> bool:
        now = self.clock()
        while self._until and next(iter(self._until.values())) <= now:
            self._until.popitem(last=False)
        key = (bot_id, update_id)
        if key in self._until:
            return False
        self._until[key] = now + self.ttl
        return True

    def __len__(self) -> int:
        return len(self._until)


_PLAIN = (str, int, float, bool)


def webhook_values(value: Any, bot: Bot, files: dict[str, InputFile]) -> Any:
    """What aiogram's `prepare_value(value, _dumps_json=False)` makes of a dumped method (None is "not sent"
    either way). The containers and plain values, most of a reply, are walked here without aiogram's chain of
    checks at each; anything else (a bot default, a file, a date, an enum) is aiogram's to prepare."""
    kind = type(value)
    if kind is dict:
        return {key: item for key, raw in value.items() if (item := webhook_values(raw, bot, files)) is not None}
    if kind is list:
        return [item for raw in value if (item := webhook_values(raw, bot, files)) is not None]
    if value is None or kind in _PLAIN:
        return value
    return bot.session.prepare_value(value, bot=bot, files=files, _dumps_json=False)


def claims_for(redis: Redis | None, prefix: str = "dmsbot:update:") -> UpdateClaims:
    return RedisUpdateClaims(redis, prefix) if redis is not None else LocalUpdateClaims()


def _answer(status: int = 200) -> web.Response:
    return web.Response(
        status=status, text="{}" if status == 200 else None, content_type="application/json" if status == 200 else None
    )


class TelegramWebhook:
    def __init__(
        self,
        dp: Dispatcher,
        bot: Bot,
        claims: UpdateClaims,
        *,
        secret_token: str | None,
        answer_within: float = ANSWER_WITHIN_SECONDS,
        drain_within: float = DRAIN_WITHIN_SECONDS,
    ) -> None:
        self.dp = dp
        self.bot = bot
        self.claims = claims
        self.answer_within = answer_within
        self._secret = secret_token.encode() if secret_token else None
        self._in_flight = InFlight(drain_within)
        self._closing = False

    def register(self, app: web.Application, path: str) -> None:
        app.router.add_post(path, self.handle)
        app.on_shutdown.append(self._on_shutdown)

    @property
    def in_flight(self) -> int:
        return len(self._in_flight)

    async def handle(self, request: web.Request) -> web.Response:
        if self._secret is not None and not hmac.compare_digest(
            request.headers.get(SECRET_HEADER, "").encode(), self._secret
        ):
            return web.Response(status=401, text="Unauthorized")
        if self._closing:
            return _answer(503)  # stopping: Telegram sends it again, to a replica that is not
        try:
            body = await request.json(loads=self.bot.session.json_loads)
            update_id = body["update_id"]
        except (ValueError, TypeError, KeyError, RecursionError):  # RecursionError: JSON nested too deep
            return _answer(400)
        if type(update_id) is not int:
            return _answer(400)
        try:
            first = await self.claims.claim(self.bot.id, update_id)
        except Exception as exc:
            log.warning("update %s not claimed (%s): answered 503, Telegram will retry", update_id, type(exc).__name__)
            return _answer(503)
        if not first:
            log.info("update %s was handled already, or is being handled: not again", update_id)
            return _answer()
        try:
            update = Update.model_validate(body, context={"bot": self.bot})
        except ValueError as exc:  # pydantic's ValidationError; its text could quote the user's input
            log.error(
                "incident %s: update %s could not be read (%s): dropped", incident(), update_id, type(exc).__name__
            )
            return _answer()
        task = self._in_flight.track(handle(self.dp, self.bot, update), f"update {update_id}")
        # The task goes on whatever happens to this request (a client that gave up, a timeout here).
        # One turn of the loop first: the task's first step runs before this one resumes, and an update that
        # waits on nothing (a `/menu` on the embedded default) is done by then, without the timed wait's
        # future, timer and callbacks.
        await asyncio.sleep(0)
        if not task.done():
            await asyncio.wait((task,), timeout=self.answer_within)
        if not task.done():
            task.add_done_callback(self._call_late)
            return _answer()
        return self._reply(task.result())

    def _reply(self, method: TelegramMethod | None) -> web.Response:
        """The webhook's answer: the handler's call for Telegram to make, or nothing. A call with a file to
        upload cannot go in a JSON answer: it is made the usual way."""
        if method is None:
            return _answer()
        files: dict[str, InputFile] = {}
        values = webhook_values(method.model_dump(warnings=False, exclude_none=True), self.bot, files)
        if files:
            self._in_flight.track(call(self.bot, method), f"reply {method.__api_method__}")
            return _answer()
        return web.Response(body=to_json({"method": method.__api_method__, **values}), content_type="application/json")

    def _call_late(self, task: asyncio.Task) -> None:
        if not task.cancelled() and (method := task.result()) is not None:
            self._in_flight.track(call(self.bot, method), f"reply {method.__api_method__}")

    async def idle(self) -> None:
        """Returns when no update is in flight (those that arrive meanwhile included)."""
        await self._in_flight.idle()

    async def drain(self) -> None:
        """Stop taking updates; wait for those in flight, at most `drain_within`; cancel the rest."""
        self._closing = True
        await self._in_flight.drain("webhook")

    async def _on_shutdown(self, _app: web.Application) -> None:
        await self.drain()
