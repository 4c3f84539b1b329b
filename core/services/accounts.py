"""Accounts: a Telegram user of the bot and their preferences."""

from __future__ import annotations

from datetime import datetime

from core.audit import AuditAction
from core.calendar import Clock
from core.db.models import Account
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.language import LANGUAGES


async def ensure_account(uow: UnitOfWork, telegram_id: int, clock: Clock) -> Account:
    account = await uow.accounts.by_telegram_id(telegram_id)
    if account is None:
        account = Account(telegram_id=telegram_id, created_at=clock.now())
        await uow.accounts.insert(account)
        uow.account_changed(telegram_id)
    return account


class AccountService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

    async def set_language(self, telegram_id: int, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        async with self.uow() as uow:
            account = await ensure_account(uow, telegram_id, self.clock)
            account.language = language
            uow.account_changed(telegram_id)
            uow.audit.record(
                self.clock.now(),
                AuditAction.LANGUAGE_SET,
                actor=telegram_id,
                object_type="account",
                object_id=account.id,
                language=language,
            )
            await uow.commit()

    async def delete(self, telegram_id: int) -> bool:
        """/delete_me: the account, its consents and requests go, its saved cards are forgotten (never
        charged again); the insurer's registry row stays."""
        async with self.uow() as uow:
            account = await uow.accounts.by_telegram_id(telegram_id)
            if account is None:
                return False
            uow.audit.record(
                self.clock.now(),
                AuditAction.ACCOUNT_DELETED,
                actor=telegram_id,
                object_type="account",
                object_id=account.id,
                person=account.insured_person_id,
            )
            await remove_account(uow, account, self.clock.now())
            await uow.commit()
            return True


async def remove_account(uow: UnitOfWork, account: Account, now: datetime) -> None:
    """/delete_me, or erasure on request by staff: the account, its consents and requests go, its saved cards
    are forgotten (never charged again); the insurer's registry row stays, and so does a block."""
    if account.insured_person_id is not None:
        await uow.cards.remove_all(account.insured_person_id, now)
    await uow.accounts.delete(account)
    uow.account_changed(account.telegram_id)
