"""A bot in the Mini App mode (`PRIVATE_VIEWS=webapp`) that takes payments, its pages on loopback, and
clients that open them as Telegram does (signed `initData` posted to `/webapp/auth`)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from sqlalchemy import select

from core.db.models import Invoice
from emulators.telegram.webapp import sign_init_data
from tests.bot.cabinet_fixtures import import_samples
from tests.bot.payment_fixtures import Paying, issue_samples, paying
from tests.harness import TOKEN

ORIGIN = "http://127.0.0.1"
STRANGER = 5099  # no account


@pytest.fixture
async def world(emulator, sms_gateway, smtp_sink, sqlite_url) -> AsyncIterator[Paying]:
    overrides = {"private_views": "webapp", "webapp_base_url": ORIGIN}
    async with paying(emulator, sms_gateway, smtp_sink, sqlite_url, **overrides) as world:
        await import_samples(world.harness.engine)
        await issue_samples(world.harness)
        yield world


def base(world: Paying) -> str:
    return f"http://127.0.0.1:{world.runner.addresses[0][1]}/webapp"


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


def init_data(world: Paying, telegram_id: int, *, language_code: str = "ru", age=timedelta(0)) -> str:
    """Signed as Telegram signs it, `age` ago by the bot's clock."""
    return sign_init_data(TOKEN, telegram_id, world.harness.container.clock.now() - age, language_code=language_code)
