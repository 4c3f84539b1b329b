"""The outside world the handlers reach: one-time codes, SMS and e-mail. Built once per process."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from core.db.engine import sqlite_file
from core.gateways.email import EmailSender, build_email_sender
from core.gateways.sms import SmsSender, build_sms_sender
from core.otp_store import DatabaseOtpStore, RedisOtpStore
from core.services.otp import OtpService


@dataclass
class Services:
    otp: OtpService
    sms: SmsSender
    email: EmailSender
    http: aiohttp.ClientSession

    async def close(self) -> None:
        await self.http.close()


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


def create_services(
    settings: Settings, session_factory: async_sessionmaker[AsyncSession], redis: Redis | None
) -> Services:
    store = RedisOtpStore(redis) if redis is not None else DatabaseOtpStore(session_factory)
    http = aiohttp.ClientSession()
    return Services(
        otp=OtpService(store, otp_secret(settings), settings.clock()),
        sms=build_sms_sender(settings, http),
        email=build_email_sender(settings),
        http=http,
    )
