"""What state a policy is in on a given day, and who pays a person's invoices."""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class PolicyStatus(StrEnum):
    ACTIVE = "active"
    NOT_STARTED = "not_started"
    EXPIRED = "expired"
    REMOVED = "removed"  # left the employer's list (a `--full` registry import)
    RESTRICTED = "restricted"  # an overdue invoice: limited by the program's overdue_rule


INACTIVE = frozenset({PolicyStatus.NOT_STARTED, PolicyStatus.EXPIRED, PolicyStatus.REMOVED})


def policy_status(
    valid_from: date, valid_to: date, removed_on: date | None, today: date, *, overdue: bool = False
) -> PolicyStatus:
    """`overdue`: the person has an overdue invoice (billing decides); it restricts an active policy only."""
    if removed_on is not None and removed_on <= today:
        return PolicyStatus.REMOVED
    if today > valid_to:
        return PolicyStatus.EXPIRED
    if today < valid_from:
        return PolicyStatus.NOT_STARTED
    return PolicyStatus.RESTRICTED if overdue else PolicyStatus.ACTIVE


def payer_policy_key(policy_key: str, holder_policy_key: str | None, parent_policy_key: str | None) -> str:
    """Whose invoices these are: the holder the registry names, else the parent who added the child's
    policy, else the person themselves. The payer also activates the person's franchise."""
    return holder_policy_key or parent_policy_key or policy_key
