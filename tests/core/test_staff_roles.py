"""Roles granted in the bot: stored beside the configuration's, which always wins; each grant and
revocation audited; a staff-only use case re-reads the role in its transaction, so a revocation holds at
once even where a viewer is still cached; the typed values of /roles read strictly."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.actors import Capability, Forbidden, Role
from core.db.models import AuditEvent
from core.errors import InputError
from core.services.staff import RoleRefusal
from core.staff import parse_grant, parse_role, parse_telegram_id
from tests.roots import container, settings_for

ADMIN, SUPPORT, NEW = 9001, 9002, 5005


@pytest.fixture
async def root(sqlite_url: str):
    async with container(settings_for(sqlite_url, admin_ids=[ADMIN], support_ids=[SUPPORT])) as root:
        yield root


async def role(root, telegram_id: int) -> Role:
    async with root.uow() as uow:
        return await root.roles.role(uow, telegram_id)


async def test_a_granted_role_is_stored_audited_and_revoked(root) -> None:
    assert await role(root, NEW) is Role.USER
    granted = await root.staff_roles.grant(ADMIN, NEW, Role.SUPPORT)
    assert granted.done and (granted.previous, granted.role) == (Role.USER, Role.SUPPORT)
    assert await role(root, NEW) is Role.SUPPORT
    assert (await root.viewers.get(NEW)).role is Role.SUPPORT
    promoted = await root.staff_roles.grant(ADMIN, NEW, Role.ADMIN)
    assert (promoted.previous, promoted.role) == (Role.SUPPORT, Role.ADMIN)
    assert (await root.viewers.get(NEW)).role is Role.ADMIN  # the grant dropped the cached viewer
    members = await root.staff_roles.staff(ADMIN)
    assert [(m.telegram_id, m.role, m.configured) for m in members] == [
        (ADMIN, Role.ADMIN, True),
        (SUPPORT, Role.SUPPORT, True),
        (NEW, Role.ADMIN, False),
    ]
    assert members[2].granted_by == ADMIN and members[2].granted_at is not None
    revoked = await root.staff_roles.revoke(ADMIN, NEW)
    assert revoked.done and revoked.role is Role.USER
    assert (await root.viewers.get(NEW)).role is Role.USER
    assert (await root.staff_roles.revoke(ADMIN, NEW)).refusal is RoleRefusal.NOT_STORED
    async with root.engine.connect() as conn:
        rows = (
            await conn.execute(
                select(
                    AuditEvent.action, AuditEvent.actor_telegram_id, AuditEvent.object_id, AuditEvent.details
                ).order_by(AuditEvent.id)
            )
        ).all()
    assert [(r.action, r.actor_telegram_id, r.object_id, r.details["role"]) for r in rows] == [
        ("role.granted", ADMIN, str(NEW), "support"),
        ("role.granted", ADMIN, str(NEW), "admin"),
        ("role.revoked", ADMIN, str(NEW), "user"),
    ]


async def test_the_configuration_wins_and_nobody_changes_their_own_role(root) -> None:
    assert (await root.staff_roles.grant(ADMIN, SUPPORT, Role.ADMIN)).refusal is RoleRefusal.CONFIGURED
    assert (await root.staff_roles.revoke(ADMIN, SUPPORT)).refusal is RoleRefusal.CONFIGURED
    await root.staff_roles.grant(ADMIN, NEW, Role.ADMIN)
    assert (await root.staff_roles.revoke(NEW, ADMIN)).refusal is RoleRefusal.CONFIGURED  # a configured admin stays
    assert (await root.staff_roles.revoke(NEW, NEW)).refusal is RoleRefusal.SELF
    assert (await root.staff_roles.grant(ADMIN, NEW, Role.ADMIN)).refusal is RoleRefusal.UNCHANGED
    async with root.uow() as uow:  # a stored row naming a configured id changes nothing
        await uow.staff_roles.put(SUPPORT, "admin", NEW, root.clock.now())
        await uow.commit()
    assert await role(root, SUPPORT) is Role.SUPPORT


async def test_support_and_users_may_not_grant(root) -> None:
    for caller in (SUPPORT, NEW):
        for call in (
            root.staff_roles.staff(caller),
            root.staff_roles.grant(caller, 777, Role.SUPPORT),
            root.staff_roles.revoke(caller, ADMIN),
            root.audit_log.find(caller, ""),
        ):
            with pytest.raises(Forbidden):
                await call


async def test_a_revocation_holds_at_once_while_a_viewer_is_cached(root) -> None:
    await root.staff_roles.grant(ADMIN, NEW, Role.ADMIN)
    await root.staff_roles.grant(NEW, 777, Role.SUPPORT)  # the new admin may grant
    cached = await root.viewers.get(NEW)
    async with root.uow() as uow:  # revoked behind the cache's back: no announcement
        await uow.staff_roles.remove(NEW)
        await uow.commit()
    assert (await root.viewers.get(NEW)).role is cached.role is Role.ADMIN
    with pytest.raises(Forbidden):
        await root.staff_roles.grant(NEW, 778, Role.SUPPORT)
    async with root.uow() as uow:
        with pytest.raises(Forbidden):
            await root.roles.require(uow, NEW, Capability.READ_AUDIT)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("123456789", 123456789), (" 42 ", 42), (str(2**52 - 1), 2**52 - 1)],
)
def test_a_telegram_id_is_digits(text: str, expected: int) -> None:
    assert parse_telegram_id(text) == expected


@pytest.mark.parametrize("text", ["", "0", "-5", "12a", "1e5", "١٢٣", str(2**52), "12 34", "+7916"])
def test_anything_else_is_no_telegram_id(text: str) -> None:
    with pytest.raises(InputError) as error:
        parse_telegram_id(text)
    assert error.value.code == "telegram_id.invalid"


def test_roles_and_grants_read_strictly() -> None:
    assert [parse_role(t) for t in ("support", "ADMIN", "Поддержка", "администратор")] == [
        Role.SUPPORT,
        Role.ADMIN,
        Role.SUPPORT,
        Role.ADMIN,
    ]
    assert parse_grant("123 admin") == (123, Role.ADMIN)
    for text, code in (("user", "role.invalid"), ("owner", "role.invalid")):
        with pytest.raises(InputError) as error:
            parse_role(text)
        assert error.value.code == code
    for text, code in (("123", "grant.usage"), ("123 admin x", "grant.usage"), ("x admin", "telegram_id.invalid")):
        with pytest.raises(InputError) as error:
            parse_grant(text)
        assert error.value.code == code
