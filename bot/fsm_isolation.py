"""One update at a time per user across replicas, without a dead replica holding the user up.

aiogram's Redis isolation takes the user's lock for 60 s: a replica killed in the middle of an update
(SIGKILL, the machine gone) left the user's next presses waiting up to a minute. Here the lock lives
`ttl` seconds and its holder renews it every third of that while the update runs, so a live update keeps
it however long it takes, and a dead holder's lock is gone within `ttl`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from aiogram.fsm.storage.base import BaseEventIsolation, KeyBuilder, StorageKey
from redis.asyncio import Redis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError

log = logging.getLogger(__name__)

LOCK_TTL_SECONDS = 6.0


class RenewedLockIsolation(BaseEventIsolation):
    def __init__(self, redis: Redis, key_builder: KeyBuilder, ttl: float = LOCK_TTL_SECONDS) -> None:
        self.redis = redis
        self.key_builder = key_builder
        self.ttl = ttl

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        held = Lock(self.redis, self.key_builder.build(key, "lock"), timeout=self.ttl)
        await held.acquire()
        renewal = asyncio.create_task(self._renew(held))
        try:
            yield None
        finally:
            renewal.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewal
            try:
                await held.release()
            except LockError:  # it lapsed (Redis was away longer than the TTL): nothing of ours to free
                log.warning("a dialog lock had lapsed before its update ended")

    async def _renew(self, held: Lock) -> None:
        while True:
            await asyncio.sleep(self.ttl / 3)
            try:
                await held.reacquire()
            except Exception as exc:  # Redis away: the next renewal tries again, the lock lapses meanwhile
                log.warning("a dialog lock was not renewed (%s)", type(exc).__name__)

    async def close(self) -> None:
        pass
