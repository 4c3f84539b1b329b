"""Unit of work: one short transaction, the repositories that share it, nothing saved without commit().

A use case opens one (`async with uow_factory() as uow:`), commits or not, and leaves with plain data:
no transaction outlives the use case. One that only reads may open `uow_factory.reading()` instead: no
transaction of its own on PostgreSQL, a write refused (`core.db.engine.reading_sessions`). A transaction that changes who a Telegram user is (an account
created, linked, deleted, its language or staff role changed) says so with `account_changed`; once the commit
succeeds, the factory's listener hears it (the viewer cache drops that user).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from types import TracebackType
from typing import Generic, TypeVar, overload

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
from core.db.engine import reading_sessions
from core.db.erasure import ErasureRepository
from core.db.import_runs import ImportRunRepository
from core.db.invites import InviteRepository
from core.db.invoices import InvoiceRepository
from core.db.outbox import OutboxRepository
from core.db.payments import PaymentRepository
from core.db.people import PeopleRepository
from core.db.queue import QueueRepository
from core.db.reminders import ReminderRepository
from core.db.requests import RequestRepository
from core.db.retention import RetentionRepository
from core.db.staff_roles import StaffRoleRepository
from core.db.stats import StatsRepository

AccountsChanged = Callable[[Iterable[int]], Awaitable[None]]
R = TypeVar("R")


class _Repository(Generic[R]):
    """A repository of the unit of work, built on first use and kept for the rest of it: a use case uses
    one or two of the twenty, and building all of them for every unit of work showed in a short read's
    profile (the policy card's)."""

    def __init__(self, build: Callable[[AsyncSession], R]) -> None:
        self.build = build

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, uow: None, owner: type) -> _Repository[R]: ...
    @overload
    def __get__(self, uow: UnitOfWork, owner: type) -> R: ...
    def __get__(self, uow: UnitOfWork | None, owner: type) -> R | _Repository[R]:
        if uow is None:
            return self
        repository = uow.__dict__[self.name] = self.build(uow.session)  # later reads find it there
        return repository


class UnitOfWork:
    session: AsyncSession
    accounts = _Repository(AccountRepository)
    audit = _Repository(AuditRepository)
    people = _Repository(PeopleRepository)
    clinics = _Repository(ClinicRepository)
    requests = _Repository(RequestRepository)
    billing = _Repository(BillingRepository)
    invoices = _Repository(InvoiceRepository)
    payments = _Repository(PaymentRepository)
    cards = _Repository(CardRepository)
    disputes = _Repository(DisputeRepository)
    access = _Repository(AccessRepository)
    reminders = _Repository(ReminderRepository)
    outbox = _Repository(OutboxRepository)
    broadcasts = _Repository(BroadcastRepository)
    invites = _Repository(InviteRepository)
    codes = _Repository(CodeRepository)
    staff_roles = _Repository(StaffRoleRepository)
    counters = _Repository(CounterRepository)
    blocks = _Repository(BlockRepository)
    desk = _Repository(DeskRepository)
    import_runs = _Repository(ImportRunRepository)
    queue = _Repository(QueueRepository)
    stats = _Repository(StatsRepository)
    erasure = _Repository(ErasureRepository)
    retention = _Repository(RetentionRepository)

    def __init__(self, session_factory: async_sessionmaker[AsyncSession], on_accounts_changed: AccountsChanged) -> None:
        self._session_factory = session_factory
        self._on_accounts_changed = on_accounts_changed
        self._changed: set[int] = set()

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is not None:
            await self.session.rollback()
        await self.session.close()

    async def flush(self) -> None:
        """What the repositories added or changed sent to the database, the transaction still open: ids
        assigned, and the next statements see it."""
        await self.session.flush()

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
        self._reading = reading_sessions(session_factory)
        self._listeners: list[AccountsChanged] = []

    def on_accounts_changed(self, listener: AccountsChanged) -> None:
        self._listeners.append(listener)

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self._notify)

    def reading(self) -> UnitOfWork:
        """A unit of work for a use case that only reads."""
        return UnitOfWork(self._reading, self._notify)

    async def _notify(self, telegram_ids: Iterable[int]) -> None:
        ids = list(telegram_ids)
        for listener in self._listeners:
            await listener(ids)
