"""Who is asking: a small immutable `Viewer` per Telegram user, cached per process.

Every update needs it (the language, registered or not, the insured person), so a hit reads nothing
from the database. An entry is dropped when a transaction that changed the account commits (the
unit of work reports it), and on every other replica through a Redis channel when Redis is
configured; while the channel is down anything may have been missed, so a (re)subscription drops the
whole cache. Entries also expire after `ttl` seconds: a bound on staleness should a message be lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

from redis.asyncio import Redis

from core.actors import Role, Viewer
from core.db.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)


class ViewerDirectory:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        role_of: Callable[[int, str | None], Role],
        redis: Redis | None = None,
        *,
        channel: str = "dmsbot:viewers:changed",
        ttl: float = 300.0,
        max_size: int = 200_000,
    ) -> None:
        self.uow = uow
        self.role_of = role_of
        self.redis = redis
        self.channel = channel
        self.ttl = ttl
        self.max_size = max_size
        self._entries: OrderedDict[int, tuple[float, Viewer]] = OrderedDict()
        # Bumped on every drop: a load that started before a drop must not store what it read.
        self._epoch = 0
        self._listener: asyncio.Task | None = None
        self.subscribed = asyncio.Event()

    async def get(self, telegram_id: int) -> Viewer:
        entry = self._entries.get(telegram_id)
        if entry is not None and entry[0] > time.monotonic():
            self._entries.move_to_end(telegram_id)
            return entry[1]
        epoch = self._epoch
        viewer = await self._load(telegram_id)
        if epoch == self._epoch:
            self._entries[telegram_id] = (time.monotonic() + self.ttl, viewer)
            self._entries.move_to_end(telegram_id)
            while len(self._entries) > self.max_size:
                self._entries.popitem(last=False)
        return viewer

    def known(self, telegram_id: int) -> Viewer | None:
        """The viewer last read, expired or not, with no database read: whom to answer while it is away."""
        entry = self._entries.get(telegram_id)
        return entry[1] if entry is not None else None

    async def forget(self, telegram_ids: Iterable[int]) -> None:
        """These users' accounts changed: drop them here, and tell the other processes."""
        ids = list(telegram_ids)
        self._drop(ids)
        if self.redis is None:
            return
        try:
            for telegram_id in ids:
                await self.redis.publish(self.channel, str(telegram_id))
        except Exception as exc:
            log.warning("could not announce an account change (%s)", type(exc).__name__)

    async def start(self) -> None:
        """Listen to the other processes' changes (Redis only); returns once subscribed."""
        if self.redis is None or self._listener is not None:
            return
        self._listener = asyncio.create_task(self._listen(), name="viewer-invalidation")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.subscribed.wait(), timeout=5)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None

    def _drop(self, telegram_ids: Iterable[int] | None = None) -> None:
        self._epoch += 1
        if telegram_ids is None:
            self._entries.clear()
            return
        for telegram_id in telegram_ids:
            self._entries.pop(telegram_id, None)

    async def _listen(self) -> None:
        while True:
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                self._drop()  # whatever changed while we were not listening is unknown
                self.subscribed.set()
                async for message in pubsub.listen():
                    with contextlib.suppress(ValueError):
                        self._drop([int(message["data"])])
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.subscribed.clear()
                log.warning("viewer invalidation channel lost (%s); retrying", type(exc).__name__)
                await asyncio.sleep(1)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()

    async def _load(self, telegram_id: int) -> Viewer:
        async with self.uow.reading() as uow:
            row = await uow.accounts.viewer_row(telegram_id)
        role = self.role_of(telegram_id, row.role)  # the configuration's, else the one granted in the bot
        return Viewer(
            telegram_id,
            account_id=row.id,
            person_id=row.insured_person_id,
            language=row.language,
            role=role,
            blocked=bool(row.blocked),
        )
