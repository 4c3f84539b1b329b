"""Whether a clinic serves a person today, and clinic search (core.cabinet.clinics)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.cabinet.clinics import (
    MAX_QUERY,
    ClinicAccess,
    clinic_access,
    fold,
    listing_order,
    matches,
    search_needle,
    serves_under_franchise,
)
from core.cabinet.franchise import FranchiseKind, FranchiseState
from core.cabinet.policies import PolicyStatus
from core.errors import InputError

NONE = FranchiseState(FranchiseKind.NOT_REQUIRED, 0)
OFF = FranchiseState(FranchiseKind.NOT_ACTIVATED, 2000)
LATER = FranchiseState(FranchiseKind.SCHEDULED, 2000, date(2026, 11, 24))
ON = FranchiseState(FranchiseKind.ACTIVE, 2000, date(2026, 1, 1))
HELD = FranchiseState(FranchiseKind.SUSPENDED, 2000, date(2026, 1, 1))
A, R = PolicyStatus.ACTIVE, PolicyStatus.RESTRICTED
OK, NEEDS, SUSP, OFFLINE = (
    ClinicAccess.AVAILABLE,
    ClinicAccess.NEEDS_FRANCHISE,
    ClinicAccess.SUSPENDED,
    ClinicAccess.POLICY_INACTIVE,
)


@pytest.mark.parametrize(
    "policy, franchise, rule, franchise_clinic, emergency_clinic, access",
    [
        # an ordinary clinic
        (A, NONE, "franchise", False, False, OK),
        (A, OFF, "franchise", False, False, OK),
        # a franchise clinic: only under a franchise in force; the flag means nothing without a franchise
        (A, NONE, "franchise", True, False, OK),
        (A, OFF, "franchise", True, False, NEEDS),
        (A, LATER, "franchise", True, False, NEEDS),
        (A, ON, "franchise", True, False, OK),
        # overdue, `franchise` rule: franchise clinics close, the rest stay
        (R, HELD, "franchise", True, False, SUSP),
        (R, HELD, "franchise", False, False, OK),
        (R, OFF, "franchise", True, False, NEEDS),
        # overdue, `emergency` rule: only the emergency programs' clinics (the medical desk) stay
        (R, HELD, "emergency", False, False, SUSP),
        (R, HELD, "emergency", True, False, SUSP),
        (R, HELD, "emergency", False, True, OK),
        (R, OFF, "emergency", True, False, NEEDS),
        (R, ON, "franchise", True, False, SUSP),  # restricted by the rule even if the state lags
        (R, NONE, "emergency", False, True, OK),
        # no active policy: nothing
        (PolicyStatus.EXPIRED, NONE, "franchise", False, True, OFFLINE),
        (PolicyStatus.REMOVED, ON, "franchise", False, False, OFFLINE),
        (PolicyStatus.NOT_STARTED, ON, "franchise", False, False, OFFLINE),
    ],
)
def test_clinic_access(policy, franchise, rule, franchise_clinic, emergency_clinic, access) -> None:
    flags = {"franchise_clinic": franchise_clinic, "emergency_clinic": emergency_clinic}
    assert clinic_access(policy, franchise, rule, **flags) == access


def test_the_franchise_flag_counts_only_in_a_franchise_program() -> None:
    assert serves_under_franchise(True, OFF) and serves_under_franchise(True, ON)
    assert not serves_under_franchise(True, NONE) and not serves_under_franchise(False, ON)


@pytest.mark.parametrize(
    "key, query, found",
    [
        ("стоматология «улыбка» москва", "УЛЫБКА", True),
        ("стоматология «улыбка» москва", "москв", True),  # a part of the city
        ("клиника «семейный доктор» на бауманской москва", "семейный  доктор", True),  # spaces collapse
        ("медицинский центр «здоровье» москва", "Здоровье", True),
        ("семёновская клиника москва", "семеновская", True),  # ё = е both ways
        ("семеновская клиника москва", "СЕМЁНОВСКАЯ", True),
        ("поликлиника №1 при цкб москва", "№1", True),
        ("клиника «мать и дитя» уфа", "казань", False),
        ("клиника «мать и дитя» уфа", "мать дитя", False),  # a substring, not words in any order
    ],
)
def test_search(key, query, found) -> None:
    assert matches(key, search_needle(query)) is found


def test_search_needle_bounds() -> None:
    with pytest.raises(InputError) as short:
        search_needle("  у ")
    assert short.value.code == "search.too_short"
    assert search_needle("уф") == "уф"
    with pytest.raises(InputError) as long:
        search_needle("а" * (MAX_QUERY + 1))
    assert long.value.code == "search.too_long"


@given(st.text(max_size=30))
def test_fold_is_idempotent_and_every_name_finds_itself(name: str) -> None:
    assert fold(fold(name)) == fold(name)
    if len(fold(name)) >= 2:
        assert matches(name.casefold(), search_needle(name))


def test_listing_order_is_by_name_with_numbers_by_value() -> None:
    names = ["Клиника №10", "клиника №2", "Ёлка", "Клиника №1", "Абрис", "Клиника", "елка 2"]
    assert sorted(names, key=listing_order) == [
        "Абрис",
        "Ёлка",
        "елка 2",
        "Клиника",
        "Клиника №1",
        "клиника №2",
        "Клиника №10",
    ]


@given(st.lists(st.text(max_size=12), max_size=8))
def test_any_names_can_be_listed(names: list[str]) -> None:
    assert sorted(sorted(names, key=listing_order), key=listing_order) == sorted(names, key=listing_order)
