"""The composition root: everything a process needs, built once from the settings.

Every process kind (the bot, the worker, the command line; its composer in `bot/factory/`) and the tests
start here (and so will the Mini App pages), so a thing is wired in one place: the clock, the engine, the
units of work, the one Redis client, the gateways, the one-time codes, the viewer cache, the use cases and
the hooks between them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import aiohttp
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from core.calendar import Clock
from core.db.commits import on_commit
from core.db.engine import create_engine, create_session_factory, sqlite_file
from core.db.migrate import upgrade
from core.db.uow import UnitOfWorkFactory
from core.gateways.email import EmailSender, build_email_sender
from core.gateways.payments import YooKassaGateway
from core.gateways.sms import SmsSender, build_sms_sender
from core.infra.leader import FileLeadership, Leadership, PostgresLeadership
from core.infra.metrics import Metrics
from core.infra.otp_store import DatabaseOtpStore, RedisOtpStore
from core.services.accounts import AccountService
from core.services.audit_log import AuditLogService
from core.services.billing import BillingService
from core.services.broadcasts import BroadcastService
from core.services.cards import CardService
from core.services.children import ChildrenService
from core.services.clinics import ClinicService
from core.services.codes import CodeDelivery
from core.services.desk import DeskService
from core.services.desk_imports import DeskImportService
from core.services.disputes import DisputeService
from core.services.exports import ExportService
from core.services.franchise import FranchiseService
from core.services.housekeeping import HousekeepingService
from core.services.importing.service import ImportService
from core.services.invites import InviteService
from core.services.invoices import InvoiceService
from core.services.money import MoneyService
from core.services.otp import OtpService
from core.services.outbox import OutboxService
from core.services.payments import PaymentService
from core.services.policies import PolicyService
from core.services.queue import QueueService
from core.services.registration import RegistrationService
from core.services.reminders import ReminderService
from core.services.requests import RequestService
from core.services.retention import RetentionService
from core.services.roles import RoleDirectory
from core.services.settings import SettingsService
from core.services.staff import StaffService
from core.services.stats import StatsService
from core.services.support import SupportService
from core.services.viewers import ViewerDirectory
from core.settings import Settings


def _use_case() -> Any:
    """A field the handlers may ask for by name (`Container.use_cases`)."""
    return field(metadata={"use_case": True})


@dataclass
class Container:
    settings: Settings
    clock: Clock
    engine: AsyncEngine
    uow: UnitOfWorkFactory
    redis: Redis | None  # the process's one client: codes, the viewer channel, update claims, the FSM
    http: aiohttp.ClientSession
    sms: SmsSender
    email: EmailSender
    otp: OtpService
    roles: RoleDirectory
    viewers: ViewerDirectory
    metrics: Metrics  # counters, and the database's gauges read at scrape time (core/infra/metrics.py)
    codes: CodeDelivery = _use_case()
    accounts: AccountService = _use_case()
    registration: RegistrationService = _use_case()
    invites: InviteService = _use_case()
    imports: ImportService = _use_case()
    policies: PolicyService = _use_case()
    clinics: ClinicService = _use_case()
    franchise: FranchiseService = _use_case()
    children: ChildrenService = _use_case()
    requests: RequestService = _use_case()
    support: SupportService = _use_case()
    user_settings: SettingsService = _use_case()
    billing: BillingService = _use_case()
    outbox: OutboxService = _use_case()
    invoices: InvoiceService = _use_case()
    disputes: DisputeService = _use_case()
    payments: PaymentService = _use_case()
    cards: CardService = _use_case()
    reminders: ReminderService = _use_case()
    housekeeping: HousekeepingService = _use_case()
    retention: RetentionService = _use_case()
    staff_roles: StaffService = _use_case()  # /roles
    audit_log: AuditLogService = _use_case()  # /audit
    desk: DeskService = _use_case()
    queue: QueueService = _use_case()  # /queue
    money: MoneyService = _use_case()  # the admin's money actions on the desk
    desk_imports: DeskImportService = _use_case()  # /import: who may, one per kind, the runs recorded
    exports: ExportService = _use_case()  # the registers back to the insurer (export, /export)
    broadcasts: BroadcastService = _use_case()  # /broadcast: a message to a segment, queued in chunks, stoppable
    stats: StatsService = _use_case()  # /stats, and the figures /metrics reads

    def use_cases(self) -> dict[str, object]:
        """Name → use case: what the dispatcher hands to handlers, so a new one needs no other edit."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.metadata.get("use_case")}

    def development_fallbacks(self) -> list[str]:
        """A warning for each code gateway that writes to the log instead of sending (SMS_GATEWAY_URL or
        SMTP_URL unset): the bot process, which sends codes, logs them at start; other commands say nothing."""
        gateways = (self.sms, self.email)
        return [w for w in (getattr(g, "development_warning", None) for g in gateways) if w]

    async def start(self) -> None:
        """What needs a running loop: the viewer cache starts hearing other replicas."""
        await self.viewers.start()

    async def close(self) -> None:
        self.metrics.close()
        await self.viewers.close()
        await self.http.close()
        if self.redis is not None:
            await self.redis.aclose()
        await self.engine.dispose()


# What a caller of `bootstrap` may hand in instead of what the settings would build: so far a clock (tests
# move time); the gateways need none, tests point the settings at the emulators instead.
OVERRIDABLE = frozenset({"clock"})


async def bootstrap(
    settings: Settings, *, overrides: Mapping[str, object] | None = None, migrate_embedded: bool = True
) -> Container:
    """`overrides`: parts handed in (OVERRIDABLE); `migrate_embedded`: an SQLite file is created and
    migrated here (PostgreSQL by `migrate`)."""
    given = dict(overrides or {})
    if unknown := given.keys() - OVERRIDABLE:
        raise TypeError(f"bootstrap cannot override {', '.join(sorted(unknown))}")
    if settings.is_sqlite and migrate_embedded:
        await upgrade(settings.database_url)
    clock = given["clock"] if "clock" in given else settings.clock()
    engine = create_engine(settings.database_url)
    uow = UnitOfWorkFactory(create_session_factory(engine))
    # A connection to a Redis that went away fails in seconds instead of hanging (no read timeout: the viewer
    # channel's subscription waits on its socket for as long as nothing changes).
    redis = Redis.from_url(settings.redis_url, socket_connect_timeout=5) if settings.redis_url else None
    http = aiohttp.ClientSession()
    store = (
        RedisOtpStore(redis, settings.redis_key("otp:")) if redis is not None else DatabaseOtpStore(uow.session_factory)
    )
    otp = OtpService(store, otp_secret(settings), clock)
    email = build_email_sender(settings)
    sms = build_sms_sender(settings, http)
    codes = CodeDelivery(otp, sms, email)
    roles = RoleDirectory(settings.admin_ids, settings.support_ids, settings.staff_chat_id)
    viewers = ViewerDirectory(uow, roles.role_given, redis, channel=settings.redis_key("viewers:changed"))
    uow.on_accounts_changed(viewers.forget)  # a commit that touched accounts drops their cached viewers
    policies = PolicyService(uow, clock)
    on_commit(engine, policies.recent.forget)  # any commit drops the policy rows read lately
    payments = PaymentService(
        uow, clock, build_payment_gateway(settings, http), roles, return_url=_return_url(settings)
    )
    cards = CardService(uow, clock, payments, enabled=settings.yookassa_autopay, hours=settings.reminder_window)
    payments.on_binding = cards.apply_binding  # a card check's notification binds the card
    disputes = DisputeService(uow, clock, roles)
    stats = StatsService(uow, clock, roles)
    billing = BillingService(
        uow, clock, autopay=settings.yookassa_autopay and payments.available, limits=settings.amount_limits
    )
    return Container(
        settings=settings,
        clock=clock,
        engine=engine,
        uow=uow,
        redis=redis,
        http=http,
        sms=sms,
        email=email,
        otp=otp,
        roles=roles,
        viewers=viewers,
        metrics=Metrics(stats.figures, clock),
        codes=codes,
        accounts=AccountService(uow, clock),
        registration=RegistrationService(
            uow, clock, codes, otp.pseudonym, trust_contact=settings.trust_telegram_contact
        ),
        invites=InviteService(uow, clock),
        imports=ImportService(engine, clock, billing),
        policies=policies,
        clinics=ClinicService(uow),
        franchise=FranchiseService(uow, clock),
        children=ChildrenService(uow, clock),
        requests=RequestService(uow, clock, roles),
        support=SupportService(uow, clock, roles),
        user_settings=SettingsService(uow, clock, otp, email),
        billing=billing,
        outbox=OutboxService(uow, clock, settings.reminder_window),
        invoices=InvoiceService(uow, clock),
        disputes=disputes,
        payments=payments,
        cards=cards,
        reminders=ReminderService(uow, clock, roles, settings.reminder_window),
        housekeeping=HousekeepingService(uow, clock),
        retention=RetentionService(uow, clock, settings.retention),
        staff_roles=StaffService(uow, clock, roles),
        audit_log=AuditLogService(uow, roles),
        desk_imports=DeskImportService(uow, clock, roles),
        exports=ExportService(uow, engine, clock, roles),
        broadcasts=BroadcastService(uow, clock, roles),
        desk=DeskService(uow, clock, roles, email, otp.pseudonym),
        queue=QueueService(uow, clock, roles, disputes),
        money=MoneyService(uow, clock, roles, payments),
        stats=stats,
    )


def build_payment_gateway(settings: Settings, http: aiohttp.ClientSession) -> YooKassaGateway | None:
    """YooKassa when the shop's credentials are set; else payments are off and the bot says so."""
    if not settings.payments_configured:
        return None
    return YooKassaGateway(
        http,
        api_url=settings.yookassa_api_url,
        shop_id=settings.yookassa_shop_id,
        secret_key=settings.yookassa_secret_key,
        vat_code=settings.yookassa_vat_code,
        payment_subject=settings.yookassa_payment_subject,
        timeout=aiohttp.ClientTimeout(total=settings.yookassa_timeout, connect=min(5.0, settings.yookassa_timeout)),
    )


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


def _return_url(settings: Settings) -> str | None:
    """In the Mini App mode the payer comes back to the payment's page; else to YOOKASSA_RETURN_URL."""
    if settings.private_views == "webapp" and settings.webapp_base_url:
        return f"{settings.webapp_base_url}/webapp/payments/{{payment_id}}"
    return settings.yookassa_return_url
