"""Accounts: a Telegram user of the bot and their preferences."""

from __future__ import annotations

from core.audit import AuditAction
from core.calendar import Clock
from core.db.models import Account
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.language import LANGUAGES
from core.services.erasure import DialogStore, erase


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

    async def delete(self, telegram_id: int, dialogs: DialogStore) -> bool:
        """/delete_me: erased as staff erase on request (`core.services.erasure`); the dialog is reset
        whether or not there was an account. False when there was none."""
        async with self.uow() as uow:
            account = await uow.accounts.by_telegram_id(telegram_id)
            if account is not None:
                uow.audit.record(
                    self.clock.now(),
                    AuditAction.ACCOUNT_DELETED,
                    actor=telegram_id,
                    object_type="account",
                    object_id=account.id,
                    person=account.insured_person_id,
                )
                await erase(uow, account, self.clock.now())
                await uow.commit()
        await dialogs.reset(telegram_id)
        return account is not None
