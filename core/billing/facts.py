"""What the billing rules need to know of the registry: the insured person and the program's terms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from core.billing.due import DEFAULT_DUE_DAYS, DueDayKind


class OverdueRule(StrEnum):
    FRANCHISE = "franchise"  # SOGAZ: the franchise clinics become unavailable
    EMERGENCY = "emergency"  # Alfa: only the clinics of `emergency_only` programs remain


@dataclass(frozen=True)
class ProgramTerms:
    code: str
    franchise_bp: int = 0  # hundredths of a percent: 20 % = 2000
    due_days: int = DEFAULT_DUE_DAYS
    due_day_kind: DueDayKind = DueDayKind.WORKING
    overdue_rule: OverdueRule = OverdueRule.FRANCHISE
    emergency_only: bool = False


@dataclass(frozen=True)
class Insured:
    """A registry row as billing sees it; every policy number in canonical form."""

    policy_key: str
    program_code: str
    birth_date: date
    valid_from: date
    valid_to: date
    is_relative: bool = False
    holder_key: str | None = None  # the employee the row names as holder
    parent_key: str | None = None  # the parent who added this child, while the link is in force
    removed_on: date | None = None
