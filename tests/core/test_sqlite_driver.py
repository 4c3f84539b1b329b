"""The embedded database's driver (core/db/sqlite_driver.py): one trip to aiosqlite's thread per
statement, none for an empty COMMIT or ROLLBACK, and otherwise what SQLAlchemy's own adapter does."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import aiosqlite
import pytest
from sqlalchemy import exc, func, insert, select, text

from core.db.engine import create_engine, create_session_factory
from core.db.models import Program
from core.db.sqlite_driver import OneTripConnection
from core.db.uow import UnitOfWorkFactory


@contextmanager
def trips() -> Iterator[list[str]]:
    """The calls made on aiosqlite's thread, by name."""
    seen: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(self, fn, *args, **kwargs):
        seen.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)

    aiosqlite.Connection._execute = counted
    try:
        yield seen
    finally:
        aiosqlite.Connection._execute = original


@pytest.fixture
async def engine(sqlite_url: str) -> AsyncIterator:
    engine = create_engine(sqlite_url)
    yield engine
    await engine.dispose()


async def test_the_engine_uses_it(engine) -> None:
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        assert isinstance(raw.dbapi_connection, OneTripConnection)


async def test_a_read_is_one_trip_and_its_unit_of_work_ends_without_another(engine) -> None:
    uow = UnitOfWorkFactory(create_session_factory(engine))
    async with uow() as warm:  # the pool's first connection is opened outside the count
        await warm.session.execute(select(1))
    with trips() as seen:
        async with uow() as work:
            assert (await work.session.execute(select(func.count()).select_from(Program))).scalar_one() == 0
    assert seen == ["_statement"]


async def test_writes_commit_and_roll_back(engine) -> None:
    uow = UnitOfWorkFactory(create_session_factory(engine))
    async with uow() as work:
        work.session.add(Program(code="A", name="Kept"))
        await work.commit()
    async with uow() as work:
        work.session.add(Program(code="B", name="Dropped"))
        await work.session.flush()
        await work.rollback()
    with pytest.raises(RuntimeError):
        async with uow() as work:
            work.session.add(Program(code="C", name="Dropped on error"))
            await work.session.flush()
            raise RuntimeError
    async with uow() as work:
        assert list(await work.session.scalars(select(Program.code))) == ["A"]


async def test_rows_returning_row_counts_and_ids(engine) -> None:
    async with engine.begin() as connection:
        await connection.execute(insert(Program), [{"code": f"P{n}", "name": f"n{n}"} for n in range(5)])
        returned = await connection.execute(insert(Program).values(code="R", name="r").returning(Program.code))
        assert returned.scalar_one() == "R"
        updated = await connection.execute(text("UPDATE programs SET name = 'x' WHERE code LIKE 'P%'"))
        assert updated.rowcount == 5
        rows = (await connection.execute(select(Program.code).order_by(Program.code))).all()
        assert [r.code for r in rows] == ["P0", "P1", "P2", "P3", "P4", "R"]
        many = await connection.stream(select(Program.code).order_by(Program.code))  # a server-side cursor
        assert [row.code async for row in many] == ["P0", "P1", "P2", "P3", "P4", "R"]


async def test_errors_are_sqlalchemys(engine) -> None:
    async with engine.begin() as connection:
        await connection.execute(insert(Program).values(code="A", name="a"))
    with pytest.raises(exc.IntegrityError):
        async with engine.begin() as connection:
            await connection.execute(insert(Program).values(code="A", name="again"))
    with pytest.raises(exc.OperationalError):
        async with engine.connect() as connection:
            await connection.execute(text("SELECT * FROM no_such_table"))


async def test_another_processs_commit_is_seen_by_the_next_read(engine, sqlite_url: str) -> None:
    uow = UnitOfWorkFactory(create_session_factory(engine))
    async with uow() as work:
        assert await work.session.scalar(select(func.count()).select_from(Program)) == 0
    other = create_engine(sqlite_url)  # its own connection, as a second process would have
    try:
        async with other.begin() as connection:
            await connection.execute(insert(Program).values(code="X", name="x"))
    finally:
        await other.dispose()
    async with uow() as work:
        assert await work.session.scalar(select(func.count()).select_from(Program)) == 1
