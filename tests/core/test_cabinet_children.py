"""Who may add whose child's policy (core.cabinet.children), on the sample registry's cases."""

from dataclasses import replace
from datetime import date

import pytest

from core.cabinet.children import ChildRefusal, RegistryFacts, child_refusal, may_add_children

TODAY = date(2026, 11, 21)
VALID = {"valid_from": date(2026, 1, 1), "valid_to": date(2027, 12, 31)}
IVANOV = RegistryFacts(1, "123/14", "employee", None, "К-2026/001", date(1985, 3, 15), **VALID)
ALEXEY = RegistryFacts(13, "AM012345689/13", "relative", None, "К-2026/001", date(2012, 3, 3), **VALID)
ANNA = replace(ALEXEY, person_id=14, policy_key="AM012345690/13", contract_number="К-2026/002",
               birth_date=date(2014, 5, 5))  # fmt: skip
WIFE = replace(ALEXEY, person_id=6, policy_key="AM012345682/13", holder_policy_key="123/14",
               birth_date=date(1987, 9, 4))  # fmt: skip
PETR = replace(ALEXEY, person_id=7, policy_key="AM012345683/13", holder_policy_key="123/14",
               birth_date=date(2015, 6, 12))  # fmt: skip


def refusal(parent=IVANOV, child=ALEXEY, typed=None, today=TODAY, linked=None):  # noqa: ANN001, ANN201
    typed = typed or (child.birth_date if child else date(2012, 3, 3))
    return child_refusal(parent, child, typed, today, linked_parent_id=linked)


def test_a_minor_relative_of_the_same_contract_without_a_holder_is_added() -> None:
    assert refusal() is None


@pytest.mark.parametrize("case, expected", [
    (dict(child=None), ChildRefusal.NOT_FOUND),
    (dict(typed=date(2012, 3, 4)), ChildRefusal.NOT_FOUND),  # the same answer as an unknown number
    (dict(child=WIFE), ChildRefusal.ADULT),
    (dict(child=ANNA), ChildRefusal.OTHER_CONTRACT),
    (dict(child=PETR), ChildRefusal.ALREADY_YOURS),
    (dict(child=replace(PETR, holder_policy_key="AM012345678/13")), ChildRefusal.OTHER_HOLDER),
    (dict(child=replace(ALEXEY, category="employee")), ChildRefusal.NOT_RELATIVE),
    (dict(linked=IVANOV.person_id), ChildRefusal.ALREADY_ADDED),
    (dict(linked=99), ChildRefusal.TAKEN),
    (dict(child=replace(ALEXEY, valid_to=date(2025, 12, 31))), ChildRefusal.POLICY_INACTIVE),
    (dict(child=replace(ALEXEY, removed_on=date(2026, 6, 1))), ChildRefusal.POLICY_INACTIVE),
    (dict(parent=replace(IVANOV, category="relative")), ChildRefusal.PARENT_NOT_EMPLOYEE),
    (dict(parent=replace(IVANOV, category="relative"), child=None), ChildRefusal.PARENT_NOT_EMPLOYEE),
])  # fmt: skip
def test_refusals(case, expected) -> None:
    assert refusal(**case) == expected


def test_adulthood_comes_on_the_18th_birthday() -> None:
    long_policy = replace(ALEXEY, valid_to=date(2031, 12, 31))
    assert refusal(child=long_policy, today=date(2030, 3, 2)) is None
    assert refusal(child=long_policy, today=date(2030, 3, 3)) == ChildRefusal.ADULT


def test_the_adult_wife_is_refused_as_an_adult_before_anything_else() -> None:
    # She names Иванов as holder too: "adult" is the reason that tells the parent what to do.
    assert refusal(child=WIFE) == ChildRefusal.ADULT


def test_only_employees_add_children() -> None:
    assert may_add_children("employee") and not may_add_children("relative")
