"""Every role comes from here: `ADMIN_IDS` and `SUPPORT_IDS` (configuration, not revocable in the bot).

A staff-only use case asks `require` inside its own transaction rather than trusting the role a cached
`Viewer` carries, so when roles granted in the bot are stored, a revocation holds at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.actors import Capability, Role, require
from core.db.uow import UnitOfWork


class RoleDirectory:
    def __init__(self, admin_ids: Iterable[int] = (), support_ids: Iterable[int] = ()) -> None:
        self._admins = frozenset(admin_ids)
        self._support = frozenset(support_ids)

    def of(self, telegram_id: int) -> Role:
        if telegram_id in self._admins:
            return Role.ADMIN
        return Role.SUPPORT if telegram_id in self._support else Role.USER

    async def require(self, uow: UnitOfWork, telegram_id: int, capability: Capability) -> Role:
        """The caller's role read in the use case's own transaction (`uow`), so a revocation holds while a
        cache lags; raises `core.actors.Forbidden` unless it has the capability."""
        role = self.of(telegram_id)
        require(role, capability)
        return role
