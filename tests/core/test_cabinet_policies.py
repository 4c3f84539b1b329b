"""Policy status on a day, and who pays (core.cabinet.policies)."""

from datetime import date

import pytest

from core.cabinet.policies import PolicyStatus, payer_policy_key, policy_status

FROM, TO = date(2026, 1, 1), date(2027, 12, 31)


@pytest.mark.parametrize(
    "today, removed_on, overdue, status",
    [
        (date(2026, 1, 1), None, False, PolicyStatus.ACTIVE),  # both ends inclusive
        (date(2027, 12, 31), None, False, PolicyStatus.ACTIVE),
        (date(2025, 12, 31), None, False, PolicyStatus.NOT_STARTED),
        (date(2028, 1, 1), None, False, PolicyStatus.EXPIRED),
        (date(2026, 6, 1), date(2026, 6, 1), False, PolicyStatus.REMOVED),  # removed as of that day
        (date(2026, 5, 31), date(2026, 6, 1), False, PolicyStatus.ACTIVE),  # not yet
        (date(2028, 1, 1), date(2026, 6, 1), False, PolicyStatus.REMOVED),  # removal says more than expiry
        (date(2026, 6, 1), None, True, PolicyStatus.RESTRICTED),
        (date(2028, 1, 1), None, True, PolicyStatus.EXPIRED),  # a debt restricts an active policy only
        (date(2025, 12, 31), None, True, PolicyStatus.NOT_STARTED),
        (date(2026, 6, 1), date(2026, 6, 1), True, PolicyStatus.REMOVED),
    ],
)
def test_policy_status(today, removed_on, overdue, status) -> None:
    assert policy_status(FROM, TO, removed_on, today, overdue=overdue) == status


def test_payer_is_the_holder_else_the_parent_else_the_person() -> None:
    assert payer_policy_key("WIFE", "123/14", None) == "123/14"
    assert payer_policy_key("CHILD", None, "123/14") == "123/14"
    assert payer_policy_key("CHILD", "HOLDER", "PARENT") == "HOLDER"  # the registry wins
    assert payer_policy_key("123/14", None, None) == "123/14"
