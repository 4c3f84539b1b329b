"""Children's policies (docs/domain.md "Children", SOGAZ "добавить полис ребёнка").

A registered employee adds a minor relative on the same contract whose registry row names no holder,
by the child's policy number, full name and birth date; from then on the parent sees that policy and
pays it, until the child turns 18: then the link lapses and the parent sees it no more.

Privacy: only someone who knows the child's number, full name and birth date gets past the first
check, and even then every refusal that would tell something about the child (an adult, another
contract, another holder, an employee's policy, someone else's child) reads exactly like an unknown
policy (`told`). The exact reason is kept for the audit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from core.cabinet.policies import INACTIVE, policy_status
from core.errors import InputError
from core.matching import ADULT_AGE
from core.normalize import (
    age_on,
    canonical_policy,
    display_name,
    name_key,
    patronymic_key,
    read_birth_date,
    same_name,
    same_patronymic,
)

ATTEMPTS_PER_DAY = 10  # each attempt probes a number, a name and a birth date: limited like registration
MAX_NAME_WORDS = 8  # surname, first name and patronymic, each of a few words at most


class ChildRefusal(StrEnum):
    NOT_FOUND = "not_found"  # no such number, or the name or the birth date differs
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


# Refusals that would tell the parent something about a policy they do not see: each is told as
# NOT_FOUND. The others tell nothing new: the parent is not an employee, has tried too often, or already
# sees the policy (their relative, or a child they added); a policy not active is said only to someone
# who typed every detail of a child they could have added.
PRIVATE = frozenset(
    {
        ChildRefusal.NOT_FOUND,
        ChildRefusal.ADULT,
        ChildRefusal.OTHER_CONTRACT,
        ChildRefusal.NOT_RELATIVE,
        ChildRefusal.OTHER_HOLDER,
        ChildRefusal.TAKEN,
    }
)


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
    last_name_key: str = ""
    first_name_key: str = ""
    patronymic_key: str = ""


@dataclass(frozen=True)
class ChildClaim:
    """What the parent typed about the child besides the number."""

    name: tuple[str, ...]  # the full name's words as keys, surname first (`child_name`)
    birth_date: date


def may_add_children(parent_category: str) -> bool:
    """Children's policies belong to corporate contracts: the employee adds them, not a relative."""
    return parent_category == "employee"


def link_in_force(child_birth_date: date, today: date) -> bool:
    """A child's policy added by a parent stays theirs to see until the child's 18th birthday."""
    return age_on(child_birth_date, today) < ADULT_AGE


class ChildStep(StrEnum):
    """The form's steps, in order: as registration asks them (one field a message)."""

    POLICY = "policy"
    LAST_NAME = "last_name"
    FIRST_NAME = "first_name"
    PATRONYMIC = "patronymic"  # may be skipped: "no patronymic"
    BIRTH_DATE = "birth_date"


CHILD_STEPS = tuple(ChildStep)


def step_after(step: ChildStep) -> ChildStep | None:
    """The step that follows `step`, None after the last."""
    index = CHILD_STEPS.index(step) + 1
    return CHILD_STEPS[index] if index < len(CHILD_STEPS) else None


def step_before(step: ChildStep) -> ChildStep | None:
    """The step Back returns to, None from the first (back out of the form)."""
    index = CHILD_STEPS.index(step)
    return CHILD_STEPS[index - 1] if index else None


def child_answer(step: ChildStep, text: str, today: date) -> str:
    """One typed answer as the form keeps it: the policy number's key, a name part as shown (checked as
    registration checks it), the birth date as ISO. Raises InputError with the registration's codes."""
    if step is ChildStep.POLICY:
        return canonical_policy(text)
    if step is ChildStep.BIRTH_DATE:
        return read_birth_date(text, today).isoformat()  # as people type it, as registration reads it
    shown = display_name(text)
    for word in shown.split():
        name_key(word, step.value)  # raises name.empty / name.invalid / name.too_long
    if not shown:
        raise InputError(step.value, "name.empty")
    return shown


def child_name(last_name: str, first_name: str, patronymic: str) -> tuple[str, ...]:
    """The claim's name (`ChildClaim.name`) from the three answers: the keys of their words, surname
    first; an empty patronymic adds none. Raises InputError `child_name.too_long`."""
    words = f"{last_name} {first_name} {patronymic}".split()
    if len(words) > MAX_NAME_WORDS:
        raise InputError("child_name", "child_name.too_long", max=MAX_NAME_WORDS)
    return tuple(name_key(word, "child_name") for word in words)


def name_matches(child: RegistryFacts, typed: tuple[str, ...]) -> bool:
    """The typed words are the registry's surname, first name and patronymic in this order (each may be
    several words); the patronymic as the Names rule says: ignored when the registry has none, else it
    must be the same. Names typed wholly in Latin are read as the passport spells them."""
    n = len(typed)
    for i in range(1, n):
        if not same_name(child.last_name_key, " ".join(typed[:i])):
            continue
        for j in range(i + 1, n + 1):
            if same_name(child.first_name_key, " ".join(typed[i:j])) and same_patronymic(
                child.patronymic_key, patronymic_key(" ".join(typed[j:]))
            ):
                return True
    return False


def child_refusal(
    parent: RegistryFacts,
    child: RegistryFacts | None,
    claim: ChildClaim,
    today: date,
    *,
    linked_parent_id: int | None,
) -> ChildRefusal | None:
    """Why `parent` may not add `child` (the row found by the typed policy number), or None: the exact
    reason, for the audit (the parent is told `told(...)` of it). `linked_parent_id`: the person who
    already added this child, if anyone did."""
    if not may_add_children(parent.category):
        return ChildRefusal.PARENT_NOT_EMPLOYEE
    if child is None or child.birth_date != claim.birth_date or not name_matches(child, claim.name):
        return ChildRefusal.NOT_FOUND
    if child.holder_policy_key == parent.policy_key:
        return ChildRefusal.ALREADY_YOURS  # their relative, listed under their policy whatever the age
    if age_on(child.birth_date, today) >= ADULT_AGE:
        return ChildRefusal.ADULT
    if linked_parent_id == parent.person_id:
        return ChildRefusal.ALREADY_ADDED
    if child.contract_number != parent.contract_number:
        return ChildRefusal.OTHER_CONTRACT
    if child.holder_policy_key is not None:
        return ChildRefusal.OTHER_HOLDER
    if child.category != "relative":
        return ChildRefusal.NOT_RELATIVE
    if linked_parent_id is not None:
        return ChildRefusal.TAKEN
    if policy_status(child.valid_from, child.valid_to, child.removed_on, today) in INACTIVE:
        return ChildRefusal.POLICY_INACTIVE
    return None


def told(refusal: ChildRefusal) -> ChildRefusal:
    """What the parent reads: a refusal that would reveal something about the child reads like an
    unknown policy."""
    return ChildRefusal.NOT_FOUND if refusal in PRIVATE else refusal
