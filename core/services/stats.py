"""The desk's statistics (/stats, support and admins) and the same figures for /metrics: one short read-only
transaction of aggregate statements (`core/db/stats.py`), turned into `core.desk.stats.Figures`.

The figures carry counts and amounts only, never a person: staff see them without an audit entry (nothing
is changed, nobody's data is shown), as the metrics endpoint does behind its token.
"""

from __future__ import annotations

from core.actors import Capability
from core.audit import AuditAction
from core.calendar import Clock
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.desk.stats import Figures, invoice_figures, refusals_by_reason, registrations_by_way, week_of
from core.services.roles import RoleDirectory


class StatsService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, roles: RoleDirectory) -> None:
        self.uow = uow
        self.clock = clock
        self.roles = roles

    async def for_staff(self, caller: int) -> Figures:
        """The figures, for a caller whose role (re-read here) has the capability; else `Forbidden`."""
        async with self.uow() as uow:
            await self.roles.require(uow, caller, Capability.STATS)
            return await self._read(uow)

    async def figures(self) -> Figures:
        """The figures with no caller: the metrics endpoint, which its own token guards."""
        async with self.uow() as uow:
            return await self._read(uow)

    async def _read(self, uow: UnitOfWork) -> Figures:
        today = self.clock.today()
        week = week_of(today)
        stats = uow.stats
        linked: dict[str | None, int] = {}
        submitted: dict[str | None, int] = {}
        refused: dict[str | None, int] = {}
        for action, reason, way, count in await stats.registration_events(*week.bounds(self.clock.zone)):
            if action == AuditAction.REGISTRATION_LINKED:
                linked[way] = linked.get(way, 0) + count
            else:
                counted = submitted if action == AuditAction.REGISTRATION_SUBMIT else refused
                counted[reason] = counted.get(reason, 0) + count
        payments, payment_statuses = await stats.payments()
        disputes_open, disputes_late = await stats.disputes(today)
        requests_open, questions_open = await stats.open_requests()
        outbox_pending, outbox_oldest = await stats.outbox()
        return Figures(
            week=week,
            registered=await stats.registered(),
            registrations=registrations_by_way(linked),
            refusals=refusals_by_reason(submitted, refused),
            invoices=invoice_figures(await stats.invoices()),
            payments=payments,
            refunds=await stats.refunds(),
            disputes_open=disputes_open,
            disputes_late=disputes_late,
            requests_open=requests_open,
            questions_open=questions_open,
            outbox_pending=outbox_pending,
            outbox_oldest=outbox_oldest,
            payment_statuses=payment_statuses,
        )
