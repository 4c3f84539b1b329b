"""A broadcast whose queuing was cut off (its process killed between two chunks) is queued on by the
worker's job from where it stood, once its beat is a minute old: every recipient once, nobody twice.

The cut is provoked by the one patch here: the repository's second chunk dies as a killed process would
(its transaction never commits), which no outside input can make happen at a chosen chunk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.db.broadcasts import BroadcastRepository
from core.db.models import Broadcast, OutboxMessage
from core.desk.broadcasts import BroadcastStatus
from core.services.broadcasts import BroadcastService
from tests.bot.desk.broadcast_fixtures import FIRST_CHAT, add_people
from tests.roots import SetClock, container, settings_for

ADMIN = 600_000_001
PEOPLE = [FIRST_CHAT + n for n in range(10)]


class Killed(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs, nothing uncommitted stays."""


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")


async def test_a_queuing_cut_off_is_resumed_where_it_stood(database: str, monkeypatch) -> None:
    clock = SetClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    async with container(settings_for(database, admin_ids=[ADMIN]), clock=clock) as root:
        await add_people(root.engine, PEOPLE)
        root.broadcasts.chunk = 4
        draft = BroadcastService.check("News", None, "all", None)
        broadcast_id = await root.broadcasts.start(ADMIN, draft, "en")

        chunks = 0
        queue_chunk = BroadcastRepository.queue_chunk

        async def dies_at_the_second(self, *args, **kwargs):
            nonlocal chunks
            chunks += 1
            if chunks == 2:
                raise Killed
            return await queue_chunk(self, *args, **kwargs)

        monkeypatch.setattr(BroadcastRepository, "queue_chunk", dies_at_the_second)
        with pytest.raises(Killed):
            await root.broadcasts.queue(broadcast_id)
        monkeypatch.setattr(BroadcastRepository, "queue_chunk", queue_chunk)
        assert await queued(root, broadcast_id) == (4, 4, None)

        clock.instant += timedelta(seconds=30)  # a queuing heard of half a minute ago may still be alive
        assert await root.broadcasts.resume() == 0
        assert await queued(root, broadcast_id) == (4, 4, None)

        clock.instant += timedelta(seconds=31)
        assert await root.broadcasts.resume() == 1
        total, rows, queued_at = await queued(root, broadcast_id)
        assert (total, rows, queued_at) == (10, 10, clock.instant)
        async with root.engine.connect() as connection:
            chats = (
                await connection.scalars(
                    select(OutboxMessage.telegram_id).where(OutboxMessage.broadcast_id == broadcast_id)
                )
            ).all()
        assert sorted(chats) == PEOPLE  # each once
        assert await root.broadcasts.resume() == 0  # queued: nothing more to take up
        view = await root.broadcasts.progress(ADMIN, broadcast_id)
        assert view is not None and view.status is BroadcastStatus.RUNNING and view.queued


async def queued(root, broadcast_id: int) -> tuple[int, int, datetime | None]:
    """The broadcast's recipients as counted, its outbox rows, when it was all queued."""
    async with root.engine.connect() as connection:
        broadcast = (await connection.execute(select(Broadcast).where(Broadcast.id == broadcast_id))).one()
        rows = await connection.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.broadcast_id == broadcast_id)
        )
    return broadcast.total, rows, broadcast.queued_at
