"""Franchise state, activation refusals and the effective date (core.cabinet.franchise)."""

from datetime import date

import pytest

from core.cabinet.franchise import (
    ActivationRefusal,
    FranchiseKind,
    FranchiseState,
    activation_refusal,
    effective_from,
    franchise_state,
)
from core.cabinet.policies import PolicyStatus

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    "percent, starts, overdue, kind",
    [
        (0, None, False, FranchiseKind.NOT_REQUIRED),
        (0, date(2026, 1, 1), True, FranchiseKind.NOT_REQUIRED),  # nothing to activate or suspend
        (2000, None, False, FranchiseKind.NOT_ACTIVATED),
        (2000, None, True, FranchiseKind.NOT_ACTIVATED),
        (2000, date(2026, 11, 24), False, FranchiseKind.SCHEDULED),
        (2000, TODAY, False, FranchiseKind.ACTIVE),  # in force on its first day
        (2000, date(2026, 1, 1), False, FranchiseKind.ACTIVE),
        (2000, date(2026, 1, 1), True, FranchiseKind.SUSPENDED),
        (2000, date(2026, 11, 24), True, FranchiseKind.SUSPENDED),
    ],
)
def test_franchise_state(percent, starts, overdue, kind) -> None:
    state = franchise_state(percent, starts, TODAY, overdue=overdue)
    assert state.kind == kind
    assert state.effective_from == (starts if kind != FranchiseKind.NOT_REQUIRED and starts else None)


def test_activation_refusals() -> None:
    fresh = FranchiseState(FranchiseKind.NOT_ACTIVATED, 2000)
    assert activation_refusal(fresh, PolicyStatus.ACTIVE, is_payer=True) is None
    assert activation_refusal(fresh, PolicyStatus.RESTRICTED, is_payer=True) is None
    assert activation_refusal(fresh, PolicyStatus.ACTIVE, is_payer=False) == ActivationRefusal.NOT_PAYER
    for inactive in (PolicyStatus.EXPIRED, PolicyStatus.REMOVED, PolicyStatus.NOT_STARTED):
        assert activation_refusal(fresh, inactive, is_payer=True) == ActivationRefusal.POLICY_INACTIVE
    none = FranchiseState(FranchiseKind.NOT_REQUIRED, 0)
    assert activation_refusal(none, PolicyStatus.ACTIVE, is_payer=True) == ActivationRefusal.NOT_REQUIRED
    for kind in (FranchiseKind.SCHEDULED, FranchiseKind.ACTIVE, FranchiseKind.SUSPENDED):
        state = FranchiseState(kind, 2000, date(2026, 1, 1))
        assert activation_refusal(state, PolicyStatus.ACTIVE, is_payer=True) == ActivationRefusal.ALREADY_ACTIVATED


@pytest.mark.parametrize(
    "consent, starts",
    [
        (date(2026, 2, 20), date(2026, 2, 24)),  # Friday; Monday 23 February is a holiday
        (date(2026, 11, 21), date(2026, 11, 23)),  # Saturday → Monday
        (date(2026, 5, 19), date(2026, 5, 20)),  # an ordinary Tuesday → Wednesday
        (date(2025, 12, 30), date(2026, 1, 12)),  # over the New Year holidays
        (date(2025, 10, 31), date(2025, 11, 1)),  # the working Saturday of the 2025 decree
    ],
)
def test_effective_from_is_the_next_working_day(consent, starts) -> None:
    assert effective_from(consent) == starts
