"""Staff roles granted and revoked in the bot (/roles): listed with those of the configuration, stored,
audited, and effective at once on every replica (the target's cached viewer is dropped everywhere, and
staff-only use cases re-read the role in their own transaction anyway)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.actors import Capability, Role
from core.audit import AuditAction
from core.calendar import Clock
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.notices import StaffRemovedFromGroup
from core.services.roles import GRANTABLE, RoleDirectory


@dataclass(frozen=True, slots=True)
class StaffMember:
    telegram_id: int
    role: Role
    configured: bool  # from ADMIN_IDS / SUPPORT_IDS: not revocable in the bot
    granted_by: int | None = None
    granted_at: datetime | None = None


class RoleRefusal(StrEnum):
    CONFIGURED = "configured"  # the configuration gives this id its role: not changed in the bot
    SELF = "self"  # one's own role: another admin changes it (nobody locks themselves out)
    NOT_STORED = "not_stored"  # nothing granted in the bot to revoke
    UNCHANGED = "unchanged"  # the id already has this role


@dataclass(frozen=True, slots=True)
class RoleChange:
    telegram_id: int
    role: Role  # the role it has now
    previous: Role
    refusal: RoleRefusal | None = None

    @property
    def done(self) -> bool:
        return self.refusal is None


class StaffService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, roles: RoleDirectory) -> None:
        self.uow = uow
        self.clock = clock
        self.roles = roles

    async def staff(self, caller: int) -> list[StaffMember]:
        """Everyone with a role: the configuration's first, then those granted in the bot, oldest first."""
        async with self.uow() as uow:
            await self.roles.require(uow, caller, Capability.GRANT_ROLES)
            stored = await uow.staff_roles.all()
        members = [StaffMember(i, role, configured=True) for i, role in self.roles.configured_staff()]
        configured = {m.telegram_id for m in members}
        for row in stored:
            if row.telegram_id not in configured and row.role in GRANTABLE:
                members.append(
                    StaffMember(row.telegram_id, Role(row.role), False, row.granted_by_telegram_id, row.granted_at)
                )
        return members

    async def everyone(self) -> list[tuple[int, Role]]:
        """Every staff member with their role, for the process itself (their command lists at start)."""
        async with self.uow() as uow:
            return await self.roles.staff(uow)

    async def role_of(self, caller: int, telegram_id: int) -> Role:
        """What `telegram_id` has now (for a confirmation screen)."""
        async with self.uow() as uow:
            await self.roles.require(uow, caller, Capability.GRANT_ROLES)
            return await self.roles.role(uow, telegram_id)

    async def grant(self, caller: int, telegram_id: int, role: Role) -> RoleChange:
        """`role` (support or admin) to `telegram_id`, replacing one granted before. Raises Forbidden for a
        caller who may not grant roles, ValueError for a role that is not grantable."""
        if role not in GRANTABLE:
            raise ValueError(f"{role} is not granted in the bot")
        async with self.uow() as uow:
            await self.roles.require(uow, caller, Capability.GRANT_ROLES)
            previous = await self.roles.role(uow, telegram_id)
            refusal = self._refusal(caller, telegram_id)
            if refusal is None and previous is role:
                refusal = RoleRefusal.UNCHANGED
            if refusal is not None:
                return RoleChange(telegram_id, previous, previous, refusal)
            now = self.clock.now()
            await uow.staff_roles.put(telegram_id, role, caller, now)
            self._changed(uow, now, True, caller, telegram_id, role, previous)
            await uow.commit()
        return RoleChange(telegram_id, role, previous)

    async def revoke(self, caller: int, telegram_id: int) -> RoleChange:
        """The role granted in the bot to `telegram_id`, taken back: they are a user again."""
        async with self.uow() as uow:
            await self.roles.require(uow, caller, Capability.GRANT_ROLES)
            previous = await self.roles.role(uow, telegram_id)
            refusal = self._refusal(caller, telegram_id)
            if refusal is None and not await uow.staff_roles.remove(telegram_id):
                refusal = RoleRefusal.NOT_STORED
            if refusal is not None:
                return RoleChange(telegram_id, previous, previous, refusal)
            self._changed(uow, self.clock.now(), False, caller, telegram_id, Role.USER, previous)
            if self.roles.staff_chat_id is not None:  # out of the staff group too, once the revoke is in
                uow.outbox.add(StaffRemovedFromGroup(to=self.roles.staff_chat_id, user=telegram_id), self.clock.now())
            await uow.commit()
        return RoleChange(telegram_id, Role.USER, previous)

    def _refusal(self, caller: int, telegram_id: int) -> RoleRefusal | None:
        if self.roles.configured(telegram_id) is not Role.USER:
            return RoleRefusal.CONFIGURED
        if telegram_id == caller:
            return RoleRefusal.SELF
        return None

    @staticmethod
    def _changed(
        uow: UnitOfWork, now: datetime, granted: bool, caller: int, telegram_id: int, role: Role, previous: Role
    ) -> None:
        uow.audit.record(
            now,
            AuditAction.ROLE_GRANTED if granted else AuditAction.ROLE_REVOKED,
            actor=caller,
            object_type="telegram_user",
            object_id=telegram_id,
            role=role,
            previous=previous,
        )
        uow.account_changed(telegram_id)  # their cached viewer is dropped on every replica after the commit
