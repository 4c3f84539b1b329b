"""Accounts (`AccountRepository`): a Telegram user of the bot, their consents and notification settings, and
the accounts of insured people (whom a notice about them goes to, and whether it may)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Row, bindparam, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.bulk import chunks
from core.db.models import Account, BlockedUser, Consent, NotificationSetting, StaffRole


def _of_account(column):
    return select(column).where(Account.telegram_id == bindparam("telegram_id")).scalar_subquery()


# What the viewer cache keeps, in one statement whether or not the user has an account (one row either way).
_VIEWER = select(
    _of_account(Account.id).label("id"),
    _of_account(Account.insured_person_id).label("insured_person_id"),
    _of_account(Account.language).label("language"),
    select(StaffRole.role).where(StaffRole.telegram_id == bindparam("telegram_id")).scalar_subquery().label("role"),
    exists().where(BlockedUser.telegram_id == bindparam("telegram_id")).label("blocked"),
)


class AccountRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_telegram_id(self, telegram_id: int) -> Account | None:
        return await self.session.scalar(select(Account).where(Account.telegram_id == telegram_id))

    async def viewer_row(self, telegram_id: int) -> Row:
        """What the viewer cache keeps: the account's (id, insured_person_id, language), all None without
        one; the role granted in the bot (`role`, None if none); whether the user is blocked (`blocked`)."""
        return (await self.session.execute(_VIEWER, {"telegram_id": telegram_id})).one()

    async def get(self, account_id: int) -> Account | None:
        return await self.session.get(Account, account_id)

    async def lock(self, account_id: int) -> None:
        """The account's row locked to the transaction's end, so that its writes that check before they add (a
        request sent twice at once) run one after the other. An UPDATE that changes nothing, not SELECT … FOR
        UPDATE: SQLite has no row locks, and there the write takes the database's, which serialises too."""
        await self.session.execute(update(Account).where(Account.id == account_id).values(id=Account.id))

    def add(self, row: Account | Consent | NotificationSetting) -> None:
        self.session.add(row)

    async def insert(self, account: Account) -> None:
        """Stored now, within the transaction: its id is known."""
        self.session.add(account)
        await self.session.flush()

    async def delete(self, account: Account) -> None:
        await self.session.delete(account)

    async def phone_owner(self, phone: str) -> int | None:
        """The telegram id of the account holding this phone, if any."""
        return await self.session.scalar(select(Account.telegram_id).where(Account.phone == phone))

    async def email_owner(self, email_key: str) -> int | None:
        """The telegram id of the account holding this e-mail, if any."""
        return await self.session.scalar(select(Account.telegram_id).where(Account.email_key == email_key))

    async def linked_to(self, person_ids: list[int]) -> dict[int, int]:
        """person id → telegram id of the account linked to it."""
        if not person_ids:
            return {}
        query = select(Account.insured_person_id, Account.telegram_id).where(Account.insured_person_id.in_(person_ids))
        return dict((await self.session.execute(query)).all())

    async def latest_consent(self, account_id: int, kind: str) -> Consent | None:
        query = (
            select(Consent)
            .where(Consent.account_id == account_id, Consent.kind == kind)
            .order_by(Consent.at.desc(), Consent.id.desc())
            .limit(1)
        )
        return await self.session.scalar(query)

    async def notification_settings(self, account_id: int) -> dict[str, NotificationSetting]:
        query = select(NotificationSetting).where(NotificationSetting.account_id == account_id)
        return {setting.kind: setting for setting in await self.session.scalars(query)}

    async def of_people(self, person_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
        """person id → (account id, telegram id) of the account linked to that person."""
        result: dict[int, tuple[int, int]] = {}
        for chunk in chunks(set(person_ids)):
            query = select(Account.insured_person_id, Account.id, Account.telegram_id).where(
                Account.insured_person_id.in_(chunk)
            )
            result.update(
                {person: (account, telegram) for person, account, telegram in await self.session.execute(query)}
            )
        return result

    async def notification_choices(
        self, account_ids: Iterable[int], kind: str
    ) -> tuple[dict[int, bool], dict[int, bool]]:
        """For these accounts: the stored choice of `kind` (account id → enabled, when stored), and the
        latest answer to the notifications consent (account id → granted, when asked)."""
        stored: dict[int, bool] = {}
        consent: dict[int, bool] = {}
        for chunk in chunks(set(account_ids)):
            query = select(NotificationSetting.account_id, NotificationSetting.enabled).where(
                NotificationSetting.account_id.in_(chunk), NotificationSetting.kind == kind
            )
            stored.update(dict((await self.session.execute(query)).all()))
            query = (
                select(Consent.account_id, Consent.granted)
                .where(Consent.account_id.in_(chunk), Consent.kind == "notifications")
                .order_by(Consent.at, Consent.id)
            )
            consent.update(dict((await self.session.execute(query)).all()))  # the latest wins
        return stored, consent
