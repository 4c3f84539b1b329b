"""The registry (`PeopleRepository`): insured people, their programs, and the links between them.

Lookups go by an indexed column on normalised keys (`core.normalize`): canonical policy, name keys, E.164
phone, e-mail key. People marked removed are returned too: the caller tells "policy not active". Their
statements are built once: building one per call costs about as much as running it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Row, Select, and_, bindparam, case, func, or_, select, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.db.models import (
    Account,
    ChildLink,
    FranchiseActivation,
    InsuredPerson,
    Invoice,
    PaymentMethod,
    Program,
)


def _ordered(*conditions) -> Select:
    # Ordered by id so an ambiguous match always lists the same rows in the same order.
    return select(InsuredPerson).where(*conditions).order_by(InsuredPerson.id)


_BY_POLICY = select(InsuredPerson).where(InsuredPerson.policy_key == bindparam("key"))
_BY_NUMBER = _ordered(
    or_(InsuredPerson.policy_key == bindparam("key"), InsuredPerson.personnel_key == bindparam("key"))
)
_BY_NAME_BIRTH = _ordered(
    InsuredPerson.last_name_key == bindparam("last"),
    InsuredPerson.first_name_key == bindparam("first"),
    InsuredPerson.birth_date == bindparam("born"),
)
_BY_BIRTH = _ordered(InsuredPerson.birth_date == bindparam("born"))
_HOLDER = aliased(InsuredPerson, name="holder")


class PeopleRepository:
    """The registry: insured people, their programs, and the links between them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, person_id: int) -> InsuredPerson | None:
        return await self.session.get(InsuredPerson, person_id)

    async def by_policy_key(self, key: str) -> InsuredPerson | None:
        return await self.session.scalar(_BY_POLICY, {"key": key})

    async def by_number_key(self, key: str) -> list[InsuredPerson]:
        """A number typed, which may be a policy's or a staff number (unique per employer only): the row of
        that policy first, then those of that staff number by id; one statement for both."""
        rows = list(await self.session.scalars(_BY_NUMBER, {"key": key}))
        return sorted(rows, key=lambda row: row.policy_key != key)  # stable: the rest stay by id

    async def by_name_birth(self, last_key: str, first_key: str, birth_date: date) -> list[InsuredPerson]:
        params = {"last": last_key, "first": first_key, "born": birth_date}
        return list(await self.session.scalars(_BY_NAME_BIRTH, params))

    async def by_birth_date(self, birth_date: date) -> list[InsuredPerson]:
        """Everyone born that day, by id: for a name typed in Latin, which the name index cannot find
        (the caller filters with `core.matching.claim_matches`)."""
        return list(await self.session.scalars(_BY_BIRTH, {"born": birth_date}))

    def add(self, row: ChildLink | FranchiseActivation) -> None:
        """A child added by a parent, or a franchise activated."""
        self.session.add(row)

    async def holder_of(self, person_id: int) -> Row | None:
        """(policy_key, holder_policy_key, birth_date, holder) of a relative whose holder is in the
        registry (`holder`: that holder's InsuredPerson); None for anyone else. One statement."""
        query = (
            select(InsuredPerson.policy_key, InsuredPerson.holder_policy_key, InsuredPerson.birth_date, _HOLDER)
            .join(_HOLDER, _HOLDER.policy_key == InsuredPerson.holder_policy_key)
            .where(InsuredPerson.id == person_id)
        )
        return (await self.session.execute(query)).first()

    async def parent_of(self, child_person_id: int) -> InsuredPerson | None:
        query = (
            select(InsuredPerson)
            .join(ChildLink, ChildLink.parent_person_id == InsuredPerson.id)
            .where(ChildLink.child_person_id == child_person_id)
        )
        return await self.session.scalar(query)

    async def unregistered_active(self, today: date) -> list[InsuredPerson]:
        """Listed people with a policy not expired nor removed and no account, by policy key."""
        linked = select(Account.insured_person_id).where(Account.insured_person_id.is_not(None))
        query = (
            select(InsuredPerson)
            .where(InsuredPerson.id.not_in(linked), InsuredPerson.removed_on.is_(None), InsuredPerson.valid_to >= today)
            .order_by(InsuredPerson.policy_key)
        )
        return list(await self.session.scalars(query))

    async def policy_rows(self, viewer_person_id: int, person_id: int | None = None) -> list[Row]:
        """The people whose policies the viewer sees (their own, the relatives whose rows name the viewer's
                policy as holder, the children the viewer added), or just `person_id` whoever it is; each row with
                what a policy card needs as plain columns: the person's (by their own names), the program's (`program_…`,
        `franchise_bp`, …), the franchise activation date, the parent who
                added them and that parent's policy key, the viewer's own policy key (to tell the relation), and
                `overdue`: whether the person has an OVERDUE invoice (access restricted)."""
        if person_id is not None:
            return list(await self.session.execute(_POLICY_ROW, {"viewer": viewer_person_id, "person": person_id}))
        return list(await self.session.execute(_LINKED_POLICY_ROWS, {"viewer": viewer_person_id}))


# The person has an OVERDUE invoice: access restricted (core.billing.overdue.overdue_people), at once
# when the invoice is paid or the job marks it; one EXISTS in the policy card's statement.
_HAS_OVERDUE = select(Invoice.id).where(Invoice.person_id == InsuredPerson.id, Invoice.status == "overdue").exists()
# What is left to pay on the person's unpaid invoices (as core.services.invoices.total_to_pay, summed).
_LEFT = Invoice.copay_kopecks - Invoice.deposit_used_kopecks - Invoice.credited_kopecks
_DEBT = (
    select(func.coalesce(func.sum(case((_LEFT > 0, _LEFT), else_=0)), 0))
    .where(Invoice.person_id == InsuredPerson.id, Invoice.status.in_(("new", "overdue")))
    .scalar_subquery()
)
# Of that, what is past its due date: a debt (the rest is to pay, not yet due).
_OVERDUE_DEBT = (
    select(func.coalesce(func.sum(case((_LEFT > 0, _LEFT), else_=0)), 0))
    .where(Invoice.person_id == InsuredPerson.id, Invoice.status == "overdue")
    .scalar_subquery()
)
# The viewer's card bound last (the one automatic charges use), shown on the cards of the policies she pays.
_LAST_CARD = (
    select(func.max(PaymentMethod.id))
    .where(PaymentMethod.payer_person_id == bindparam("viewer"), PaymentMethod.removed_at.is_(None))
    .scalar_subquery()
)


# The person's columns a policy card reads, by their own names: plain values, no ORM objects to load.
_PERSON_COLUMNS = (
    "id",
    "policy_key",
    "policy_number",
    "holder_policy_key",
    "last_name",
    "first_name",
    "patronymic",
    "birth_date",
    "category",
    "contract_number",
    "employer",
    "valid_from",
    "valid_to",
    "removed_on",
)


def _policy_rows() -> tuple[Select, Select]:
    viewer, parent, holder = aliased(InsuredPerson), aliased(InsuredPerson), aliased(InsuredPerson)
    rows = (
        select(
            *(getattr(InsuredPerson, name) for name in _PERSON_COLUMNS),
            Program.code.label("program_code"),
            Program.name.label("program_name"),
            Program.description.label("program_description"),
            Program.franchise_bp,
            Program.due_days,
            Program.due_day_kind,
            Program.overdue_rule,
            FranchiseActivation.effective_from,
            ChildLink.parent_person_id,
            parent.policy_key.label("parent_policy_key"),
            viewer.policy_key.label("viewer_policy_key"),
            _HAS_OVERDUE.label("overdue"),
            _DEBT.label("debt"),
            _OVERDUE_DEBT.label("overdue_debt"),
            PaymentMethod.card_type,
            PaymentMethod.last4,
            PaymentMethod.expiry_month,
            PaymentMethod.expiry_year,
            Account.autopay,
        )
        .select_from(InsuredPerson)
        .join(viewer, viewer.id == bindparam("viewer"))
        .outerjoin(Account, Account.insured_person_id == viewer.id)
        .outerjoin(PaymentMethod, and_(PaymentMethod.id == _LAST_CARD))
        .join(Program, Program.code == InsuredPerson.program_code)
        .outerjoin(FranchiseActivation, FranchiseActivation.person_id == InsuredPerson.id)
        .outerjoin(ChildLink, ChildLink.child_person_id == InsuredPerson.id)
        .outerjoin(parent, parent.id == ChildLink.parent_person_id)
    )
    # A union of three indexed lookups: an OR over the join would scan the whole registry.
    linked = union(
        select(InsuredPerson.id).where(InsuredPerson.id == bindparam("viewer")),
        select(InsuredPerson.id)
        .join(holder, InsuredPerson.holder_policy_key == holder.policy_key)
        .where(holder.id == bindparam("viewer")),
        select(ChildLink.child_person_id).where(ChildLink.parent_person_id == bindparam("viewer")),
    )
    return rows.where(InsuredPerson.id == bindparam("person")), rows.where(InsuredPerson.id.in_(linked))


# Built once: with its aliases a statement costs more to build than to run.
_POLICY_ROW, _LINKED_POLICY_ROWS = _policy_rows()
