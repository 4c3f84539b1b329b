"""Registered sample people for the cabinet tests: the sample files imported into the harness's
database, and accounts linked to registry rows directly (registration has tests of its own)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from core.db.engine import create_engine
from core.db.models import Account, InsuredPerson
from core.normalize import canonical_policy, email_key
from core.services.importing import import_file
from emulators import SAMPLE_DATA
from tests.harness import TODAY, BotHarness, Chat

DATA = SAMPLE_DATA
SAMPLES = ("programs", "clinics", "registry", "deposits")  # the import order of docs/formats.md

# Telegram ids of the sample people used in the tests.
IVANOV = 5001  # 123/14: employee, FR20 (20 %), wife and son name him as holder
SHMOLINA = 5002  # AM012345678/13: employee on the same contract as Иванов
SEMENOVA = 5003  # АМ012345681/13: FR30C, 30 %, 90 calendar days, `emergency` overdue rule
KUZNETSOV = 5004  # АМ012345684/13: policy expired at the end of 2025
IVANOVA = 5005  # АМ012345682/13: Иванов's wife, a relative (he pays)
SALTYKOV = 5006  # АМ012345680/13: STD, no franchise
POLICIES = {
    IVANOV: "123/14",
    SHMOLINA: "AM012345678/13",
    SEMENOVA: "АМ012345681/13",
    KUZNETSOV: "АМ012345684/13",
    IVANOVA: "АМ012345682/13",
    SALTYKOV: "АМ012345680/13",
}


async def import_samples(engine: AsyncEngine, *extra: tuple[str, bytes]) -> None:
    """The sample files, then any (kind, CSV bytes) a test adds (more clinics, say)."""
    for kind in SAMPLES:
        await import_file(engine, kind, DATA / f"{kind}.csv", today=TODAY)
    for kind, content in extra:
        report = await import_file(engine, kind, content, filename=f"{kind}.csv", today=TODAY)
        assert report.rejected == 0, report


async def register(engine: AsyncEngine, telegram_id: int, policy_number: str) -> int:
    """An account linked to the registry row of `policy_number`, as registration leaves it; the person's id."""
    async with engine.begin() as conn:
        person_id, email = (
            await conn.execute(
                select(InsuredPerson.id, InsuredPerson.email).where(
                    InsuredPerson.policy_key == canonical_policy(policy_number)
                )
            )
        ).one()
        now = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
        await conn.execute(
            insert(Account).values(
                telegram_id=telegram_id,
                insured_person_id=person_id,
                email=email,
                email_key=email_key(email) if email else None,
                created_at=now,
                registered_at=now,
            )
        )
    return person_id


async def ivanov_in_english(url: str) -> None:
    """The samples on the database at `url`, and Иванов registered with English chosen."""
    engine = create_engine(url)
    try:
        await import_samples(engine)
        await register(engine, IVANOV, "123/14")
        async with engine.begin() as conn:
            await conn.execute(update(Account).where(Account.telegram_id == IVANOV).values(language="en"))
    finally:
        await engine.dispose()


async def person_id(engine: AsyncEngine, policy_number: str) -> int:
    query = select(InsuredPerson.id).where(InsuredPerson.policy_key == canonical_policy(policy_number))
    async with engine.connect() as conn:
        return await conn.scalar(query)


async def cabinet_chat(harness: BotHarness, telegram_id: int, *, language_code: str = "ru") -> Chat:
    """A chat of a registered sample person (the samples must be imported)."""
    await register(harness.engine, telegram_id, POLICIES[telegram_id])
    return harness.chat(telegram_id, language_code=language_code)
