"""Franchise (co-payment) programs: the state of a person's franchise and the rules of activating it.

AlfaStrakhovanie: consent is given in the cabinet and the franchise is in force "on the next working
day"; without it the clinics served under the franchise are unavailable (SOGAZ).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from core.cabinet.policies import INACTIVE, PolicyStatus
from core.calendar import next_working_day

# The version of the terms the user consents to (`franchise-terms` in locales/*/franchise.ftl).
# Stored with every activation: raise it whenever that text changes.
TERMS_VERSION = "2026-11-2"  # 2: "deductible" for "franchise" in English


class FranchiseKind(StrEnum):
    NOT_REQUIRED = "not_required"  # the program has no co-payment
    NOT_ACTIVATED = "not_activated"
    SCHEDULED = "scheduled"  # consent given, in force from a later working day
    ACTIVE = "active"
    SUSPENDED = "suspended"  # an overdue invoice: franchise clinics closed until it is paid


@dataclass(frozen=True)
class FranchiseState:
    kind: FranchiseKind
    percent_bp: int  # hundredths of a percent: 20 % = 2000
    effective_from: date | None = None


class ActivationRefusal(StrEnum):
    NOT_REQUIRED = "not_required"
    ALREADY_ACTIVATED = "already_activated"
    NOT_PAYER = "not_payer"  # a relative's franchise is activated by the holder who pays
    POLICY_INACTIVE = "policy_inactive"


def franchise_state(
    percent_bp: int, effective_from: date | None, today: date, *, overdue: bool = False
) -> FranchiseState:
    if percent_bp == 0:
        return FranchiseState(FranchiseKind.NOT_REQUIRED, 0)
    if effective_from is None:
        return FranchiseState(FranchiseKind.NOT_ACTIVATED, percent_bp)
    if overdue:
        return FranchiseState(FranchiseKind.SUSPENDED, percent_bp, effective_from)
    kind = FranchiseKind.SCHEDULED if effective_from > today else FranchiseKind.ACTIVE
    return FranchiseState(kind, percent_bp, effective_from)


def activation_refusal(state: FranchiseState, policy: PolicyStatus, *, is_payer: bool) -> ActivationRefusal | None:
    """Why the caller may not activate this franchise now, or None when they may."""
    if state.kind == FranchiseKind.NOT_REQUIRED:
        return ActivationRefusal.NOT_REQUIRED
    if state.kind != FranchiseKind.NOT_ACTIVATED:
        return ActivationRefusal.ALREADY_ACTIVATED
    if not is_payer:
        return ActivationRefusal.NOT_PAYER
    if policy in INACTIVE:
        return ActivationRefusal.POLICY_INACTIVE
    return None


def effective_from(consented_on: date) -> date:
    """The first working day after the day of consent, by the Russian production calendar."""
    return next_working_day(consented_on)
