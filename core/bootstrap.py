"""The composition root: everything a process needs, built once from the settings.

The bot's dispatcher, every command of the command line and the HTTP endpoints start here (and so will
the worker and the Mini App pages), so a thing is wired in one place: the clock, the engine, the units
of work, Redis, the gateways, the one-time codes, the viewer cache and the use cases.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from core.calendar import Clock
from core.db.engine import create_engine, create_session_factory, sqlite_file
from core.db.migrate import upgrade
from core.db.uow import UnitOfWorkFactory
from core.gateways.email import EmailSender, build_email_sender
from core.gateways.payments import YooKassaGateway
from core.gateways.sms import SmsSender, build_sms_sender
from core.leader import FileLeadership, Leadership, PostgresLeadership
from core.metrics import Metrics
from core.otp_store import DatabaseOtpStore, RedisOtpStore
from core.services.accounts import AccountService
from core.services.billing import BillingService
from core.services.children import ChildrenService
from core.services.codes import CodeDelivery
from core.services.clinics import ClinicService
from core.services.disputes import DisputeService
from core.services.franchise import FranchiseService
from core.services.importing import Importer
from core.services.invites import InviteService
from core.services.invoices import InvoiceService
from core.services.otp import OtpService
from core.services.outbox import OutboxService
from core.services.policies import PolicyService
from core.services.registration import RegistrationService
from core.services.housekeeping import HousekeepingService
from core.services.cards import CardService
from core.services.payments import PaymentService
from core.services.reminders import ReminderService
from core.services.requests import RequestService
from core.services.settings import SettingsService
from core.services.support import SupportService
from core.services.roles import RoleDirectory
from core.services.viewers import ViewerDirectory
from core.settings import Settings


@dataclass
class Container:
    settings: Settings
    clock: Clock
    engine: AsyncEngine
    uow: UnitOfWorkFactory
    redis: Redis | None
    http: aiohttp.ClientSession
    sms: SmsSender
    email: EmailSender
    otp: OtpService
    codes: CodeDelivery
    roles: RoleDirectory
    viewers: ViewerDirectory
    accounts: AccountService
    registration: RegistrationService
    invites: InviteService
    importer: Importer
    policies: PolicyService
    clinics: ClinicService
    franchise: FranchiseService
    children: ChildrenService
    requests: RequestService
    support: SupportService
    user_settings: SettingsService
    billing: BillingService
    outbox: OutboxService
    invoices: InvoiceService
    disputes: DisputeService
    payments: PaymentService
    cards: CardService
    metrics: Metrics  # counters, and the database's gauges read at scrape time (core/metrics.py)
    reminders: ReminderService
    housekeeping: HousekeepingService

    async def start(self) -> None:
        """What needs a running loop: the viewer cache starts hearing other replicas."""
        await self.viewers.start()

    async def close(self) -> None:
        await self.viewers.close()
        await self.http.close()
        if self.redis is not None:
            await self.redis.aclose()
        await self.engine.dispose()


async def bootstrap(settings: Settings, *, migrate_embedded: bool = True) -> Container:
    """`migrate_embedded`: an SQLite file is created and migrated here (PostgreSQL by `migrate`)."""
    if settings.is_sqlite and migrate_embedded:
        await upgrade(settings.database_url)
    clock = settings.clock()
    engine = create_engine(settings.database_url)
    uow = UnitOfWorkFactory(create_session_factory(engine))
    redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
    http = aiohttp.ClientSession()
    store = RedisOtpStore(redis, settings.redis_key("otp:")) if redis is not None else DatabaseOtpStore(uow.session_factory)
    otp = OtpService(store, otp_secret(settings), clock)
    email = build_email_sender(settings)
    sms = build_sms_sender(settings, http)
    codes = CodeDelivery(otp, sms, email)
    roles = RoleDirectory(settings.admin_ids, settings.support_ids)
    payments = PaymentService(uow, clock, build_payment_gateway(settings, http), roles, return_url=settings.yookassa_return_url)
    return Container(
        settings=settings,
        metrics=Metrics(engine, clock),
        clock=clock,
        engine=engine,
        uow=uow,
        redis=redis,
        http=http,
        sms=sms,
        email=email,
        otp=otp,
        codes=codes,
        roles=roles,
        viewers=ViewerDirectory(uow, roles.of, redis,
                                channel=settings.redis_key("viewers:changed")),
        accounts=AccountService(uow, clock),
        registration=RegistrationService(uow, clock, codes, otp.pseudonym,
                                         trust_contact=settings.trust_telegram_contact),
        invites=InviteService(uow, clock),
        importer=Importer(engine, clock),
        policies=PolicyService(uow, clock),
        clinics=ClinicService(uow),
        franchise=FranchiseService(uow, clock),
        children=ChildrenService(uow, clock),
        requests=RequestService(uow, clock),
        support=SupportService(uow, clock),
        user_settings=SettingsService(uow, clock, otp, email),
        billing=BillingService(uow, clock, autopay=settings.yookassa_autopay and payments.available,
                               limits=settings.amount_limits),
        outbox=OutboxService(uow, clock),
        invoices=InvoiceService(uow, clock),
        disputes=DisputeService(uow, clock, roles),
        payments=payments,
        cards=CardService(uow, clock, payments, enabled=settings.yookassa_autopay, hours=settings.reminder_window),
        reminders=ReminderService(uow, clock, [*settings.admin_ids, *settings.support_ids],
                                  settings.reminder_window),
        housekeeping=HousekeepingService(uow, clock),
    )


def build_payment_gateway(settings: Settings, http: aiohttp.ClientSession) -> YooKassaGateway | None:
    """YooKassa when the shop's credentials are set; else payments are off and the bot says so."""
    if not settings.payments_configured:
        return None
    return YooKassaGateway(
        http, api_url=settings.yookassa_api_url, shop_id=settings.yookassa_shop_id,
        secret_key=settings.yookassa_secret_key, vat_code=settings.yookassa_vat_code,
        payment_subject=settings.yookassa_payment_subject,
        timeout=aiohttp.ClientTimeout(total=settings.yookassa_timeout, connect=min(5.0, settings.yookassa_timeout)),
    )  # fmt: skip


def leadership(settings: Settings, engine: AsyncEngine) -> Leadership:
    """Who runs the jobs: the holder of a PostgreSQL advisory lock, or of a file lock next to the SQLite
    database (one machine)."""
    if settings.is_sqlite:
        database = sqlite_file(settings.database_url)
        return FileLeadership((database.parent if database else Path("data")) / "worker.lock")
    return PostgresLeadership(engine)


def otp_secret(settings: Settings) -> bytes:
    """OTP_SECRET, or for the embedded default a key generated once into the data folder."""
    if settings.otp_secret:
        return settings.otp_secret.encode()
    database = sqlite_file(settings.database_url)
    path = (database.parent if database else Path("data")) / "otp_secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_hex(32))
    return path.read_text().strip().encode()
