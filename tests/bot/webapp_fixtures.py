"""A bot in the Mini App mode (`PRIVATE_VIEWS=webapp`) that takes payments, its pages on loopback (plain
http, or https with a certificate of a test CA, as a browser needs for the session cookie), and clients
that open them as Telegram does (signed `initData` posted to `/webapp/auth`)."""

from __future__ import annotations

import re
import socket
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import aiohttp
import pytest
import trustme
from aiohttp import web
from sqlalchemy import select

from bot.factory.web import NOTIFICATIONS_PATH, create_web
from bot.web.webapp.sessions import COOKIE
from core.db.models import Invoice
from core.web_sessions import SessionKeys
from emulators.telegram.webapp import sign_init_data
from emulators.yookassa import YooKassaEmulator
from tests.bot.cabinet_fixtures import import_samples
from tests.bot.payment_fixtures import TRUSTED, Paying, issue_samples, paying, start_harness
from tests.harness import TOKEN

ORIGIN = "http://127.0.0.1"
STRANGER = 5099  # no account


@asynccontextmanager
async def paying_with_pages(emulator, sms, smtp, database_url: str, **overrides) -> AsyncIterator[Paying]:
    """The bot in the Mini App mode on plain-http loopback (`overrides`: more settings), the samples imported
    and their bills issued."""
    settings = {"private_views": "webapp", "webapp_base_url": ORIGIN, **overrides}
    async with paying(emulator, sms, smtp, database_url, **settings) as world:
        await import_samples(world.harness.engine)
        await issue_samples(world.harness)
        yield world


@pytest.fixture
async def world(emulator, sms_gateway, smtp_sink, sqlite_url) -> AsyncIterator[Paying]:
    async with paying_with_pages(emulator, sms_gateway, smtp_sink, sqlite_url) as world:
        yield world


@asynccontextmanager
async def paying_over_https(emulator, sms, smtp, database_url: str) -> AsyncIterator[Paying]:
    """The same bot, its HTTP side on https://127.0.0.1 (the port chosen first: the origin is a setting)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert("127.0.0.1").configure_cert(tls)
    overrides = {"private_views": "webapp", "webapp_base_url": f"https://127.0.0.1:{port}"}
    async with YooKassaEmulator(notify_from=TRUSTED) as kassa:
        harness = await start_harness(emulator, sms, smtp, database_url, kassa, **overrides)
        runner = web.AppRunner(create_web(harness.container, harness.i18n, harness.dp.storage), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port, ssl_context=tls).start()
        kassa.notify_url = f"https://127.0.0.1:{port}{NOTIFICATIONS_PATH}"
        try:
            yield Paying(harness, kassa, runner, overrides)
        finally:
            await kassa.flush()
            await runner.cleanup()
            await harness.close()


@pytest.fixture
async def world_https(emulator, sms_gateway, smtp_sink, sqlite_url) -> AsyncIterator[Paying]:
    async with paying_over_https(emulator, sms_gateway, smtp_sink, sqlite_url) as world:
        await import_samples(world.harness.engine)
        await issue_samples(world.harness)
        yield world


def base(world: Paying) -> str:
    scheme = "https" if world.harness.settings.webapp_base_url.startswith("https:") else "http"
    return f"{scheme}://127.0.0.1:{world.runner.addresses[0][1]}/webapp"


async def browser(world: Paying, telegram_id: int, *, language_code: str = "ru", age=timedelta(0)):
    """A client as the Mini App's page is: `initData` posted to /webapp/auth, the cookie kept."""
    client = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    signed = init_data(world, telegram_id, language_code=language_code, age=age)
    answer = await client.post(f"{base(world)}/auth", data={"init_data": signed})
    return client, answer


async def invoice_id(world: Paying, number: str) -> int:
    async with world.harness.engine.connect() as conn:
        return await conn.scalar(select(Invoice.id).where(Invoice.number == number))


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def session_csrf(client: aiohttp.ClientSession) -> str:
    """The session's form token as its pages would carry it: for a visitor shown no form (not registered)."""
    (cookie,) = (c for c in client.cookie_jar if c.key == COOKIE)
    return SessionKeys(TOKEN).csrf(cookie.value)


def init_data(world: Paying, telegram_id: int, *, language_code: str = "ru", age=timedelta(0)) -> str:
    """Signed as Telegram signs it, `age` ago by the bot's clock."""
    return sign_init_data(TOKEN, telegram_id, world.harness.container.clock.now() - age, language_code=language_code)
