"""One update at a time per user across replicas, without a dead replica holding the user up, in two Redis
round trips an update.

aiogram's Redis isolation takes the user's lock for 60 s: a replica killed in the middle of an update
(SIGKILL, the machine gone) left the user's next presses waiting up to a minute. Here the lock lives
`ttl` seconds and its holder renews it every third of that while the update runs, so a live update keeps
it however long it takes, and a dead holder's lock is gone within `ttl`.

aiogram's Redis storage makes a round trip for every read and write of the dialog (the state, the data,
the data again for `update_data`), beside the lock's own: seven in a registration step. Here the lock is
taken and the dialog's state and data read in one script; while the update holds the lock, the storage
serves that dialog from what was read and keeps its writes; a second script writes them and frees the
lock. Nobody else writes a dialog while its lock is held (the desk's reset of someone else's dialog aside,
as before), so what the holder read stays true; its writes reach Redis before the next update of the user
can start, as they did. Any other dialog (the desk's storage, another user's) goes to Redis at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncGenerator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseEventIsolation, KeyBuilder, StateType, StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import Redis

log = logging.getLogger(__name__)

LOCK_TTL_SECONDS = 6.0
RETRY_SECONDS = 0.1  # how often a waiting update tries the lock again (redis-py's Lock waits as long)

# KEYS: the lock, the state, the data. ARGV: the holder's token, the lock's life in milliseconds.
_TAKE = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('GET', KEYS[2]), redis.call('GET', KEYS[3])}
end
return {0}
"""
# KEYS: the lock, the state, the data. ARGV: the token; for the state then the data, what to do ('keep',
# 'del' or 'set'), the value and its TTL in seconds (0: none). Written even when the lock has lapsed, as
# aiogram's storage writes whatever the lock.
_WRITE_AND_FREE = """
local function put(key, op, value, ttl)
  if op == 'del' then
    redis.call('DEL', key)
  elseif op == 'set' then
    if ttl == '0' then redis.call('SET', key, value) else redis.call('SET', key, value, 'EX', ttl) end
  end
end
put(KEYS[2], ARGV[2], ARGV[3], ARGV[4])
put(KEYS[3], ARGV[5], ARGV[6], ARGV[7])
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""


@dataclass
class _Held:
    """The dialog whose lock this update holds: as read when the lock was taken, with its writes since."""

    state_key: str
    state: str | None
    data: str | None  # JSON as stored: each read decodes a fresh dict, as aiogram's storage does
    state_written: bool = False
    data_written: bool = False
    open: bool = True


# Set by the lock for the update's task (and the tasks it starts); the storage looks here first.
_held: ContextVar[_Held | None] = ContextVar("held_dialog", default=None)


def _text(value: bytes | str | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


def _seconds(ttl: int | timedelta | None) -> str:
    if ttl is None:
        return "0"
    return str(int(ttl.total_seconds()) if isinstance(ttl, timedelta) else int(ttl))


class DialogStorage(RedisStorage):
    """aiogram's Redis storage, but the dialog whose lock the update holds is read and written in the lock's
    own round trips. The dispatcher closes its storage when it shuts down; the client goes on serving the
    container (codes, the viewer channel, update claims), which closes it."""

    def create_isolation(self, ttl: float = LOCK_TTL_SECONDS, **_kwargs: Any) -> RenewedLockIsolation:
        return RenewedLockIsolation(self.redis, self.key_builder, ttl, state_ttl=self.state_ttl, data_ttl=self.data_ttl)

    def _held(self, key: StorageKey) -> _Held | None:
        held = _held.get()
        if held is not None and held.open and held.state_key == self.key_builder.build(key, "state"):
            return held
        return None

    async def get_state(self, key: StorageKey) -> str | None:
        if (held := self._held(key)) is None:
            return await super().get_state(key)
        return held.state

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        if (held := self._held(key)) is None:
            return await super().set_state(key, state)
        held.state = state.state if isinstance(state, State) else state
        held.state_written = True

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        if (held := self._held(key)) is None:
            return await super().get_data(key)
        return self.json_loads(held.data) if held.data is not None else {}

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if (held := self._held(key)) is None:
            return await super().set_data(key, data)
        if not isinstance(data, dict):
            raise DataNotDictLikeError(f"Data must be a dict or dict-like object, got {type(data).__name__}")
        held.data = self.json_dumps(data) if data else None  # encoded now: a value JSON refuses fails here
        held.data_written = True

    async def close(self) -> None:
        pass


class RenewedLockIsolation(BaseEventIsolation):
    def __init__(
        self,
        redis: Redis,
        key_builder: KeyBuilder,
        ttl: float = LOCK_TTL_SECONDS,
        state_ttl: int | timedelta | None = None,
        data_ttl: int | timedelta | None = None,
    ) -> None:
        self.redis = redis
        self.key_builder = key_builder
        self.ttl = ttl
        self.state_ttl, self.data_ttl = _seconds(state_ttl), _seconds(data_ttl)
        self._take = redis.register_script(_TAKE)
        self._write_and_free = redis.register_script(_WRITE_AND_FREE)
        self._renew_script = redis.register_script(_RENEW)

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        keys = [self.key_builder.build(key, part) for part in ("lock", "state", "data")]
        token = uuid.uuid4().hex
        while not (taken := await self._take(keys, [token, int(self.ttl * 1000)]))[0]:
            await asyncio.sleep(RETRY_SECONDS)
        held = _Held(keys[1], _text(taken[1]), _text(taken[2]))
        reset = _held.set(held)
        renewal = asyncio.create_task(self._renew(keys[0], token))
        try:
            yield None
        finally:
            renewal.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewal
            held.open = False
            _held.reset(reset)
            if not await self._write_and_free(keys, [token, *self._writes(held)]):
                # it lapsed (Redis was away longer than the TTL): nothing of ours to free
                log.warning("a dialog lock had lapsed before its update ended")

    def _writes(self, held: _Held) -> list[str]:
        def op(written: bool, value: str | None) -> str:
            return "keep" if not written else "del" if value is None else "set"

        return [
            op(held.state_written, held.state),
            held.state or "",
            self.state_ttl,
            op(held.data_written, held.data),
            held.data or "",
            self.data_ttl,
        ]

    async def _renew(self, lock_key: str, token: str) -> None:
        while True:
            await asyncio.sleep(self.ttl / 3)
            try:
                await self._renew_script([lock_key], [token, int(self.ttl * 1000)])
            except Exception as exc:  # Redis away: the next renewal tries again, the lock lapses meanwhile
                log.warning("a dialog lock was not renewed (%s)", type(exc).__name__)

    async def close(self) -> None:
        pass
