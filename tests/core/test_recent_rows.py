"""The policy rows kept between commits: stored after a read, dropped by every commit through the
engine (a session's or a Core connection's), never stored by a read that a drop overtook."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from core.db.commits import on_commit
from core.db.engine import create_engine, create_session_factory
from core.services.recent_rows import RecentRows


async def test_a_row_read_is_kept_until_forgotten() -> None:
    recent, loads = RecentRows(), []

    async def load() -> list:
        loads.append(1)
        return [("row", len(loads))]

    assert await recent.get("k", load) == [("row", 1)]
    assert await recent.get("k", load) == [("row", 1)]
    recent.forget()
    assert await recent.get("k", load) == [("row", 2)]


async def test_a_list_keeps_each_of_its_rows_alone() -> None:
    recent = RecentRows()

    async def listed() -> list:
        return [(1, "a"), (2, "b")]

    async def unexpected() -> list:
        raise AssertionError("read again")

    await recent.get("list", listed, lambda row: ("one", row[0]))
    assert await recent.get(("one", 2), unexpected) == [(2, "b")]


async def test_a_read_overtaken_by_a_commit_is_not_kept() -> None:
    recent, started, finish = RecentRows(), asyncio.Event(), asyncio.Event()

    async def slow() -> list:
        started.set()
        await finish.wait()
        return ["before the commit"]

    reading = asyncio.create_task(recent.get("k", slow))
    await started.wait()
    recent.forget()  # a commit lands while the read is under way
    finish.set()
    assert await reading == ["before the commit"]

    async def fresh() -> list:
        return ["after"]

    assert await recent.get("k", fresh) == ["after"]


async def test_entries_expire_and_the_oldest_go_first() -> None:
    recent = RecentRows(ttl=0.0, max_size=2)
    calls = []

    async def load() -> list:
        calls.append(1)
        return [len(calls)]

    await recent.get("k", load)
    await recent.get("k", load)
    assert len(calls) == 2  # expired at once
    for key in ("a", "b", "c"):
        recent.put(key, [key])
    assert list(recent._entries) == ["b", "c"]


async def test_every_commit_through_the_engine_is_heard_and_reads_are_not(tmp_path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/c.sqlite3")
    heard: list[int] = []
    on_commit(engine, lambda: heard.append(1))
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (x INTEGER)"))
        assert heard == [1]
        async with engine.connect() as conn:  # a read, closed without a commit
            await conn.execute(text("SELECT * FROM t"))
        assert heard == [1]
        async with create_session_factory(engine)() as session:  # a unit of work's session
            await session.execute(text("INSERT INTO t VALUES (1)"))
            await session.commit()
        assert heard == [1, 1]
        async with create_session_factory(engine)() as session:  # rolled back: nothing to hear
            await session.execute(text("INSERT INTO t VALUES (2)"))
            await session.rollback()
        assert heard == [1, 1]
    finally:
        await engine.dispose()
