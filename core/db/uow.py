"""Unit of work: one transaction, the repositories that share it, nothing saved without commit()."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db.repositories import AccountRepository, AuditRepository


class UnitOfWork:
    session: AsyncSession
    accounts: AccountRepository
    audit: AuditRepository

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self.accounts = AccountRepository(self.session)
        self.audit = AuditRepository(self.session)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is not None:
            await self.session.rollback()
        await self.session.close()

    async def commit(self) -> None:
        await self.session.commit()
