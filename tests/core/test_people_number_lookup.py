"""A number typed at registration looked up in one statement (`PeopleRepository.by_number_key`): the same rows in
the same order as the two lookups it replaced, the policy's row then the staff number's by id (hypothesis)."""

from __future__ import annotations

import asyncio
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from core.db.engine import create_engine, create_session_factory
from core.db.models import InsuredPerson, Program
from core.db.people import PeopleRepository

KEYS = st.sampled_from(["A1", "A2", "T1", "T2"])  # few, so that policies and staff numbers meet
# Each row: its policy key (unique: the dictionary's keys) and its staff number key, or none.
REGISTRY = st.dictionaries(KEYS | st.from_regex(r"P[0-9]{1,3}", fullmatch=True), st.none() | KEYS, max_size=8)


async def _two_lookups(session, key: str) -> list[InsuredPerson]:
    """The lookups as they were: the policy's row, then the staff number's rows by id without it."""
    by_personnel = list(
        await session.scalars(
            select(InsuredPerson).where(InsuredPerson.personnel_key == key).order_by(InsuredPerson.id)
        )
    )
    by_policy = await session.scalar(select(InsuredPerson).where(InsuredPerson.policy_key == key))
    return ([by_policy] if by_policy else []) + [row for row in by_personnel if row is not by_policy]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(REGISTRY, st.lists(st.integers(0, 10**6), max_size=8), KEYS)
def test_one_statement_finds_what_the_two_lookups_found(
    sqlite_url: str, registry: dict[str, str | None], ids: list[int], key: str
) -> None:
    async def both() -> None:
        engine = create_engine(sqlite_url)
        try:
            async with create_session_factory(engine)() as session:
                await session.execute(delete(InsuredPerson))
                await session.merge(Program(code="P", name="P"))
                await session.flush()  # the program before the rows that name it
                for n, (policy_key, personnel_key) in enumerate(registry.items()):
                    person_id = ids[n] if n < len(ids) and ids[n] not in ids[:n] else 10**7 + n  # ids out of order
                    session.add(_person(person_id, policy_key, personnel_key))
                await session.commit()
                slow = [row.id for row in await _two_lookups(session, key)]
                session.expunge_all()
                fast = [row.id for row in await PeopleRepository(session).by_number_key(key)]
            assert fast == slow
        finally:
            await engine.dispose()

    asyncio.run(both())


def _person(person_id: int, policy_key: str, personnel_key: str | None) -> InsuredPerson:
    born = date(1985, 3, 15)
    return InsuredPerson(
        id=person_id,
        policy_key=policy_key,
        policy_number=policy_key,
        last_name="L",
        first_name="F",
        last_name_key="l",
        first_name_key="f",
        birth_date=born,
        personnel_key=personnel_key,
        program_code="P",
        valid_from=born,
        valid_to=born,
        row_hash="h",
    )
