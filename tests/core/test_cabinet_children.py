"""Who may add whose child's policy (core.cabinet.children), on the sample registry's cases; what the
parent is told; when the link lapses."""

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.cabinet.children import (
    PRIVATE,
    ChildClaim,
    ChildRefusal,
    ChildStep,
    RegistryFacts,
    child_answer,
    child_name,
    child_refusal,
    link_in_force,
    may_add_children,
    name_matches,
    step_after,
    step_before,
    told,
)
from core.errors import InputError
from core.normalize import name_key, patronymic_key

TODAY = date(2026, 11, 21)
VALID = {"valid_from": date(2026, 1, 1), "valid_to": date(2027, 12, 31)}


def named(last: str, first: str, patronymic: str = "") -> dict:
    return {
        "last_name_key": name_key(last),
        "first_name_key": name_key(first),
        "patronymic_key": patronymic_key(patronymic),
    }


IVANOV = RegistryFacts(
    1, "123/14", "employee", None, "К-2026/001", date(1985, 3, 15), **VALID, **named("Иванов", "Иван", "Иванович")
)
ALEXEY = RegistryFacts(
    13,
    "AM012345689/13",
    "relative",
    None,
    "К-2026/001",
    date(2012, 3, 3),
    **VALID,
    **named("Иванов", "Алексей", "Иванович"),
)
ANNA = replace(
    ALEXEY,
    person_id=14,
    policy_key="AM012345690/13",
    contract_number="К-2026/002",
    birth_date=date(2014, 5, 5),
    **named("Петрова", "Анна", "Сергеевна"),
)
WIFE = replace(
    ALEXEY,
    person_id=6,
    policy_key="AM012345682/13",
    holder_policy_key="123/14",
    birth_date=date(1987, 9, 4),
    **named("Иванова", "Мария", "Сергеевна"),
)
PETR = replace(
    ALEXEY,
    person_id=7,
    policy_key="AM012345683/13",
    holder_policy_key="123/14",
    birth_date=date(2015, 6, 12),
    **named("Иванов", "Пётр", "Иванович"),
)
NAMES = {
    13: "Иванов Алексей Иванович",
    14: "Петрова Анна Сергеевна",
    6: "Иванова Мария Сергеевна",
    7: "Иванов Пётр Иванович",
}  # by person id


def refusal(parent=IVANOV, child=ALEXEY, name=None, born=None, today=TODAY, linked=None):
    base = child if child is not None else ALEXEY
    name = name or NAMES[base.person_id]
    claim = ChildClaim(typed_full_name(name), born or base.birth_date)
    return child_refusal(parent, child, claim, today, linked_parent_id=linked)


def test_a_minor_relative_of_the_same_contract_without_a_holder_is_added() -> None:
    assert refusal() is None


@pytest.mark.parametrize(
    "case, exact",
    [
        (dict(child=None), ChildRefusal.NOT_FOUND),
        (dict(born=date(2012, 3, 4)), ChildRefusal.NOT_FOUND),
        (dict(name="Иванов Алексей Петрович"), ChildRefusal.NOT_FOUND),  # the registry has a patronymic
        (dict(name="Иванов Алексей"), ChildRefusal.NOT_FOUND),
        (dict(name="Иванова Алексей Иванович"), ChildRefusal.NOT_FOUND),
        (dict(child=WIFE), ChildRefusal.ALREADY_YOURS),  # his relative: he sees her policy already
        (dict(child=PETR), ChildRefusal.ALREADY_YOURS),
        (dict(child=replace(ALEXEY, birth_date=date(2008, 3, 3))), ChildRefusal.ADULT),
        (dict(child=ANNA), ChildRefusal.OTHER_CONTRACT),
        (dict(child=replace(PETR, holder_policy_key="AM012345678/13")), ChildRefusal.OTHER_HOLDER),
        (dict(child=replace(ALEXEY, category="employee")), ChildRefusal.NOT_RELATIVE),
        (dict(linked=IVANOV.person_id), ChildRefusal.ALREADY_ADDED),
        (dict(linked=99), ChildRefusal.TAKEN),
        (dict(child=replace(ALEXEY, valid_to=date(2025, 12, 31))), ChildRefusal.POLICY_INACTIVE),
        (dict(child=replace(ALEXEY, removed_on=date(2026, 6, 1))), ChildRefusal.POLICY_INACTIVE),
        (dict(parent=replace(IVANOV, category="relative")), ChildRefusal.PARENT_NOT_EMPLOYEE),
        (dict(parent=replace(IVANOV, category="relative"), child=None), ChildRefusal.PARENT_NOT_EMPLOYEE),
    ],
)
def test_refusals_are_exact_for_the_audit(case, exact) -> None:
    assert refusal(**case) == exact


def test_what_reveals_something_about_the_child_is_told_as_an_unknown_policy() -> None:
    for hidden in (
        ChildRefusal.ADULT,
        ChildRefusal.OTHER_CONTRACT,
        ChildRefusal.OTHER_HOLDER,
        ChildRefusal.NOT_RELATIVE,
        ChildRefusal.TAKEN,
        ChildRefusal.NOT_FOUND,
    ):
        assert told(hidden) == ChildRefusal.NOT_FOUND
    # These tell the parent nothing they do not know or see already.
    for shown in (
        ChildRefusal.PARENT_NOT_EMPLOYEE,
        ChildRefusal.TOO_MANY_ATTEMPTS,
        ChildRefusal.ALREADY_YOURS,
        ChildRefusal.ALREADY_ADDED,
        ChildRefusal.POLICY_INACTIVE,
    ):
        assert told(shown) == shown
    assert set(ChildRefusal) - PRIVATE == {told(r) for r in ChildRefusal} - {ChildRefusal.NOT_FOUND}


def test_a_colleague_who_knows_only_the_number_and_birth_date_learns_nothing() -> None:
    # The issue's finding: Шмолина, on the same contract, with Алексей's number and birth date.
    shmolina = replace(IVANOV, person_id=2, policy_key="AM012345678/13", **named("Шмолина", "Елена", "Вениаминовна"))
    assert refusal(parent=shmolina, name="Иванов Алексей Сергеевич") == ChildRefusal.NOT_FOUND
    # The same words for Анна's true details on another contract and for a number that does not exist.
    assert told(refusal(parent=shmolina, child=ANNA)) == told(refusal(parent=shmolina, child=None))


def test_the_patronymic_is_ignored_when_the_registry_has_none() -> None:
    no_patronymic = replace(ALEXEY, patronymic_key="")
    assert refusal(child=no_patronymic, name="Иванов Алексей") is None
    assert refusal(child=no_patronymic, name="Иванов Алексей Иванович") is None


@pytest.mark.parametrize(
    "typed",
    [
        "Иванов Алексей Иванович",
        "  ИВАНОВ   алексей  иванович ",
        "Иванов Алексей Иванович".replace("е", "ё"),
        "Ivanov Aleksei Ivanovich",  # as the international passport spells it
        "Иванов Aleksei Иванович",
    ],
)
def test_the_name_is_read_like_registration_reads_it(typed: str) -> None:
    assert name_matches(ALEXEY, typed_full_name(typed))


@pytest.mark.parametrize("typed", ["Ivanov Aleksej Ivanovich", "Иванов Алексеи Иванович", "Алексей Иванов Иванович"])
def test_a_near_miss_does_not_match(typed: str) -> None:
    assert not name_matches(ALEXEY, typed_full_name(typed))


def test_names_of_several_words_and_particles() -> None:
    rashid = replace(ALEXEY, **named("Алиев", "Рашид", "Гасан оглы"))
    for typed in ("Алиев Рашид Гасан оглы", "Алиев Рашид Гасан-оглы", "Aliev Rashid Gasan ogly"):
        assert name_matches(rashid, typed_full_name(typed)), typed
    double = replace(ALEXEY, **named("Салтыков-Щедрин", "Михаил", "Евграфович"))
    assert name_matches(double, typed_full_name("Салтыков - Щедрин Михаил Евграфович"))
    assert name_matches(double, typed_full_name("Saltykov-Shchedrin Mikhail Evgrafovich"))
    spaced = replace(ALEXEY, **named("Де Сото", "Мария"))
    assert name_matches(spaced, typed_full_name("Де Сото Мария"))
    assert not name_matches(spaced, typed_full_name("Сото Мария"))


def typed_full_name(text: str) -> tuple[str, ...]:
    """A full name typed in one go, as the three answers of the form would give it."""
    return child_name(*(child_answer(ChildStep.LAST_NAME, word, TODAY) for word in [text]), "", "")


@pytest.mark.parametrize(
    "step, typed, code",
    [
        (ChildStep.LAST_NAME, "", "name.empty"),
        (ChildStep.LAST_NAME, "Иванов 2012", "name.invalid"),
        (ChildStep.FIRST_NAME, "<b>Алексей</b>", "name.invalid"),
        (ChildStep.PATRONYMIC, "а" * 101, "name.too_long"),
        (ChildStep.POLICY, "№", "policy.empty"),
        (ChildStep.BIRTH_DATE, "32.13.2012", "date.impossible"),
    ],
)
def test_an_answer_that_cannot_be_read(step: ChildStep, typed: str, code: str) -> None:
    with pytest.raises(InputError) as error:
        child_answer(step, typed, TODAY)
    assert error.value.code == code


def test_too_many_words_in_the_three_answers() -> None:
    with pytest.raises(InputError) as error:
        child_name("а " * 4, "б " * 3, "в в")
    assert error.value.code == "child_name.too_long"


def test_the_steps_go_as_registration_asks_them() -> None:
    order = [ChildStep.POLICY]
    while (following := step_after(order[-1])) is not None:
        order.append(following)
    assert order == [
        ChildStep.POLICY,
        ChildStep.LAST_NAME,
        ChildStep.FIRST_NAME,
        ChildStep.PATRONYMIC,
        ChildStep.BIRTH_DATE,
    ]
    assert [step_before(step) for step in order] == [None, *order[:-1]]


@given(st.text(max_size=300))
def test_reading_a_name_never_fails_otherwise(text: str) -> None:
    try:
        words = child_name(child_answer(ChildStep.LAST_NAME, text, TODAY), "Алексей", "")
    except InputError:
        return
    assert len(words) >= 2 and all(words)
    name_matches(ALEXEY, words)  # and matching never raises


def test_adulthood_comes_on_the_18th_birthday() -> None:
    long_policy = replace(ALEXEY, valid_to=date(2031, 12, 31))
    assert refusal(child=long_policy, today=date(2030, 3, 2)) is None
    assert refusal(child=long_policy, today=date(2030, 3, 3)) == ChildRefusal.ADULT


def test_the_link_lapses_on_the_18th_birthday() -> None:
    assert link_in_force(date(2012, 3, 3), date(2030, 3, 2))
    assert not link_in_force(date(2012, 3, 3), date(2030, 3, 3))
    assert not link_in_force(date(2012, 2, 29), date(2030, 2, 28))  # born on 29 February
    assert link_in_force(date(2012, 2, 29), date(2030, 2, 27))


def test_only_employees_add_children() -> None:
    assert may_add_children("employee") and not may_add_children("relative")
