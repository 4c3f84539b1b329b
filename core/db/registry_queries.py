"""Looking people up in the registry for matching, each by an indexed column.

Keys are the normalised forms (`core.normalize`): canonical policy, name keys, E.164 phone,
e-mail key. People marked removed are returned too: the caller tells "policy not active".
The statements are built once: building one per call costs about as much as running it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import InsuredPerson as Person


def _where(*conditions) -> Select:
    # Ordered by id so an ambiguous match always lists the same rows in the same order.
    return select(Person).where(*conditions).order_by(Person.id)


_BY_POLICY = select(Person).where(Person.policy_key == bindparam("key"))
_BY_PERSONNEL = _where(Person.personnel_key == bindparam("key"))
_BY_NAME_BIRTH = _where(
    Person.last_name_key == bindparam("last"),
    Person.first_name_key == bindparam("first"),
    Person.birth_date == bindparam("born"),
)
_BY_PHONE = _where(Person.phone == bindparam("key"))
_BY_EMAIL = _where(Person.email_key == bindparam("key"))


async def by_policy_key(session: AsyncSession, key: str) -> Person | None:
    return await session.scalar(_BY_POLICY, {"key": key})


async def by_personnel_key(session: AsyncSession, key: str) -> list[Person]:
    """A list: staff numbers are unique per employer only."""
    return list(await session.scalars(_BY_PERSONNEL, {"key": key}))


async def by_name_birth(session: AsyncSession, last_key: str, first_key: str, birth_date: date) -> list[Person]:
    return list(await session.scalars(_BY_NAME_BIRTH, {"last": last_key, "first": first_key, "born": birth_date}))


async def by_phone(session: AsyncSession, e164: str) -> list[Person]:
    return list(await session.scalars(_BY_PHONE, {"key": e164}))


async def by_email_key(session: AsyncSession, key: str) -> list[Person]:
    return list(await session.scalars(_BY_EMAIL, {"key": key}))
