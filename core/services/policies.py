"""The policies a registered person sees: their own, their relatives' (whose registry rows name this
person's policy as holder) and the children's they added; each with its status and franchise state.

Every section that takes a person id from a button goes through `linked_policy`: an id outside this
set is someone else's, and the caller gets nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from core.cabinet.franchise import FranchiseState, franchise_state
from core.cabinet.policies import PolicyStatus, payer_policy_key, policy_status
from core.db import cabinet_queries as queries
from core.db.models import InsuredPerson, Program
from core.db.uow import UnitOfWork


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
class Policy:
    person_id: int
    relation: Relation
    policy_number: str  # as printed
    full_name: str
    program: ProgramTerms
    contract_number: str
    employer: str
    valid_from: date
    valid_to: date
    status: PolicyStatus
    franchise: FranchiseState
    is_payer: bool  # the viewer pays its invoices and manages its franchise


async def linked_policies(uow: UnitOfWork, viewer: InsuredPerson, today: date) -> list[Policy]:
    """The viewer's own policy first, then relatives', then children's (each by policy number)."""
    session = uow.session
    people = [(viewer, Relation.OWN)]
    people += [(p, Relation.RELATIVE) for p in await queries.relatives_of(session, viewer.policy_key)]
    people += [(p, Relation.CHILD) for p in await queries.children_of(session, viewer.id)]
    programs = await queries.programs_by_code(session, {p.program_code for p, _ in people})
    activations = await queries.activations_of(session, [p.id for p, _ in people])
    overdue = await overdue_people(uow, [p.id for p, _ in people])
    # A child who came of age and registered is still paid for by the parent who added them.
    own_parent = await queries.parent_of(session, viewer.id)
    policies = []
    for person, relation in people:
        parent = viewer if relation == Relation.CHILD else own_parent
        payer = payer_policy_key(person.policy_key, person.holder_policy_key, parent.policy_key if parent else None)
        activation = activations.get(person.id)
        policies.append(
            _policy(
                person, relation, programs[person.program_code], today,
                activated_from=activation.effective_from if activation else None,
                overdue=person.id in overdue,
                is_payer=payer == viewer.policy_key,
            )  # fmt: skip
        )
    return policies


async def linked_policy(uow: UnitOfWork, viewer: InsuredPerson, person_id: int, today: date) -> Policy | None:
    """The policy of `person_id` when the viewer may see it, else None (someone else's, or no such id)."""
    return next((p for p in await linked_policies(uow, viewer, today) if p.person_id == person_id), None)


async def overdue_people(uow: UnitOfWork, person_ids: list[int]) -> set[int]:
    """Who of these has an overdue invoice. Billing (invoices) plugs in here; until
    invoices exist nobody is overdue, so nothing is restricted."""
    return set()


def full_name(person: InsuredPerson) -> str:
    return " ".join(part for part in (person.last_name, person.first_name, person.patronymic) if part)


def _policy(
    person: InsuredPerson,
    relation: Relation,
    program: Program,
    today: date,
    *,
    activated_from: date | None,
    overdue: bool,
    is_payer: bool,
) -> Policy:
    return Policy(
        person_id=person.id,
        relation=relation,
        policy_number=person.policy_number,
        full_name=full_name(person),
        program=ProgramTerms(
            code=program.code,
            name=program.name,
            description=program.description,
            franchise_bp=program.franchise_bp,
            due_days=program.due_days,
            due_day_kind=program.due_day_kind,
            overdue_rule=program.overdue_rule,
        ),
        contract_number=person.contract_number,
        employer=person.employer,
        valid_from=person.valid_from,
        valid_to=person.valid_to,
        status=policy_status(person.valid_from, person.valid_to, person.removed_on, today, overdue=overdue),
        franchise=franchise_state(program.franchise_bp, activated_from, today, overdue=overdue),
        is_payer=is_payer,
    )
