"""Access restrictions as a payment or a dispute's answer sees them (`AccessRepository`): the open ones of
some people, and who of them still has an overdue invoice (the daily job has its own statements)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import AccessRestriction, InsuredPerson, Invoice


class AccessRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def open_restrictions(self, person_ids: Iterable[int]) -> list[Row]:
        """(AccessRestriction, policy key) of these people's restrictions not restored yet."""
        ids = list(set(person_ids))
        if not ids:
            return []
        query = (
            select(AccessRestriction, InsuredPerson.policy_key)
            .join(InsuredPerson, InsuredPerson.id == AccessRestriction.person_id)
            .where(AccessRestriction.person_id.in_(ids), AccessRestriction.restored_on.is_(None))
        )
        return list(await self.session.execute(query))

    async def overdue_keys(self, person_ids: Iterable[int]) -> set[str]:
        """Policy keys of these people who still have an OVERDUE invoice."""
        ids = list(set(person_ids))
        if not ids:
            return set()
        query = (
            select(InsuredPerson.policy_key).distinct()
            .join(Invoice, Invoice.person_id == InsuredPerson.id)
            .where(InsuredPerson.id.in_(ids), Invoice.status == "overdue")
        )  # fmt: skip
        return set(await self.session.scalars(query))
