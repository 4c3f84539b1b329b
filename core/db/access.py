"""Access restrictions (`AccessRepository`): the open ones (everyone's for the daily job, some people's for a
payment or a dispute's answer), a new one, and who still has an overdue invoice."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.bulk import chunks
from core.db.models import AccessRestriction, InsuredPerson, Invoice


class AccessRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def open_restrictions(self, person_ids: Iterable[int] | None = None) -> list[Row]:
        """(AccessRestriction, policy key) of the restrictions not restored yet: these people's, or everyone's."""
        query = (
            select(AccessRestriction, InsuredPerson.policy_key)
            .join(InsuredPerson, InsuredPerson.id == AccessRestriction.person_id)
            .where(AccessRestriction.restored_on.is_(None))
        )
        if person_ids is not None:
            ids = list(set(person_ids))
            if not ids:
                return []
            query = query.where(AccessRestriction.person_id.in_(ids))
        return list(await self.session.execute(query))

    def add(self, restriction: AccessRestriction) -> None:
        self.session.add(restriction)

    async def overdue_keys(self, person_ids: Iterable[int]) -> set[str]:
        """Policy keys of these people who still have an OVERDUE invoice."""
        ids = list(set(person_ids))
        if not ids:
            return set()
        query = (
            select(InsuredPerson.policy_key)
            .distinct()
            .join(Invoice, Invoice.person_id == InsuredPerson.id)
            .where(InsuredPerson.id.in_(ids), Invoice.status == "overdue")
        )
        return set(await self.session.scalars(query))

    async def overdue_people(self, person_ids: Iterable[int]) -> set[int]:
        """Who of these has an OVERDUE invoice (access restricted)."""
        found: set[int] = set()
        for chunk in chunks(set(person_ids)):
            query = select(Invoice.person_id).where(Invoice.person_id.in_(chunk), Invoice.status == "overdue")
            found.update(await self.session.scalars(query))
        return found
