"""Leaving: /delete_me and staff's erasure on request run this one step (`core.erasure` says what becomes
of each table). The account goes, its consents are withdrawn, what the bot collected is erased, accounting
is anonymised; the insurer's records, the audit trail (ids only) and a block stay."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.db.models import Account
from core.db.uow import UnitOfWork
from core.services.broadcasts import settle


class DialogStore(Protocol):
    """Where a user's open dialog lives (the front end's FSM storage): cleared by "reset the dialog" and
    by erasure."""

    async def reset(self, telegram_id: int) -> None: ...


async def erase(uow: UnitOfWork, account: Account, now: datetime) -> None:
    """In the caller's transaction; the caller audits why, then resets the dialog (`DialogStore`) after
    the commit."""
    telegram_id, person_id = account.telegram_id, account.insured_person_id
    await uow.erasure.withdraw_consents(account.id, now)
    await uow.erasure.drop_requests(account.id)
    if person_id is not None:
        await uow.erasure.drop_cards(person_id)
    # Their chat's broadcast rows not sent yet end as failed, so each broadcast still adds up to done.
    for broadcast_id, rows in (await uow.erasure.unsent_broadcast_rows(telegram_id)).items():
        await settle(uow, broadcast_id, "failed", rows, now)
    await uow.erasure.drop_notices(telegram_id)
    await uow.erasure.anonymise_payments(telegram_id, person_id)
    await uow.erasure.anonymise_disputes(account.id, telegram_id)
    await uow.erasure.anonymise_franchise(telegram_id)
    await uow.accounts.delete(account)
    uow.account_changed(telegram_id)
