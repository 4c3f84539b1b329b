"""Accounts: a Telegram user of the bot and their preferences."""

from __future__ import annotations

from core.calendar import Clock
from core.db.models import Account
from core.db.uow import UnitOfWork
from core.language import LANGUAGES


async def ensure_account(uow: UnitOfWork, telegram_id: int, clock: Clock) -> Account:
    account = await uow.accounts.by_telegram_id(telegram_id)
    if account is None:
        account = Account(telegram_id=telegram_id, created_at=clock.now())
        uow.accounts.add(account)
        await uow.session.flush()
    return account


async def set_language(uow: UnitOfWork, telegram_id: int, language: str, clock: Clock) -> Account:
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    account = await ensure_account(uow, telegram_id, clock)
    account.language = language
    uow.audit.record(clock.now(), "language.set", actor=telegram_id, object_type="account", object_id=account.id, language=language)
    await uow.commit()
    return account


async def delete_account(uow: UnitOfWork, telegram_id: int, clock: Clock) -> bool:
    """/delete_me: the account, its consents and requests go; the insurer's registry row stays."""
    account = await uow.accounts.by_telegram_id(telegram_id)
    if account is None:
        return False
    uow.audit.record(clock.now(), "account.deleted", actor=telegram_id, object_type="account", object_id=account.id,
                     person=account.insured_person_id)
    await uow.session.delete(account)
    await uow.commit()
    return True
