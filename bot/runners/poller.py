"""Long polling that waits while Redis is away, instead of answering "temporarily unavailable".

getUpdates confirms every update below the `offset` it is called with, so an update is confirmed only by
the next call after it. aiogram's own loop moves the offset past an update as soon as it is handed to its
task, whatever becomes of it. Here each update is first claimed, as the webhook claims it
(`bot/web/telegram_webhook.py`: `SET … NX` on Redis, or the process's memory without Redis), and only a
claimed update moves the offset. While a claim cannot be made (Redis away), the poller retries that claim
with a back-off and fetches nothing: the update and those after it stay unconfirmed at Telegram, and are
claimed in order and run once each when Redis answers again. A restart in the meantime loses nothing:
Telegram hands the unconfirmed updates to the next poller, and the claims of those already run keep them
from running twice.

An update that has been claimed and then meets Redis going away is the error handler's, as in webhook
mode (`core/infra/outages.py`: "temporarily unavailable, try again in a minute").
"""

from __future__ import annotations

import logging
import time

from aiogram import Bot, Dispatcher
from aiogram.methods import GetUpdates
from aiogram.types import Update
from aiogram.utils.backoff import Backoff, BackoffConfig

from bot.runners.in_flight import InFlight, call, handle
from bot.web.telegram_webhook import UpdateClaims

log = logging.getLogger(__name__)

POLL_SECONDS = 10  # getUpdates' long-poll wait, as aiogram's start_polling
# Telegram unreachable or Redis away: tried again after 0.5 s, growing to 5 s.
RETRY = BackoffConfig(min_delay=0.5, max_delay=5.0, factor=1.5, jitter=0.1)


class Poller:
    def __init__(
        self,
        dp: Dispatcher,
        bot: Bot,
        claims: UpdateClaims,
        *,
        allowed_updates: list[str] | None = None,
        poll_seconds: int = POLL_SECONDS,
        retry: BackoffConfig = RETRY,
    ) -> None:
        self.dp = dp
        self.bot = bot
        self.claims = claims
        self.retry = retry
        self.in_flight = InFlight()
        self.offset: int | None = None  # the next getUpdates confirms every update below it
        self._get_updates = GetUpdates(timeout=poll_seconds, allowed_updates=allowed_updates)
        # The HTTP request outlives the long poll it waits for (the session's own timeout on top of it).
        self._request_timeout = int(bot.session.timeout + poll_seconds)

    async def run(self) -> None:
        """Until cancelled."""
        while True:
            for update in await self._fetch():
                if await self._claim(update):
                    self.in_flight.track(self._run(update), f"update {update.update_id}")
                self.offset = update.update_id + 1

    async def _fetch(self) -> list[Update]:
        backoff = Backoff(self.retry)
        while True:
            self._get_updates.offset = self.offset
            try:
                return await self.bot(self._get_updates, request_timeout=self._request_timeout)
            except Exception as exc:
                log.warning("polling: getUpdates failed (%s), trying again", type(exc).__name__)
                await backoff.asleep()

    async def _claim(self, update: Update) -> bool:
        """True the first time this update is claimed; waits, fetching nothing, while no claim can be made."""
        backoff = Backoff(self.retry)
        since: float | None = None
        while True:
            try:
                first = await self.claims.claim(self.bot.id, update.update_id)
            except Exception as exc:
                if since is None:
                    since = time.monotonic()
                    log.warning(
                        "polling waits: update %s not claimed (%s); nothing is confirmed to Telegram meanwhile",
                        update.update_id,
                        type(exc).__name__,
                    )
                await backoff.asleep()
                continue
            if since is not None:
                log.info("polling resumes after %.1f s: update %s claimed", time.monotonic() - since, update.update_id)
            if not first:
                log.info("update %s was handled already: not again", update.update_id)
            return first

    async def _run(self, update: Update) -> None:
        method = await handle(self.dp, self.bot, update)
        if method is not None:  # a handler's returned call: polling has no answer to carry it
            await call(self.bot, method)
