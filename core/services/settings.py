"""A user's settings: which notifications they get, and their e-mail (changed only by proving the new
address with an e-mail code). The language is core.services.accounts.set_language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from core.cabinet.notifications import NotificationKind, notification_choices
from core.calendar import Clock
from core.db import cabinet_queries as queries
from core.db.models import Account, NotificationSetting
from core.db.uow import UnitOfWork
from core.gateways import DeliveryError
from core.gateways.email import EmailSender
from core.normalize import email_key
from core.services.otp import OtpService

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


async def notifications_of(uow: UnitOfWork, account: Account) -> dict[NotificationKind, bool]:
    stored = await queries.notification_settings(uow.session, account.id)
    return notification_choices({kind: setting.enabled for kind, setting in stored.items()})


async def toggle_notification(
    uow: UnitOfWork, account: Account, kind: NotificationKind, clock: Clock
) -> dict[NotificationKind, bool]:
    stored = await queries.notification_settings(uow.session, account.id)
    enabled = not (await notifications_of(uow, account))[kind]
    if kind in stored:
        stored[kind].enabled = enabled
    else:
        uow.session.add(NotificationSetting(account_id=account.id, kind=kind, enabled=enabled))
    uow.audit.record(
        clock.now(), "notifications.set", actor=account.telegram_id, object_type="account", object_id=account.id,
        kind=kind, enabled=int(enabled),
    )  # fmt: skip
    await uow.commit()
    return await notifications_of(uow, account)


async def send_email_code(
    uow: UnitOfWork,
    otp: OtpService,
    sender: EmailSender,
    account: Account,
    address: str,
    compose: Callable[[str], tuple[str, str]],
) -> CodeSent:
    """Mails a code to `address` (already normalised). `compose(code)` gives the subject and the body,
    whose only run of six digits is the code."""
    key = email_key(address)
    if key == account.email_key:
        return CodeSent(refusal="same")
    if await queries.email_owner(uow.session, key) not in (None, account.telegram_id):
        return CodeSent(refusal="taken")
    issued = await otp.issue(account.telegram_id, CHANNEL, key)
    if issued.code is None:
        return CodeSent(refusal=issued.refusal, retry_after=issued.retry_after)
    subject, body = compose(issued.code)
    try:
        await sender.send(address, subject, body)
    except DeliveryError:
        return CodeSent(refusal="delivery_failed")
    return CodeSent()


async def confirm_email(
    uow: UnitOfWork, otp: OtpService, account: Account, address: str, code: str, clock: Clock
) -> EmailConfirmed:
    """Checks the code mailed to `address`; when right, the address becomes the account's e-mail."""
    key = email_key(address)
    verified = await otp.verify(account.telegram_id, CHANNEL, key, code)
    if not verified.ok:
        return EmailConfirmed(verified.reason, verified.tries_left)
    account.email, account.email_key = address, key
    uow.audit.record(
        clock.now(), "email.changed", actor=account.telegram_id, object_type="account", object_id=account.id
    )
    try:
        await uow.commit()
    except IntegrityError:  # another account proved the same address in between
        await uow.session.rollback()
        return EmailConfirmed("taken")
    return EmailConfirmed("ok")
