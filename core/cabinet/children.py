"""Children's policies (docs/domain.md "Children", SOGAZ "добавить полис ребёнка").

A registered employee adds a minor relative on the same contract whose registry row names no holder,
by the child's policy number and birth date; from then on the parent sees that policy and pays it.

Privacy: an unknown number and a wrong birth date get the same answer (NOT_FOUND), so the number alone
tells nothing; the exact reason is given only once both match.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from core.cabinet.policies import INACTIVE, policy_status
from core.matching import ADULT_AGE
from core.normalize import age_on

ATTEMPTS_PER_DAY = 10  # each attempt probes a number and a birth date: limited like registration


class ChildRefusal(StrEnum):
    NOT_FOUND = "not_found"
    PARENT_NOT_EMPLOYEE = "parent_not_employee"
    ADULT = "adult"
    OTHER_CONTRACT = "other_contract"
    NOT_RELATIVE = "not_relative"  # an employee's own policy (a minor employee)
    ALREADY_YOURS = "already_yours"  # names the parent as holder: already shown under their policy
    OTHER_HOLDER = "other_holder"  # a relative of another employee
    ALREADY_ADDED = "already_added"
    TAKEN = "taken"  # another parent added it
    POLICY_INACTIVE = "policy_inactive"
    TOO_MANY_ATTEMPTS = "too_many_attempts"


@dataclass(frozen=True)
class RegistryFacts:
    """A registry row as these rules see it."""

    person_id: int
    policy_key: str
    category: str  # employee | relative
    holder_policy_key: str | None
    contract_number: str
    birth_date: date
    valid_from: date
    valid_to: date
    removed_on: date | None = None


def may_add_children(parent_category: str) -> bool:
    """Children's policies belong to corporate contracts: the employee adds them, not a relative."""
    return parent_category == "employee"


def child_refusal(
    parent: RegistryFacts,
    child: RegistryFacts | None,
    typed_birth_date: date,
    today: date,
    *,
    linked_parent_id: int | None,
) -> ChildRefusal | None:
    """Why `parent` may not add `child` (the row found by the typed policy number), or None.
    `linked_parent_id`: the person who already added this child, if anyone did."""
    if not may_add_children(parent.category):
        return ChildRefusal.PARENT_NOT_EMPLOYEE
    if child is None or child.birth_date != typed_birth_date:
        return ChildRefusal.NOT_FOUND
    if age_on(child.birth_date, today) >= ADULT_AGE:
        return ChildRefusal.ADULT
    if child.contract_number != parent.contract_number:
        return ChildRefusal.OTHER_CONTRACT
    if child.holder_policy_key == parent.policy_key:
        return ChildRefusal.ALREADY_YOURS
    if child.holder_policy_key is not None:
        return ChildRefusal.OTHER_HOLDER
    if child.category != "relative":
        return ChildRefusal.NOT_RELATIVE
    if linked_parent_id is not None:
        return ChildRefusal.ALREADY_ADDED if linked_parent_id == parent.person_id else ChildRefusal.TAKEN
    if policy_status(child.valid_from, child.valid_to, child.removed_on, today) in INACTIVE:
        return ChildRefusal.POLICY_INACTIVE
    return None
