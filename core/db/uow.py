"""Unit of work: one short transaction, the repositories that share it, nothing saved without commit().

A use case opens one (`async with uow_factory() as uow:`), commits or not, and leaves with plain data:
no transaction outlives the use case. A transaction that changes who a Telegram user is (an account
created, linked, deleted, its language or staff role changed) says so with `account_changed`; once the commit
succeeds, the factory's listener hears it (the viewer cache drops that user).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db.access import AccessRepository
from core.db.accounts import AccountRepository
from core.db.audit import AuditRepository
from core.db.billing import BillingRepository
from core.db.blocks import BlockRepository
from core.db.broadcasts import BroadcastRepository
from core.db.cards import CardRepository
from core.db.clinics import ClinicRepository
from core.db.codes import CodeRepository
from core.db.counters import CounterRepository
from core.db.desk import DeskRepository
from core.db.disputes import DisputeRepository
from core.db.invites import InviteRepository
from core.db.invoices import InvoiceRepository
from core.db.outbox import OutboxRepository
from core.db.payments import PaymentRepository
from core.db.people import PeopleRepository
from core.db.queue import QueueRepository
from core.db.reminders import ReminderRepository
from core.db.requests import RequestRepository
from core.db.staff_roles import StaffRoleRepository
from core.db.stats import StatsRepository

AccountsChanged = Callable[[Iterable[int]], Awaitable[None]]


class UnitOfWork:
    session: AsyncSession
    accounts: AccountRepository
    audit: AuditRepository
    people: PeopleRepository
    clinics: ClinicRepository
    requests: RequestRepository
    billing: BillingRepository
    invoices: InvoiceRepository
    payments: PaymentRepository
    cards: CardRepository
    disputes: DisputeRepository
    access: AccessRepository
    reminders: ReminderRepository
    outbox: OutboxRepository
    broadcasts: BroadcastRepository
    invites: InviteRepository
    codes: CodeRepository
    staff_roles: StaffRoleRepository
    counters: CounterRepository
    blocks: BlockRepository
    desk: DeskRepository
    queue: QueueRepository
    stats: StatsRepository

    def __init__(self, session_factory: async_sessionmaker[AsyncSession], on_accounts_changed: AccountsChanged) -> None:
        self._session_factory = session_factory
        self._on_accounts_changed = on_accounts_changed
        self._changed: set[int] = set()

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self.accounts = AccountRepository(self.session)
        self.audit = AuditRepository(self.session)
        self.people = PeopleRepository(self.session)
        self.clinics = ClinicRepository(self.session)
        self.requests = RequestRepository(self.session)
        self.billing = BillingRepository(self.session)
        self.invoices = InvoiceRepository(self.session)
        self.payments = PaymentRepository(self.session)
        self.cards = CardRepository(self.session)
        self.disputes = DisputeRepository(self.session)
        self.access = AccessRepository(self.session)
        self.reminders = ReminderRepository(self.session)
        self.outbox = OutboxRepository(self.session)
        self.broadcasts = BroadcastRepository(self.session)
        self.invites = InviteRepository(self.session)
        self.codes = CodeRepository(self.session)
        self.staff_roles = StaffRoleRepository(self.session)
        self.counters = CounterRepository(self.session)
        self.blocks = BlockRepository(self.session)
        self.desk = DeskRepository(self.session)
        self.queue = QueueRepository(self.session)
        self.stats = StatsRepository(self.session)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is not None:
            await self.session.rollback()
        await self.session.close()

    def account_changed(self, telegram_id: int) -> None:
        self._changed.add(telegram_id)

    async def commit(self) -> None:
        await self.session.commit()
        if self._changed:
            changed, self._changed = self._changed, set()
            await self._on_accounts_changed(changed)

    async def rollback(self) -> None:
        await self.session.rollback()
        self._changed.clear()


class UnitOfWorkFactory:
    """What use cases hold: call it for a fresh unit of work."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_factory = session_factory
        self._listeners: list[AccountsChanged] = []

    def on_accounts_changed(self, listener: AccountsChanged) -> None:
        self._listeners.append(listener)

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self._notify)

    async def _notify(self, telegram_ids: Iterable[int]) -> None:
        ids = list(telegram_ids)
        for listener in self._listeners:
            await listener(ids)
