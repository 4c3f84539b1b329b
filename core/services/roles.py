"""Every role comes from here: `ADMIN_IDS` and `SUPPORT_IDS` (configuration, not revocable in the bot) and
the roles granted in the bot (`staff_roles`, see `core/services/staff.py`). The configuration wins: a
configured admin is never demoted by a stored row, nor a configured support member promoted by one.

A staff-only use case asks `require` inside its own transaction rather than trusting the role a cached
`Viewer` carries, so a revocation holds at once whatever a cache says.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.actors import Capability, Role, is_staff, require
from core.db.uow import UnitOfWork

GRANTABLE = (Role.SUPPORT, Role.ADMIN)


class RoleDirectory:
    def __init__(
        self, admin_ids: Iterable[int] = (), support_ids: Iterable[int] = (), staff_chat_id: int | None = None
    ) -> None:
        self.staff_chat_id = staff_chat_id  # the staff's forum group, where each item gets a topic (None: none)
        self._admins = frozenset(admin_ids)
        self._support = frozenset(support_ids) - self._admins  # listed twice: the larger role

    def configured(self, telegram_id: int) -> Role:
        """The role the configuration gives (USER: none)."""
        if telegram_id in self._admins:
            return Role.ADMIN
        return Role.SUPPORT if telegram_id in self._support else Role.USER

    def configured_staff(self) -> list[tuple[int, Role]]:
        """Everyone the configuration names, admins first, each by Telegram id."""
        return [(i, Role.ADMIN) for i in sorted(self._admins)] + [(i, Role.SUPPORT) for i in sorted(self._support)]

    @staticmethod
    def combined(configured: Role, stored: str | None) -> Role:
        """The configuration's role when it gives one, else the stored one (an unknown value: none)."""
        if is_staff(configured):
            return configured
        return Role(stored) if stored in GRANTABLE else Role.USER

    def role_given(self, telegram_id: int, stored: str | None) -> Role:
        """The caller's role, the one granted in the bot read already (`stored`): the configuration's first."""
        return self.combined(self.configured(telegram_id), stored)

    async def role(self, uow: UnitOfWork, telegram_id: int) -> Role:
        """The caller's role read in this transaction: the configuration's, else the one granted in the bot."""
        configured = self.configured(telegram_id)
        if is_staff(configured):
            return configured
        return self.combined(configured, await uow.staff_roles.role_of(telegram_id))

    async def staff(self, uow: UnitOfWork) -> list[tuple[int, Role]]:
        """Everyone with a staff role, read in this transaction: the configuration's (admins first), then
        those granted in the bot, oldest grant first."""
        configured = self.configured_staff()
        known = {telegram_id for telegram_id, _ in configured}
        granted = [
            (row.telegram_id, Role(row.role))
            for row in await uow.staff_roles.all()
            if row.telegram_id not in known and row.role in GRANTABLE
        ]
        return configured + granted

    async def require(self, uow: UnitOfWork, telegram_id: int, capability: Capability) -> Role:
        """The caller's role read in the use case's own transaction (`uow`), so a revocation holds while a
        cache lags; raises `core.actors.Forbidden` unless it has the capability."""
        role = await self.role(uow, telegram_id)
        require(role, capability)
        return role
