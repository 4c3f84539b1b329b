"""The Mini App's forms as a walk of them found them: a form sent twice is one request (the rule is the use
case's, so a double press in the chat is one too), a visitor not registered is told so instead of a form,
and a form given back with an error keeps what the person typed, escaped."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from html import unescape

import pytest
from sqlalchemy import func, select

from core.cabinet.requests import RequestKind
from core.db.models import Dispute, UserRequest
from core.desk.queue import ItemKind
from tests.bot.cabinet_fixtures import IVANOV, POLICIES, register
from tests.bot.desk.helpers import SUPPORT
from tests.bot.payment_fixtures import Paying
from tests.bot.webapp_fixtures import (
    STRANGER,
    base,
    browser,
    csrf_of,
    invoice_id,
    paying_with_pages,
    session_csrf,
    world,  # noqa: F401 (a fixture)
)

QUESTION = "Можно ли <сдать> анализы натощак?"


@pytest.fixture
async def world_pg(emulator, sms_gateway, smtp_sink, postgres_url, redis_url) -> AsyncIterator[Paying]:
    async with paying_with_pages(emulator, sms_gateway, smtp_sink, postgres_url, redis_url=redis_url) as world:
        yield world


@pytest.fixture(params=["world", "world_pg"])
def on_either(request) -> Paying:
    """On SQLite, or on PostgreSQL with Redis."""
    return request.getfixturevalue(request.param)


async def count(world, model) -> int:
    async with world.harness.engine.connect() as conn:
        return await conn.scalar(select(func.count()).select_from(model))


async def test_a_request_form_sent_twice_is_one_request(world) -> None:
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    client, _ = await browser(world, IVANOV)
    url = f"{base(world)}/requests/new/curator"
    async with client:
        token = csrf_of(await (await client.get(url)).text())
        for _ in range(2):  # a double tap on Send
            sent = await client.post(url, data={"csrf": token, "text": QUESTION}, allow_redirects=False)
            assert sent.status == 303 and sent.headers["Location"] == "/webapp/requests/1"
        assert await count(world, UserRequest) == 1
        other = await client.post(url, data={"csrf": token, "text": "И ещё вопрос"}, allow_redirects=False)
        assert other.headers["Location"] == "/webapp/requests/2"  # another text is another request
    queue = await world.harness.container.queue.page(SUPPORT)
    assert sorted((e.kind, e.item_id) for e in queue.entries) == [(ItemKind.REQUEST, 1), (ItemKind.REQUEST, 2)]


async def test_a_form_sent_several_times_at_once_is_one_request(on_either) -> None:
    """Submits that arrive together: the account's lock has the use case check them one after another."""
    world = on_either
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    client, _ = await browser(world, IVANOV)
    url = f"{base(world)}/requests/new/curator"
    async with client:
        token = csrf_of(await (await client.get(url)).text())
        sent = await asyncio.gather(
            *(client.post(url, data={"csrf": token, "text": QUESTION}, allow_redirects=False) for _ in range(4))
        )
    assert {answer.headers["Location"] for answer in sent} == {"/webapp/requests/1"}
    assert await count(world, UserRequest) == 1


async def test_the_same_request_once_closed_is_a_new_one(world) -> None:
    """The use case itself (the chat's form calls it too): still open, it is the same request; closed, a new one."""
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    container = world.harness.container
    viewer = await container.viewers.get(IVANOV)
    ask = dict(viewer=viewer, person_id=viewer.person_id, kind=RequestKind.CALLBACK, preferred_time="после 18")
    first = await container.requests.create(**ask)
    assert (await container.requests.create(**ask)).number == first.number
    await container.requests.close(viewer, first.number)
    assert (await container.requests.create(**ask)).number != first.number
    assert await count(world, UserRequest) == 2


async def test_a_dispute_sent_twice_is_one_dispute(world) -> None:
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    url = f"{base(world)}/invoices/{await invoice_id(world, '2026/10/1')}/dispute"
    client, _ = await browser(world, IVANOV)
    async with client:
        token = csrf_of(await (await client.get(url)).text())
        for _ in range(2):  # a double tap on Send: both lead to the one dispute
            sent = await client.post(url, data={"csrf": token, "line": "2", "reason": QUESTION}, allow_redirects=False)
            assert sent.status == 303 and sent.headers["Location"] == "/webapp/disputes/1"
        other = await client.post(url, data={"csrf": token, "line": "1", "reason": QUESTION})
        assert "нельзя оспорить" in await other.text()  # the invoice is held: another line's dispute is refused
    assert await count(world, Dispute) == 1


async def test_a_visitor_not_registered_is_told_so_instead_of_a_request_form(world) -> None:
    for language, said in (("ru", "Вы ещё не зарегистрированы"), ("en", "You are not registered yet")):
        client, _ = await browser(world, STRANGER, language_code=language)
        async with client:
            for kind in ("callback", "curator"):
                answer = await client.get(f"{base(world)}/requests/new/{kind}")
                page = await answer.text()
                assert answer.status == 200 and said in page and "<form" not in page and "<textarea" not in page
            posted = await client.post(
                f"{base(world)}/requests/new/callback", data={"csrf": session_csrf(client), "text": "после 18"}
            )
            assert posted.status == 200 and said in await posted.text()
    assert await count(world, UserRequest) == 0


async def test_a_form_given_back_with_an_error_keeps_what_was_typed(world) -> None:
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    typed = "<b>Очень</b> длинный вопрос " + "я" * 2000
    client, _ = await browser(world, IVANOV)
    async with client:
        url = f"{base(world)}/requests/new/curator"
        form = await (await client.get(url)).text()
        page = await (await client.post(url, data={"csrf": csrf_of(form), "text": typed})).text()
        assert "слишком длинный текст" in page.lower()
        assert "&lt;b&gt;Очень&lt;/b&gt;" in page and "<b>Очень" not in page  # kept, escaped
        assert unescape(page.split('name="text"')[1].split(">", 1)[1].split("</textarea>")[0]) == typed

        url = f"{base(world)}/invoices/{await invoice_id(world, '2026/10/1')}/dispute"
        form = await (await client.get(url)).text()
        page = await (await client.post(url, data={"csrf": csrf_of(form), "line": "2", "reason": typed})).text()
        assert "&lt;b&gt;Очень&lt;/b&gt;" in page and "<b>Очень" not in page
        assert unescape(page.split('name="reason"')[1].split(">", 1)[1].split("</textarea>")[0]) == typed
        assert 'value="2" required checked' in page and 'value="0" required checked' not in page  # its line
    assert await count(world, Dispute) == 0 and await count(world, UserRequest) == 0
