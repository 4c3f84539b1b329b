"""Where one-time codes and daily counters live: Redis when configured, else the database.

Every operation a concurrent request could race on is atomic in the store
itself (a Lua script, a conditional UPDATE, an upsert), so two replicas never
both pass a limit. Keys arrive already pseudonymised by `core.otp`.
Correctness never depends on a Redis TTL: TTLs only collect garbage, the
record's own timestamps decide.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from redis.asyncio import Redis
from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db.models import OtpCode, OtpCounter
from core.otp import KEEP_AFTER_EXPIRY, CodeRecord


class OtpStore(Protocol):
    async def get(self, key: str) -> CodeRecord | None: ...

    async def replace(self, key: str, record: CodeRecord, issued_before: datetime) -> bool:
        """Store `record` unless the current one was created after `issued_before` (a lost race)."""

    async def add_try(self, key: str) -> CodeRecord | None:
        """Count one try atomically; the record as it is after counting it."""

    async def consume(self, key: str, digest: str) -> bool:
        """Delete the record if it still holds `digest`; False when another request got there first."""

    async def take(self, counter: str, day: date, limit: int) -> bool:
        """Count one more code on `day` unless that would pass `limit`."""

    async def give_back(self, counter: str, day: date) -> None:
        """Undo a `take` whose code was not issued after all."""


# --- Redis

_COUNTER_TTL = int(timedelta(days=2).total_seconds())  # outlives "today" in any time zone

# KEYS[1] record; ARGV: issued_before, digest, created, expires, ttl_ms (timestamps as epoch seconds)
_REPLACE = """
local created = redis.call('HGET', KEYS[1], 'created')
if created and tonumber(created) > tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'digest', ARGV[2], 'created', ARGV[3], 'expires', ARGV[4], 'tries', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
"""
_ADD_TRY = """
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local tries = redis.call('HINCRBY', KEYS[1], 'tries', 1)
local r = redis.call('HMGET', KEYS[1], 'digest', 'created', 'expires')
return {r[1], r[2], r[3], tries}
"""
_CONSUME = """
if redis.call('HGET', KEYS[1], 'digest') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisOtpStore:
    def __init__(self, redis: Redis, prefix: str = "dmsbot:otp:") -> None:
        self.redis = redis
        self.prefix = prefix
        self._replace = redis.register_script(_REPLACE)
        self._add_try = redis.register_script(_ADD_TRY)
        self._consume = redis.register_script(_CONSUME)

    async def get(self, key: str) -> CodeRecord | None:
        fields = await self.redis.hmget(self._code(key), "digest", "created", "expires", "tries")
        digest, created, expires, tries = fields
        if digest is None:
            return None
        return _record(digest, created, expires, tries)

    async def replace(self, key: str, record: CodeRecord, issued_before: datetime) -> bool:
        keep = record.expires_at + KEEP_AFTER_EXPIRY - record.created_at
        args = [
            issued_before.timestamp(),
            record.digest,
            record.created_at.timestamp(),
            record.expires_at.timestamp(),
            int(keep.total_seconds() * 1000),
        ]
        return bool(await self._replace(keys=[self._code(key)], args=args))

    async def add_try(self, key: str) -> CodeRecord | None:
        found = await self._add_try(keys=[self._code(key)])
        return None if found is None else _record(*found)

    async def consume(self, key: str, digest: str) -> bool:
        return bool(await self._consume(keys=[self._code(key)], args=[digest]))

    async def take(self, counter: str, day: date, limit: int) -> bool:
        name = self._counter(counter, day)
        async with self.redis.pipeline(transaction=True) as pipe:
            count, _ = await pipe.incr(name).expire(name, _COUNTER_TTL).execute()
        if count > limit:
            await self.redis.decr(name)
            return False
        return True

    async def give_back(self, counter: str, day: date) -> None:
        await self.redis.decr(self._counter(counter, day))

    def _code(self, key: str) -> str:
        return f"{self.prefix}code:{key}"

    def _counter(self, counter: str, day: date) -> str:
        return f"{self.prefix}count:{counter}:{day.isoformat()}"


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _record(digest: bytes | str, created: bytes | str, expires: bytes | str, tries: bytes | str | int) -> CodeRecord:
    return CodeRecord(
        digest=_text(digest),
        created_at=datetime.fromtimestamp(float(created), UTC),
        expires_at=datetime.fromtimestamp(float(expires), UTC),
        tries=int(tries),
    )


# --- database


class DatabaseOtpStore:
    """The embedded default: the same rules in two small tables, so a restart loses nothing."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_factory = session_factory

    async def get(self, key: str) -> CodeRecord | None:
        async with self.session_factory() as session:
            row = await session.get(OtpCode, key)
            return None if row is None else _from_row(row.digest, row.created_at, row.expires_at, row.tries)

    async def replace(self, key: str, record: CodeRecord, issued_before: datetime) -> bool:
        values = {
            "digest": record.digest,
            "created_at": record.created_at,
            "expires_at": record.expires_at,
            "tries": 0,
        }
        async with self.session_factory() as session, session.begin():
            # Housekeeping rides along: codes are issued rarely, and this keeps the table small.
            await session.execute(delete(OtpCode).where(OtpCode.expires_at < record.created_at - KEEP_AFTER_EXPIRY))
            updated = await session.scalar(
                update(OtpCode)
                .where(OtpCode.scope_key == key, OtpCode.created_at <= issued_before)
                .values(values)
                .returning(OtpCode.scope_key)
            )
            if updated is not None:
                return True
            inserted = await session.scalar(
                _insert(session)(OtpCode)
                .values(scope_key=key, **values)
                .on_conflict_do_nothing(index_elements=[OtpCode.scope_key])
                .returning(OtpCode.scope_key)
            )
            return inserted is not None

    async def add_try(self, key: str) -> CodeRecord | None:
        async with self.session_factory() as session, session.begin():
            row = (
                await session.execute(
                    update(OtpCode)
                    .where(OtpCode.scope_key == key)
                    .values(tries=OtpCode.tries + 1)
                    .returning(OtpCode.digest, OtpCode.created_at, OtpCode.expires_at, OtpCode.tries)
                )
            ).one_or_none()
            return None if row is None else _from_row(*row)

    async def consume(self, key: str, digest: str) -> bool:
        async with self.session_factory() as session, session.begin():
            deleted = await session.scalar(
                delete(OtpCode).where(OtpCode.scope_key == key, OtpCode.digest == digest).returning(OtpCode.scope_key)
            )
            return deleted is not None

    async def take(self, counter: str, day: date, limit: int) -> bool:
        async with self.session_factory() as session:
            await session.execute(delete(OtpCounter).where(OtpCounter.day < day))
            insert = _insert(session)(OtpCounter).values(key=counter, day=day, count=1)
            count = await session.scalar(
                insert.on_conflict_do_update(
                    index_elements=[OtpCounter.key, OtpCounter.day], set_={"count": OtpCounter.count + 1}
                ).returning(OtpCounter.count)
            )
            if count > limit:
                await session.rollback()
                return False
            await session.commit()
            return True

    async def give_back(self, counter: str, day: date) -> None:
        async with self.session_factory() as session, session.begin():
            await session.execute(
                update(OtpCounter)
                .where(OtpCounter.key == counter, OtpCounter.day == day)
                .values(count=OtpCounter.count - 1)
            )


def _insert(session: AsyncSession):
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def _from_row(digest: str, created_at: datetime, expires_at: datetime, tries: int) -> CodeRecord:
    return CodeRecord(digest, _utc(created_at), _utc(expires_at), tries)


def _utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything written here was UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
