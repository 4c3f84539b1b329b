"""Settings from the environment and `.env` (the table in the README), validated once at start."""

from __future__ import annotations

import ipaddress
import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from core.billing.lines import AmountLimits
from core.calendar import Clock
from core.money import to_kopecks
from core.retention import MAX_DAYS, RetentionPeriods
from core.web_sessions import webapp_origin_allowed

DEFAULT_SQLITE_URL = "sqlite+aiosqlite:///data/dmsbot.sqlite3"
TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
WEBHOOK_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
METRICS_TOKEN_RE = re.compile(r"^[A-Za-z0-9._~+/=-]{16,256}$")
REDIS_PREFIX_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


class ConfigError(Exception):
    """A missing or malformed setting; the message names the variable."""


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


CsvInts = Annotated[list[int], NoDecode]
CsvStrs = Annotated[list[str], NoDecode]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: str | None = None
    telegram_api_url: str = "https://api.telegram.org"
    bot_username: str | None = None
    database_url: str = DEFAULT_SQLITE_URL
    redis_url: str | None = None
    # Every Redis key and channel starts with "<prefix>:", so one Redis can serve several bots (or test runs).
    redis_prefix: str = "dmsbot"
    admin_ids: CsvInts = Field(default_factory=list)
    support_ids: CsvInts = Field(default_factory=list)
    webhook_base_url: str | None = None
    webhook_secret: str | None = None
    webhook_path: str = "/telegram/webhook"
    # webapp: personal and payment views open as Mini App pages at WEBAPP_BASE_URL (bot/web/webapp/).
    private_views: Literal["chat", "webapp"] = "chat"
    webapp_base_url: str | None = None
    http_host: str = "0.0.0.0"
    http_port: int = Field(default=8080, ge=0, le=65535)
    trusted_proxies: CsvStrs = Field(default_factory=list)
    yookassa_shop_id: str | None = None
    yookassa_secret_key: str | None = None
    yookassa_api_url: str = "https://api.yookassa.ru/v3"
    yookassa_return_url: str | None = None
    # Empty: YooKassa's published networks, as the yookassa SDK lists them (bot/web/yookassa.py).
    yookassa_trusted_networks: CsvStrs = Field(default_factory=list)
    yookassa_vat_code: int = Field(default=1, ge=1, le=12)
    yookassa_payment_subject: str = "service"
    yookassa_autopay: bool = False
    yookassa_timeout: float = Field(default=20.0, gt=0, le=120)  # seconds for one API call, connecting included
    sms_gateway_url: str | None = None
    sms_provider: str = "generic"
    smsru_api_id: str | None = None
    smtp_url: str | None = None
    smtp_from: str = "no-reply@localhost"
    trust_telegram_contact: bool = True
    otp_secret: str | None = None
    timezone: str = "Europe/Moscow"
    bot_today: date | None = None
    log_level: str = "INFO"
    metrics_token: str | None = None  # GET /metrics on when set, with `Authorization: Bearer <token>`
    reminder_hours: str = "9-21"  # local hours in which reminders go out: from the first up to the second
    staff_chat_id: int | None = None  # the staff's forum supergroup: the one group the bot stays in
    bill_line_max: Decimal = Field(default=Decimal(1_000_000), gt=0, max_digits=14, decimal_places=2)  # roubles
    invoice_max: Decimal = Field(default=Decimal(3_000_000), gt=0, max_digits=14, decimal_places=2)  # roubles
    # Days kept (core.retention): unfinished registrations, registration attempts, questions from people who
    # never registered, audit entries.
    retain_dialog_days: int = Field(default=30, ge=1, le=MAX_DAYS)
    retain_attempts_days: int = Field(default=90, ge=1, le=MAX_DAYS)
    retain_questions_days: int = Field(default=365, ge=1, le=MAX_DAYS)
    retain_audit_days: int = Field(default=1825, ge=1, le=MAX_DAYS)

    @field_validator("reminder_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        start, _, end = value.partition("-")
        if not (start.isdigit() and end.isdigit() and 0 <= int(start) < int(end) <= 24):
            raise ValueError("hours as START-END, 0 <= START < END <= 24, e.g. 9-21")
        return value

    @property
    def reminder_window(self) -> tuple[int, int]:
        start, _, end = self.reminder_hours.partition("-")
        return int(start), int(end)

    @property
    def amount_limits(self) -> AmountLimits:
        """BILL_LINE_MAX and INVOICE_MAX, in kopecks."""
        return AmountLimits(to_kopecks(self.bill_line_max), to_kopecks(self.invoice_max))

    @property
    def retention(self) -> RetentionPeriods:
        return RetentionPeriods(
            self.retain_dialog_days, self.retain_attempts_days, self.retain_questions_days, self.retain_audit_days
        )

    @property
    def payments_configured(self) -> bool:
        return bool(self.yookassa_shop_id and self.yookassa_secret_key)

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("one of: DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return value.upper()

    @field_validator("admin_ids", "support_ids", "trusted_proxies", "yookassa_trusted_networks", mode="before")
    @classmethod
    def _csv(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("trusted_proxies", "yookassa_trusted_networks")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for cidr in value:
            ipaddress.ip_network(cidr, strict=False)
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("bot_token")
    @classmethod
    def _token(cls, value: str | None) -> str | None:
        if value is not None and not TOKEN_RE.match(value):
            raise ValueError("must look like 123456:ABC-DEF (digits, colon, letters)")
        return value

    @field_validator("webapp_base_url")
    @classmethod
    def _webapp_url(cls, value: str | None) -> str | None:
        if value is not None and not webapp_origin_allowed(value):
            raise ValueError("an origin like https://cabinet.example.ru (plain http only on loopback)")
        return value.rstrip("/") if value else value

    @field_validator("webhook_secret")
    @classmethod
    def _secret(cls, value: str | None) -> str | None:
        if value is not None and not WEBHOOK_SECRET_RE.match(value):
            raise ValueError("1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("metrics_token", mode="before")
    @classmethod
    def _metrics_token(cls, value: object) -> object:
        if value == "":
            return None  # METRICS_TOKEN= (empty) is unset: metrics off
        if isinstance(value, str) and not METRICS_TOKEN_RE.match(value):
            raise ValueError("16-256 characters of A-Z, a-z, 0-9 and - . _ ~ + / =")
        return value

    @field_validator("redis_prefix")
    @classmethod
    def _redis_prefix(cls, value: str) -> str:
        if not REDIS_PREFIX_RE.match(value):
            raise ValueError("1-64 characters of A-Z, a-z, 0-9, _, . and -")
        return value

    @field_validator("staff_chat_id")
    @classmethod
    def _staff_chat(cls, value: int | None) -> int | None:
        if value is not None and value >= 0:
            raise ValueError("a group's id is negative (a supergroup's starts with -100)")
        return value

    @field_validator("sms_provider")
    @classmethod
    def _provider(cls, value: str) -> str:
        if value not in ("generic", "smsru"):
            raise ValueError("one of: generic, smsru")
        return value

    @field_validator("smtp_url")
    @classmethod
    def _smtp(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("smtp://", "smtps://")):
            raise ValueError("use smtp://user:pass@host:port (STARTTLS when offered) or smtps://… (implicit TLS)")
        return value

    @field_validator("database_url")
    @classmethod
    def _db(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///path or postgresql+asyncpg://user@host/db")
        return value

    # --- derived

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def webhook_mode(self) -> bool:
        return bool(self.webhook_base_url)

    def redis_key(self, name: str) -> str:
        """A Redis key or channel of this deployment."""
        return f"{self.redis_prefix}:{name}"

    def clock(self) -> Clock:
        return Clock(self.timezone, self.bot_today)

    def require_token(self) -> str:
        if not self.bot_token:
            raise ConfigError("BOT_TOKEN is not set: get one from @BotFather (or try `python -m bot sandbox`)")
        return self.bot_token


def load_settings(**overrides: object) -> Settings:
    """Read the environment; any error becomes one ConfigError line naming the variable."""
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "configuration"
        raise ConfigError(f"{name}: {first['msg']}") from None
    if settings.webhook_mode and not settings.webhook_secret:
        raise ConfigError("WEBHOOK_SECRET: required when WEBHOOK_BASE_URL is set")
    if settings.private_views == "webapp" and not settings.webapp_base_url:
        raise ConfigError("WEBAPP_BASE_URL: required when PRIVATE_VIEWS is webapp")
    if settings.sms_provider == "smsru" and not settings.smsru_api_id:
        raise ConfigError("SMSRU_API_ID: required when SMS_PROVIDER is smsru")
    if (not settings.is_sqlite or settings.redis_url) and not settings.otp_secret:
        raise ConfigError("OTP_SECRET: required with PostgreSQL or Redis (replicas must share it)")
    return settings
