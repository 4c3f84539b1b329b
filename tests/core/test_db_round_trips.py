"""PostgreSQL's round trips around a statement: the pre-ping made only where a connection may have gone stale
(`core/db/ping.py`), and the units of work that only read, outside a transaction (`reading_sessions`)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from core.db.engine import create_engine, create_session_factory
from core.db.models import Account
from core.db.ping import ping_when_stale
from core.db.uow import UnitOfWorkFactory


def counted_pings(engine: AsyncEngine) -> list[object]:
    dialect = engine.sync_engine.dialect
    ping, pings = dialect.do_ping, []

    def counting(dbapi_connection) -> bool:
        pings.append(dbapi_connection)
        return ping(dbapi_connection)

    dialect.do_ping = counting
    return pings


async def backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return await connection.scalar(text("SELECT pg_backend_pid()"))


async def test_a_connection_back_a_moment_ago_is_used_unproven(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    pings = counted_pings(engine)
    try:
        first = await backend_pid(engine)  # a new connection: pool_pre_ping skips it too
        assert [await backend_pid(engine) for _ in range(5)] == [first] * 5
        assert pings == []
    finally:
        await engine.dispose()


async def test_a_connection_idle_longer_is_pinged_as_pool_pre_ping_does(postgres_url: str) -> None:
    engine = create_async_engine(postgres_url)
    ping_when_stale(engine, recent=0.0)  # every connection idle "too long"
    pings = counted_pings(engine)
    try:
        first = await backend_pid(engine)
        assert len(pings) == 1  # made when the connection was new, pinged on its first checkout since
        assert await backend_pid(engine) == first
        assert len(pings) == 2
    finally:
        await engine.dispose()


async def test_a_connection_the_server_closed_is_replaced_before_use(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    pings = counted_pings(engine)
    admin = create_async_engine(postgres_url, isolation_level="AUTOCOMMIT")
    try:
        first = await backend_pid(engine)
        async with admin.connect() as connection:
            await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        await asyncio.sleep(0.2)  # the server's goodbye read by the loop: the pooled connection is closed
        second = await backend_pid(engine)  # back a moment ago, but closed: pinged, the pool renewed
        assert second != first and len(pings) == 1
    finally:
        await admin.dispose()
        await engine.dispose()


@pytest.fixture
async def uow_factory(postgres_url: str):
    engine = create_engine(postgres_url)
    try:
        yield UnitOfWorkFactory(create_session_factory(engine))
    finally:
        await engine.dispose()


async def test_a_reading_unit_of_work_runs_each_statement_in_a_transaction_of_its_own(uow_factory) -> None:
    began = select(func.transaction_timestamp())
    async with uow_factory.reading() as uow:
        first, second = await uow.session.scalar(began), await uow.session.scalar(began)
    assert first != second  # no BEGIN before them: each statement is its own transaction
    async with uow_factory() as uow:
        first, second = await uow.session.scalar(began), await uow.session.scalar(began)
    assert first == second  # a unit of work that writes keeps its one transaction


async def test_a_reading_unit_of_work_reads_what_was_committed(uow_factory) -> None:
    async with uow_factory() as uow:
        uow.accounts.add(Account(telegram_id=42, created_at=datetime.now(UTC)))
        await uow.commit()
    async with uow_factory.reading() as uow:
        assert (await uow.accounts.viewer_row(42)).id is not None
        assert (await uow.accounts.by_telegram_id(42)).telegram_id == 42


async def test_a_reading_unit_of_work_refuses_to_write(uow_factory) -> None:
    async with uow_factory.reading() as uow:
        uow.accounts.add(Account(telegram_id=7, created_at=datetime.now(UTC)))
        with pytest.raises(RuntimeError, match="only reads"):
            await uow.flush()
    async with uow_factory() as uow:
        uow.accounts.add(Account(telegram_id=8, created_at=datetime.now(UTC)))
        await uow.commit()
    async with uow_factory.reading() as uow:
        with pytest.raises(RuntimeError, match="only reads"):
            await uow.session.execute(update(Account).values(language="en"))
        assert await uow.accounts.by_telegram_id(7) is None  # nothing reached the database
        assert (await uow.accounts.by_telegram_id(8)).language is None


ACCOUNTS = st.dictionaries(st.integers(1, 40), st.sampled_from([None, "ru", "en"]), max_size=12)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ACCOUNTS, st.lists(st.integers(0, 41), min_size=1, max_size=6))
def test_a_reading_unit_of_work_reads_what_one_in_a_transaction_reads(
    postgres_module_url: str, accounts: dict[int, str | None], asked: list[int]
) -> None:
    async def both() -> None:
        engine = create_engine(postgres_module_url)
        factory = UnitOfWorkFactory(create_session_factory(engine))
        try:
            async with factory() as uow:
                await uow.session.execute(delete(Account))
                for telegram_id, language in accounts.items():
                    uow.accounts.add(Account(telegram_id=telegram_id, language=language, created_at=datetime.now(UTC)))
                await uow.commit()
            read = []
            for opened in (factory.reading, factory):
                async with opened() as uow:
                    rows = [await uow.accounts.viewer_row(telegram_id) for telegram_id in asked]
                    read.append([None if row.id is None else (row.insured_person_id, row.language) for row in rows])
            assert read[0] == read[1] == [(None, accounts[t]) if t in accounts else None for t in asked]
        finally:
            await engine.dispose()

    asyncio.run(both())
