"""A user's settings: which notifications they get, their e-mail (changed only by proving the new
address with an e-mail code), and, for an adult relative whose holder pays for her, whether that holder
may read the names of her services (`core.cabinet.sharing`). The language is
core.services.accounts.set_language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError

from core.audit import AuditAction
from core.cabinet.notifications import NotificationKind, notification_choices
from core.cabinet.sharing import may_share
from core.calendar import Clock
from core.db.models import Account, InsuredPerson, NotificationSetting
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.gateways import DeliveryError
from core.gateways.email import EmailSender
from core.normalize import email_key
from core.services.otp import OtpService
from core.services.viewers import Viewer

CHANNEL = "email"


@dataclass(frozen=True)
class CodeSent:
    refusal: str | None = None  # same | taken | cooldown | destination_daily_cap | user_daily_cap | delivery_failed
    retry_after: int = 0  # seconds, for "cooldown"

    @property
    def awaits_code(self) -> bool:
        """A code is on its way (or came a minute ago, or failed to go): the user types it, or asks again."""
        return self.refusal in (None, "cooldown", "delivery_failed")

    @property
    def address_refused(self) -> bool:
        """This address cannot be the account's (the current one, or another account's): type another."""
        return self.refusal in ("same", "taken")


@dataclass(frozen=True)
class EmailConfirmed:
    reason: str  # ok | wrong | burned | expired | missing | taken
    tries_left: int = 0


@dataclass(frozen=True)
class ServicesSharing:
    """The setting of an adult relative: may her holder read the names of her services?"""

    holder_id: int  # the holder's insured person id (the button names it: a changed holder is noticed)
    holder_name: str  # "Иванов И. И."
    shared: bool


@dataclass(frozen=True)
class SettingsOverview:
    email: str | None
    notifications: dict[NotificationKind, bool]
    sharing: ServicesSharing | None = None  # None: not an adult relative with a holder


@dataclass(frozen=True)
class SharingSet:
    overview: SettingsOverview
    refusal: str | None = None  # holder_changed: the screen named another holder; nothing changed


class SettingsService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, otp: OtpService, email_sender: EmailSender) -> None:
        self.uow = uow
        self.clock = clock
        self.otp = otp
        self.email_sender = email_sender

    async def overview(self, viewer: Viewer) -> SettingsOverview:
        async with self.uow() as uow:
            return await self._overview(uow, viewer.account_id)

    async def toggle_notification(self, viewer: Viewer, kind: NotificationKind) -> SettingsOverview:
        async with self.uow() as uow:
            stored = await uow.accounts.notification_settings(viewer.account_id)
            enabled = not (await self._overview(uow, viewer.account_id)).notifications[kind]
            if kind in stored:
                stored[kind].enabled = enabled
            else:
                uow.accounts.add(NotificationSetting(account_id=viewer.account_id, kind=kind, enabled=enabled))
            uow.audit.record(
                self.clock.now(),
                AuditAction.NOTIFICATIONS_SET,
                actor=viewer.telegram_id,
                object_type="account",
                object_id=viewer.account_id,
                kind=kind,
                enabled=int(enabled),
            )
            await uow.commit()
            return await self._overview(uow, viewer.account_id)

    async def share_services(self, viewer: Viewer, allow: bool, holder_id: int) -> SharingSet | None:
        """The caller's own permission (nothing in the request names anyone else's): given to the holder
        `holder_id`, as the screen named them, or withdrawn. None when the setting is not the caller's to
        have (not an adult relative with a holder): a forged button. Audited when it changes."""
        async with self.uow() as uow:
            account = await uow.accounts.get(viewer.account_id)
            found = await _holder(uow, account, self.clock.today()) if account is not None else None
            if found is None:
                return None
            holder, holder_key = found
            if allow and holder.id != holder_id:
                return SharingSet(await self._overview(uow, account.id), refusal="holder_changed")
            wanted = holder_key if allow else None  # off also clears one given to a former holder
            if account.services_shared_with != wanted:
                now = self.clock.now()
                shared = (holder_key, now) if allow else (None, None)
                account.services_shared_with, account.services_shared_at = shared
                uow.audit.record(
                    now,
                    AuditAction.SERVICES_SHARING_SET,
                    actor=viewer.telegram_id,
                    object_type="account",
                    object_id=account.id,
                    holder=holder.id,
                    enabled=int(allow),
                )
                await uow.commit()
            return SharingSet(await self._overview(uow, account.id))

    async def send_email_code(
        self, viewer: Viewer, address: str, compose: Callable[[str], tuple[str, str]]
    ) -> CodeSent:
        """Mails a code to `address` (already normalised). `compose(code)` gives the subject and the body,
        whose only run of six digits is the code. No transaction is open while the mail goes."""
        key = email_key(address)
        async with self.uow() as uow:
            account = await uow.accounts.get(viewer.account_id)
            if key == account.email_key:
                return CodeSent(refusal="same")
            if await uow.accounts.email_owner(key) not in (None, viewer.telegram_id):
                return CodeSent(refusal="taken")
        issued = await self.otp.issue(viewer.telegram_id, CHANNEL, key)
        if issued.code is None:
            return CodeSent(refusal=issued.refusal, retry_after=issued.retry_after)
        subject, body = compose(issued.code)
        try:
            await self.email_sender.send(address, subject, body)
        except DeliveryError:
            # Nobody got it: withdrawn, so asking again is not held by a cooldown.
            await self.otp.withdraw(viewer.telegram_id, CHANNEL, key, issued.code)
            return CodeSent(refusal="delivery_failed")
        return CodeSent()

    async def confirm_email(self, viewer: Viewer, address: str, code: str) -> EmailConfirmed:
        """Checks the code mailed to `address`; when right, the address becomes the account's e-mail."""
        key = email_key(address)
        verified = await self.otp.verify(viewer.telegram_id, CHANNEL, key, code)
        if not verified.ok:
            return EmailConfirmed(verified.reason, verified.tries_left)
        async with self.uow() as uow:
            account = await uow.accounts.get(viewer.account_id)
            account.email, account.email_key = address, key
            uow.audit.record(
                self.clock.now(),
                AuditAction.EMAIL_CHANGED,
                actor=viewer.telegram_id,
                object_type="account",
                object_id=viewer.account_id,
            )
            try:
                await uow.commit()
            except IntegrityError:  # another account proved the same address in between
                return EmailConfirmed("taken")
        return EmailConfirmed("ok")

    async def _overview(self, uow: UnitOfWork, account_id: int) -> SettingsOverview:
        account = await uow.accounts.get(account_id)
        stored = await uow.accounts.notification_settings(account_id)
        consent = await uow.accounts.latest_consent(account_id, "notifications")
        consented = consent is None or consent.granted  # an account from before the consent was asked: defaults
        choices = notification_choices({kind: s.enabled for kind, s in stored.items()}, consented=consented)
        found = await _holder(uow, account, self.clock.today())
        sharing = None
        if found is not None:
            holder, holder_key = found
            sharing = ServicesSharing(holder.id, short_name(holder), account.services_shared_with == holder_key)
        return SettingsOverview(account.email, choices, sharing)


async def _holder(uow: UnitOfWork, account: Account, today: date) -> tuple[InsuredPerson, str] | None:
    """The holder who pays for the account's person, and their policy key, when that person is an adult
    relative (`core.cabinet.sharing.may_share`) and the holder is in the registry; else None. One statement."""
    if account.insured_person_id is None:
        return None
    row = await uow.people.holder_of(account.insured_person_id)
    if row is None or not may_share(row.policy_key, row.holder_policy_key, row.birth_date, today):
        return None
    return row.holder, row.holder_policy_key


def short_name(person: InsuredPerson) -> str:
    """ "Иванов И. И.": the last name and the initials."""
    initials = " ".join(f"{part[0]}." for part in (person.first_name, person.patronymic) if part)
    return f"{person.last_name} {initials}".strip()
