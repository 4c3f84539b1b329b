"""Shared fixtures: migrated databases (SQLite always; PostgreSQL and Redis when reachable).

Server-backed tests skip when the server does not answer, unless REQUIRE_SERVICES=1 (CI),
which turns the skip into a failure. Two runs on one machine stay apart: each PostgreSQL test gets a
database of its own, and every Redis key and channel of a run starts with the run's own REDIS_PREFIX
(set here, so the settings of every test and of the processes tests start inherit it).
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from core.db.migrate import upgrade

if TYPE_CHECKING:  # the emulators and the harness load aiogram: only the tests that use them pay for it
    from redis.asyncio import Redis

    from emulators.sms import SmsGatewayEmulator
    from emulators.smtp import SmtpSink
    from emulators.telegram import TelegramEmulator
    from tests.harness import BotHarness

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
GATEWAYS = pytest.StashKey[list]()  # the emulated SMS gateway and mail server a test used
REDIS_PREFIX = os.environ["REDIS_PREFIX"] = f"dmsbot-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(autouse=True)
def logs_without_personal_data(request: pytest.FixtureRequest) -> Iterator[None]:
    """The project's loggers at DEBUG during every test; a line with personal data fails it
    (tests/log_privacy.py). A test of a development fallback that prints codes on purpose opts out with
    `@pytest.mark.prints_personal_data`."""
    from tests.log_privacy import LOGGERS, Recorder, delivered_codes, personal_data

    if request.node.get_closest_marker("prints_personal_data"):
        yield
        return
    recorder = Recorder()
    loggers = [logging.getLogger(name) for name in LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(recorder)
        logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(recorder)
            logger.setLevel(level)
    codes = delivered_codes(_delivered(request))
    leaks = [f"{what}: {line[:300]}" for line in recorder.lines if (what := personal_data(line, codes))]
    assert not leaks, "personal data in the log:\n" + "\n".join(leaks[:10])


def _delivered(request: pytest.FixtureRequest) -> list[str]:
    """What this test's emulated SMS gateway and mail server delivered, if it used them (the fixtures below
    leave themselves in the test's stash: they are torn down before this fixture looks)."""
    texts: list[str] = []
    for gateway in request.node.stash.get(GATEWAYS, []):
        texts += [message[1] if isinstance(message, tuple) else message.body for message in gateway.messages]
    return texts


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def unavailable(what: str, exc: BaseException) -> None:
    message = f"{what} is not reachable ({type(exc).__name__}: {exc})"
    if services_required():
        pytest.fail(message + " and REQUIRE_SERVICES=1", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
async def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated once; each test gets a copy (Alembic per test would be slow)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    await upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "test.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@asynccontextmanager
async def fresh_postgres_database(revision: str = "head") -> AsyncIterator[str]:
    """A new database on the PostgreSQL server migrated to `revision`, dropped afterwards."""
    admin = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"dmsbot_test_{uuid.uuid4().hex[:10]}"
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        await admin.dispose()
        unavailable("PostgreSQL", exc)
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        await upgrade(url, revision)
        yield url
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    async with fresh_postgres_database() as url:
        yield url


@pytest.fixture(scope="module")
async def postgres_module_url() -> AsyncIterator[str]:
    """One database for a module whose tests empty what they use (a fresh one costs ~0.5 s)."""
    async with fresh_postgres_database() as url:
        yield url


async def forget_redis_keys(client: Redis, prefix: str = REDIS_PREFIX) -> None:
    """Delete this run's keys only: another run on the same server keeps its own."""
    batch = [key async for key in client.scan_iter(match=f"{prefix}:*", count=1000)]
    if batch:
        await client.delete(*batch)


@pytest.fixture
async def redis_url() -> AsyncIterator[str]:
    """The test Redis server, with this run's keys (REDIS_PREFIX) removed before and after."""
    from redis.asyncio import Redis

    client = Redis.from_url(REDIS_URL)
    try:
        await forget_redis_keys(client)
    except Exception as exc:
        await client.aclose()
        unavailable("Redis", exc)
    try:
        yield REDIS_URL
    finally:
        await forget_redis_keys(client)
        await client.aclose()


@pytest.fixture
async def emulator() -> AsyncIterator[TelegramEmulator]:
    from emulators.telegram import TelegramEmulator

    async with TelegramEmulator() as emu:
        yield emu


@pytest.fixture
async def sms_gateway(request: pytest.FixtureRequest) -> AsyncIterator[SmsGatewayEmulator]:
    from emulators.sms import SmsGatewayEmulator

    async with SmsGatewayEmulator() as gateway:
        request.node.stash.setdefault(GATEWAYS, []).append(gateway)  # its codes must not reach the log
        yield gateway


@pytest.fixture
async def smtp_sink(request: pytest.FixtureRequest) -> AsyncIterator[SmtpSink]:
    from emulators.smtp import SmtpSink

    async with SmtpSink() as sink:
        request.node.stash.setdefault(GATEWAYS, []).append(sink)
        yield sink


@pytest.fixture
async def harness(emulator, sms_gateway, smtp_sink, sqlite_url: str) -> AsyncIterator[BotHarness]:
    """The real dispatcher on a fresh SQLite database, with in-memory FSM."""
    from tests.harness import BotHarness

    h = await BotHarness.start(emulator, sms_gateway, smtp_sink, sqlite_url)
    yield h
    await h.close()


@pytest.fixture
def moments() -> list[datetime]:
    """What `moved_harness`'s clock reads: the last instant, on BOT_TODAY; a test moves time by appending."""
    return [datetime.now(UTC)]


@pytest.fixture
async def moved_harness(emulator, sms_gateway, smtp_sink, sqlite_url: str, moments: list[datetime]):
    """`harness` on a clock the test moves (`moments`)."""
    from tests.harness import BotHarness

    h = await BotHarness.start(emulator, sms_gateway, smtp_sink, sqlite_url, now=lambda: moments[-1])
    yield h
    await h.close()


@pytest.fixture
async def harness_pg_redis(emulator, sms_gateway, smtp_sink, postgres_url: str, redis_url: str):
    """The production tier: PostgreSQL, and Redis for the FSM, its event isolation and the codes."""
    from tests.harness import BotHarness

    h = await BotHarness.start(emulator, sms_gateway, smtp_sink, postgres_url, redis_url=redis_url)
    yield h
    await h.close()
