"""Helpers of the import tests: the sample files, engines, table dumps."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from core.bootstrap import Container
from core.db.engine import create_engine, create_session_factory
from core.db.models import Clinic, Deposit, InsuredPerson, Program, clinic_programs
from core.db.people import PeopleRepository
from core.services.importing import ImportResult, import_file
from emulators import SAMPLE_DATA
from tests.roots import container, settings_for

DATA = SAMPLE_DATA
TODAY = date(2026, 9, 1)
# the import order of docs/formats.md: each kind refers to the ones before it.
SAMPLES = (
    ("programs", "programs.csv"),
    ("clinics", "clinics.csv"),
    ("registry", "registry.csv"),
    ("deposits", "deposits.csv"),
)
TABLES = (Program.__table__, Clinic.__table__, clinic_programs, InsuredPerson.__table__, Deposit.__table__)


@asynccontextmanager
async def engine_for(url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(url)
    try:
        yield engine
    finally:
        await engine.dispose()


@asynccontextmanager
async def root_with_samples(url: str, today: date, **values: object) -> AsyncIterator[Container]:
    """The composition root on `url` (`values`: more settings), its clock on `today`, the samples imported."""
    async with container(settings_for(url, bot_today=today, **values)) as root:
        await import_samples(root.engine)
        yield root


async def import_samples(engine: AsyncEngine) -> dict[str, ImportResult]:
    return {kind: await import_file(engine, kind, DATA / name, today=TODAY) for kind, name in SAMPLES}


async def import_text(engine: AsyncEngine, kind: str, text: str, *, full: bool = False) -> ImportResult:
    """A CSV written inline in a test (`;`-separated, first line the header)."""
    return await import_file(engine, kind, text.encode(), filename=f"{kind}.csv", full=full, today=TODAY)


async def dump(engine: AsyncEngine) -> dict[str, list[tuple]]:
    """Every row of the tables imports write, in a stable order."""
    async with engine.connect() as conn:
        return {
            table.name: sorted((tuple(row) for row in await conn.execute(select(table))), key=repr) for table in TABLES
        }


async def person(engine: AsyncEngine, policy_key: str) -> InsuredPerson | None:
    async with create_session_factory(engine)() as session:
        return await PeopleRepository(session).by_policy_key(policy_key)
