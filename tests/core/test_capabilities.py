"""Who may do what, decided in core: the permissions table as the product states it, and the use cases
that act for someone refusing a caller the table does not allow — no Telegram involved."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from core.actors import CAPABILITIES, Capability, Forbidden, NotYours, Role, Viewer, can, require
from core.billing.disputes import DisputeStatus
from core.bootstrap import Container
from core.cabinet.requests import RequestKind
from core.db.models import Dispute, UserRequest
from core.services.roles import RoleDirectory
from tests.core.test_billing_storage import person_id
from tests.core.test_disputes_storage import billed, engine, invoice, ivanov  # noqa: F401 - fixtures
from tests.roots import on

ADMIN, SUPPORT, USER = 9001, 9002, 5001
ROLES = RoleDirectory(admin_ids=[ADMIN], support_ids=[SUPPORT])
C = Capability
# The permissions table, row by row: (capability, user, support, admin).
TABLE = [
    (C.OWN_CABINET, True, True, True),
    (C.FIND_PEOPLE, False, True, True),
    (C.VIEW_RECORD, False, True, True),
    (C.ANSWER_REQUESTS, False, True, True),
    (C.ANSWER_DISPUTES, False, True, True),
    (C.RESEND_INVITE, False, True, True),
    (C.RESET_DIALOG, False, True, True),
    (C.LIFT_LOCK, False, True, True),
    (C.STATS, False, True, True),
    (C.UNLINK_ACCOUNT, False, False, True),
    (C.BLOCK_USER, False, False, True),
    (C.ERASE_ACCOUNT, False, False, True),
    (C.IMPORT_FILES, False, False, True),
    (C.EXPORT_REGISTERS, False, False, True),
    (C.MARK_PAID_OFFLINE, False, False, True),
    (C.CANCEL_INVOICE, False, False, True),
    (C.REFUND, False, False, True),
    (C.BROADCAST, False, False, True),
    (C.GRANT_ROLES, False, False, True),
    (C.READ_AUDIT, False, False, True),
]


def test_the_table_names_every_capability_once() -> None:
    assert sorted(row[0] for row in TABLE) == sorted(Capability)
    assert set(CAPABILITIES) == set(Role)


@pytest.mark.parametrize(("capability", "user", "support", "admin"), TABLE)
def test_each_role_may_do_what_the_table_says(capability: Capability, user: bool, support: bool, admin: bool) -> None:
    for role, allowed in ((Role.USER, user), (Role.SUPPORT, support), (Role.ADMIN, admin)):
        assert can(role, capability) is allowed, (role, capability)
        if allowed:
            require(role, capability)
        else:
            with pytest.raises(Forbidden) as refused:
                require(role, capability)
            assert (refused.value.role, refused.value.capability) == (role, capability)


def test_roles_come_from_the_configuration() -> None:
    assert [ROLES.configured(i) for i in (ADMIN, SUPPORT, USER)] == [Role.ADMIN, Role.SUPPORT, Role.USER]
    both = RoleDirectory(admin_ids=[1], support_ids=[1])
    assert both.configured(1) is Role.ADMIN  # listed twice: the larger role


@pytest.fixture
async def root(sqlite_url: str) -> AsyncIterator[Container]:
    """The sample bills issued, the staff of ROLES; today 10.11.2026."""
    async with billed(sqlite_url, admin_ids=[ADMIN], support_ids=[SUPPORT]) as root:
        yield on(root, date(2026, 11, 10))


async def test_a_dispute_is_answered_by_support_or_an_admin_only(
    root: Container,
    engine: AsyncEngine,
    ivanov: Viewer,
) -> None:
    son = (await invoice(engine, "2026/10/3")).id
    opened = await root.disputes.open(ivanov, son, "B-0005", "Не был")
    dispute_id = opened.dispute.dispute_id
    for caller in (USER, ivanov.telegram_id, 424242):  # a user, the disputing payer himself, a stranger
        with pytest.raises(Forbidden):
            await root.disputes.answer(caller, dispute_id, True, "")
    async with engine.connect() as conn:
        assert (await conn.execute(select(Dispute.status).where(Dispute.id == dispute_id))).scalar_one() == "open"
    answered = await root.disputes.answer(SUPPORT, dispute_id, False, "")
    assert answered.dispute.status == DisputeStatus.REJECTED


async def test_a_request_names_only_a_policy_the_caller_sees(
    root: Container,
    engine: AsyncEngine,
    ivanov: Viewer,
) -> None:
    service = root.requests
    son = await person_id(engine, "АМ012345683/13")
    stranger = await person_id(engine, "AM012345678/13")  # Шмолина: not his
    made = await service.create(ivanov, son, RequestKind.CALLBACK, text="Перезвоните")
    assert made.kind == RequestKind.CALLBACK
    for forged in (stranger, 999_999_999):
        with pytest.raises(NotYours):
            await service.create(ivanov, forged, RequestKind.CALLBACK, text="Перезвоните")
    unregistered = Viewer(telegram_id=777)
    with pytest.raises(NotYours):
        await service.create(unregistered, son, RequestKind.CALLBACK, text="Перезвоните")
    async with engine.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(UserRequest))).scalar_one() == 1
