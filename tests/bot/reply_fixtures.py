"""The person's reply to support from an item's page (a dispute's, a request's): the Mini App with a staff
group, on SQLite and on PostgreSQL, and reading the page's reply form."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from html import unescape

import aiohttp
import pytest

from tests.bot.payment_fixtures import Paying
from tests.bot.webapp_fixtures import browser, csrf_of, paying_with_pages

STAFF_CHAT = -1009999999998


@pytest.fixture
async def world(emulator, sms_gateway, smtp_sink, sqlite_url) -> AsyncIterator[Paying]:
    async with paying_with_pages(emulator, sms_gateway, smtp_sink, sqlite_url, staff_chat_id=STAFF_CHAT) as world:
        yield world


@pytest.fixture
async def world_pg(emulator, sms_gateway, smtp_sink, postgres_url, redis_url) -> AsyncIterator[Paying]:
    settings = {"staff_chat_id": STAFF_CHAT, "redis_url": redis_url}
    async with paying_with_pages(emulator, sms_gateway, smtp_sink, postgres_url, **settings) as world:
        yield world


async def page_of(client: aiohttp.ClientSession, url: str) -> str:
    answer = await client.get(url)
    assert answer.status == 200
    return unescape(await answer.text())


def after_of(page: str) -> str:
    """The conversation's last message the reply form names."""
    return re.search(r'name="after" value="(\d+)"', page).group(1)


def box(page: str) -> str:
    """What the reply form's box holds."""
    return unescape(re.search(r'<textarea id="reply"[^>]*>(.*?)</textarea>', page, re.S).group(1))


async def refused_as_the_chat_refuses(client: aiohttp.ClientSession, url: str, form: dict[str, str]) -> None:
    """Too long or empty words posted with the page's `form` to `url`'s reply: the rule said, the words left in
    the box; without the session's token, or a forged one: 403."""
    for typed, said in (("я" * 2001, "слишком длинный текст"), ("\u200b\u2800", "пустой")):
        refused = await client.post(f"{url}/reply", data={**form, "text": typed})
        shown = await refused.text()
        assert refused.status == 200 and said in shown.lower() and box(shown) == typed, said
    for token in ({}, {"csrf": "forged"}):
        posted = await client.post(f"{url}/reply", data={"after": form["after"], "text": "Ответ", **token})
        assert posted.status == 403


async def posted_twice_at_once(world: Paying, who: int, url: str, text: str) -> list[int]:
    """The reply form of `url`'s page, as `who` sees it, posted twice at once: the answers' statuses, sorted."""
    client, _ = await browser(world, who)
    async with client:
        page = await page_of(client, url)
        form = {"csrf": csrf_of(page), "after": after_of(page), "text": text}
        answers = await asyncio.gather(*(client.post(f"{url}/reply", data=form, allow_redirects=False) for _ in "12"))
        return sorted(answer.status for answer in answers)
