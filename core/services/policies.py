"""The policies a registered person sees: their own, their relatives' (whose registry rows name this
person's policy as holder) and the children's they added, while those are under 18
(core.cabinet.children.link_in_force); each with its status and franchise state.

Every section that takes a person id from a button goes through `linked_policy`: an id outside this
set is someone else's, and the caller gets nothing. Both reads are one statement each (`PeopleRepository.policy_rows`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import Row

from core.billing.cards import expired
from core.cabinet.children import link_in_force
from core.cabinet.franchise import FranchiseState, franchise_state
from core.cabinet.policies import PolicyStatus, payer_policy_key, policy_status
from core.calendar import Clock
from core.db.models import InsuredPerson
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.services.recent_rows import RecentRows
from core.services.viewers import Viewer


class Relation(StrEnum):
    OWN = "own"
    RELATIVE = "relative"  # the registry names the viewer's policy as holder
    CHILD = "child"  # added by the viewer as their child


@dataclass(frozen=True)
class ProgramTerms:
    code: str
    name: str
    description: str
    franchise_bp: int
    due_days: int
    due_day_kind: str  # working | calendar
    overdue_rule: str  # franchise | emergency


@dataclass(frozen=True)
class CardOnFile:
    """The payer's card automatic charges use (the one bound last), as the policy card shows it."""

    card_type: str
    last4: str
    expiry_month: int
    expiry_year: int
    expired: bool


@dataclass(frozen=True)
class Policy:
    person_id: int
    relation: Relation
    policy_number: str  # as printed
    full_name: str
    category: str  # employee | relative, as the registry says
    program: ProgramTerms
    contract_number: str
    employer: str
    valid_from: date
    valid_to: date
    status: PolicyStatus
    franchise: FranchiseState
    is_payer: bool  # the viewer pays its invoices and manages its franchise
    debt: int = 0  # kopecks left to pay on the person's unpaid (NEW, OVERDUE) invoices
    overdue_debt: int = 0  # of `debt`, on the OVERDUE ones: a debt; the rest is not due yet
    card: CardOnFile | None = None  # the viewer's card for automatic charges (shown when the viewer pays)
    autopay: bool = False  # the viewer's automatic charges are on


class PolicyService:
    """What the cabinet's screens show. Their rows come through `recent` (the rows read lately, dropped
    at every commit): the other use cases read them in their own transactions instead."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock
        self.recent = RecentRows()

    async def linked_policies(self, viewer: Viewer) -> list[Policy]:
        """The viewer's own policy first, then relatives', then children's (each by policy number)."""
        viewer_id = viewer.person_id
        if viewer_id is None:
            return []
        rows = await self.recent.get((viewer_id, None), lambda: self._rows(viewer_id), lambda row: (viewer_id, row.id))
        return _sorted(rows, viewer_id, self.clock.today())

    async def linked_policy(self, viewer: Viewer, person_id: int) -> Policy | None:
        """The policy of `person_id` when the viewer may see it, else None (someone else's, or no such id)."""
        viewer_id = viewer.person_id
        if viewer_id is None:
            return None
        rows = await self.recent.get((viewer_id, person_id), lambda: self._rows(viewer_id, person_id))
        return _policy(rows[0], viewer_id, self.clock.today()) if rows else None

    async def _rows(self, viewer_person_id: int, person_id: int | None = None) -> list[Row]:
        async with self.uow.reading() as uow:
            return await uow.people.policy_rows(viewer_person_id, person_id)


async def linked_policies(uow: UnitOfWork, viewer_person_id: int, today: date) -> list[Policy]:
    return _sorted(await uow.people.policy_rows(viewer_person_id), viewer_person_id, today)


def _sorted(rows: list[Row], viewer_person_id: int, today: date) -> list[Policy]:
    policies = [p for p in (_policy(row, viewer_person_id, today) for row in rows) if p is not None]
    order = {Relation.OWN: 0, Relation.RELATIVE: 1, Relation.CHILD: 2}
    return sorted(policies, key=lambda p: (order[p.relation], p.policy_number))


async def linked_policy(uow: UnitOfWork, viewer_person_id: int, person_id: int, today: date) -> Policy | None:
    rows = await uow.people.policy_rows(viewer_person_id, person_id)
    return _policy(rows[0], viewer_person_id, today) if rows else None


def full_name(person: InsuredPerson | Row) -> str:
    return " ".join(part for part in (person.last_name, person.first_name, person.patronymic) if part)


def _policy(row: Row, viewer_person_id: int, today: date) -> Policy | None:
    """`row`: one of `PeopleRepository.policy_rows`, plain columns."""
    if row.id == viewer_person_id:
        relation = Relation.OWN
    elif row.holder_policy_key is not None and row.holder_policy_key == row.viewer_policy_key:
        relation = Relation.RELATIVE
    elif row.parent_person_id == viewer_person_id and link_in_force(row.birth_date, today):
        relation = Relation.CHILD
    else:
        return None  # someone else's, or a child who has turned 18: the link has lapsed
    overdue = bool(row.overdue)  # an OVERDUE invoice: access restricted (the EXISTS of `policy_rows`)
    # A lapsed link makes the parent no one's payer: the grown-up child pays from then on.
    parent_key = row.parent_policy_key if link_in_force(row.birth_date, today) else None
    payer = payer_policy_key(row.policy_key, row.holder_policy_key, parent_key)
    return Policy(
        person_id=row.id,
        relation=relation,
        policy_number=row.policy_number,
        full_name=full_name(row),
        category=row.category,
        program=ProgramTerms(
            code=row.program_code,
            name=row.program_name,
            description=row.program_description,
            franchise_bp=row.franchise_bp,
            due_days=row.due_days,
            due_day_kind=row.due_day_kind,
            overdue_rule=row.overdue_rule,
        ),
        contract_number=row.contract_number,
        employer=row.employer,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        status=policy_status(row.valid_from, row.valid_to, row.removed_on, today, overdue=overdue),
        franchise=franchise_state(row.franchise_bp, row.effective_from, today, overdue=overdue),
        is_payer=payer == row.viewer_policy_key,
        debt=int(row.debt or 0),
        overdue_debt=int(row.overdue_debt or 0),
        card=None
        if row.last4 is None
        else CardOnFile(
            row.card_type,
            row.last4,
            row.expiry_month,
            row.expiry_year,
            expired(row.expiry_month, row.expiry_year, today),
        ),
        autopay=bool(row.autopay),
    )
