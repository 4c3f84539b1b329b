"""The desk's item page in the Mini App mode answers, closes and decides: forms with their CSRF tokens that
call the queue's use cases (the role re-read there: a user's session or a revoked member is refused), a form
posted twice has one effect, and the person is told as when staff answer from the chat: a line and an Open
button, none of the words. On SQLite, and on PostgreSQL with Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.desk_topics import DeskTopics
from bot.outbox_sender import OutboxSender
from bot.views.pages import PageLinks
from core.actors import Role
from core.db.models import RequestMessage
from tests.bot.cabinet_fixtures import IVANOV
from tests.bot.desk.helpers import ADMIN, SUPPORT
from tests.bot.desk.test_webapp_desk import NEW, QUESTION, desk_world, get
from tests.bot.outbox_pass import deliver_pending
from tests.bot.payment_fixtures import Paying
from tests.bot.webapp_fixtures import ORIGIN, STRANGER, base, browser, csrf_of, invoice_id, session_csrf

ANSWER = "Ваш полис действует, код придёт в течение минуты"
COMMENT = "Клиника подтвердила, что приёма не было"
REASON = "Эту процедуру мне не делали"


@pytest.fixture
async def world_sqlite(emulator, sms_gateway, smtp_sink, sqlite_url) -> AsyncIterator[Paying]:
    async with desk_world(emulator, sms_gateway, smtp_sink, sqlite_url) as world:
        yield world


@pytest.fixture
async def world_pg(emulator, sms_gateway, smtp_sink, postgres_url: str, redis_url: str) -> AsyncIterator[Paying]:
    async with desk_world(emulator, sms_gateway, smtp_sink, postgres_url, redis_url=redis_url) as world:
        yield world


@pytest.fixture(params=["sqlite", "postgres"])
def world(request) -> Paying:
    return request.getfixturevalue("world_sqlite" if request.param == "sqlite" else "world_pg")


async def deliver(world: Paying) -> int:
    """The due notices, sent as the worker sends them in this mode (the staff group's too)."""
    h = world.harness
    pages = PageLinks.of(h.settings)
    group = DeskTopics(h.bot, h.container.queue, h.i18n, h.container.clock, pages)
    pace = {"idle": 0.05, "per_chat": 0.0, "overall": 0.0, "per_group": 0.0}
    return await deliver_pending(OutboxSender(h.bot, h.container.outbox, h.i18n, group=group, pages=pages, **pace))


async def ask(world: Paying) -> None:
    chat = world.harness.chat(STRANGER)
    await chat.send("/help")
    await chat.press("Написать в поддержку")
    await chat.send(QUESTION)
    await deliver(world)


async def post(client: aiohttp.ClientSession, url: str, **form: str) -> tuple[int, str]:
    async with client.post(url, data=form, allow_redirects=False) as answer:
        return answer.status, await answer.text()


async def taken(world: Paying, client: aiohttp.ClientSession, item: str) -> str:
    """Takes the item from its page; its page then (with the forms of whoever holds it)."""
    page = (await get(client, item))[1]
    assert (await post(client, f"{item}/take", csrf=csrf_of(page)))[0] == 303
    return (await get(client, item))[1]


async def test_an_answer_from_the_page_reaches_the_person_once_as_an_open_button(world) -> None:
    h = world.harness
    await ask(world)
    before = len(h.emulator.messages(STRANGER))
    client, _ = await browser(world, SUPPORT)
    async with client:
        item = f"{base(world)}/desk/queue/question/1"
        assert 'action="/webapp/desk/queue/question/1/answer"' not in (await get(client, item))[1]  # not held
        page = await taken(world, client, item)
        assert 'action="/webapp/desk/queue/question/1/answer"' in page and "Закрыть без ответа" in page
        assert (await post(client, f"{item}/answer", csrf="forged", text=ANSWER))[0] == 403
        status, done = await post(client, f"{item}/answer", csrf=csrf_of(page), text=ANSWER)
        assert status == 200 and "Ответ отправлен пользователю." in done and "Закрыто" in done
        assert ANSWER in done and "/answer" not in done  # in the conversation; no form on a closed item
        status, again = await post(client, f"{item}/answer", csrf=csrf_of(page), text=ANSWER)
        assert status == 200 and "Этого элемента в очереди больше нет." in again
    async with h.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(RequestMessage)) == 1  # one effect
    assert len(await world.notices("support_answered")) == 1
    await deliver(world)
    told = h.emulator.messages(STRANGER)[before:]
    assert len(told) == 1 and ANSWER not in told[0].text
    assert told[0].button("Открыть")["web_app"]["url"] == f"{ORIGIN}/webapp/requests/1"
    person, _ = await browser(world, STRANGER)
    async with person:
        assert ANSWER in (await get(person, f"{base(world)}/requests/1"))[1]


async def test_an_empty_or_too_long_answer_is_refused_on_the_page(world) -> None:
    await ask(world)
    client, _ = await browser(world, SUPPORT)
    async with client:
        item = f"{base(world)}/desk/queue/question/1"
        page = await taken(world, client, item)
        for text in ("   ", "я" * 5000):
            status, refused = await post(client, f"{item}/answer", csrf=csrf_of(page), text=text)
            assert status == 200 and 'role="alert"' in refused and "/answer" in refused
            assert "я" * 100 not in refused  # nothing typed echoed
    assert not await world.notices("support_answered")


async def test_close_from_the_page(world) -> None:
    await ask(world)
    client, _ = await browser(world, SUPPORT)
    async with client:
        item = f"{base(world)}/desk/queue/question/1"
        page = await taken(world, client, item)
        status, closed = await post(client, f"{item}/close", csrf=csrf_of(page))
        assert status == 200 and "Закрыто без ответа." in closed
        status, again = await post(client, f"{item}/close", csrf=csrf_of(page))
        assert status == 200 and "Этого элемента в очереди больше нет." in again
    assert not await world.notices("support_answered")


async def test_a_users_or_a_revoked_members_session_may_not_answer(world) -> None:
    h = world.harness
    await ask(world)
    await h.chat(NEW).send("/admin")
    await h.container.staff_roles.grant(ADMIN, NEW, Role.SUPPORT)
    member, _ = await browser(world, NEW)
    async with member:
        item = f"{base(world)}/desk/queue/question/1"
        page = await taken(world, member, item)
        await h.container.staff_roles.revoke(ADMIN, NEW)
        for action, form in (("answer", {"text": ANSWER}), ("close", {})):
            assert (await post(member, f"{item}/{action}", csrf=csrf_of(page), **form))[0] == 403
    for telegram_id in (IVANOV, STRANGER):
        client, _ = await browser(world, telegram_id)
        async with client:
            for action in ("answer", "close"):
                status, _ = await post(client, f"{item}/{action}", csrf=session_csrf(client), text=ANSWER)
                assert status == 403, (telegram_id, action)
    assert not await world.notices("support_answered")


async def test_a_disputes_verdict_from_the_page(world) -> None:
    h = world.harness
    await h.chat(IVANOV).send("/menu")  # his chat open: the notice reaches it
    viewer = await h.container.viewers.get(IVANOV)
    opened = await h.container.disputes.open(viewer, await invoice_id(world, "2026/10/1"), "B-0001", REASON)
    number = opened.dispute.dispute_id
    await deliver(world)
    before = len(h.emulator.messages(IVANOV))
    client, _ = await browser(world, SUPPORT)
    async with client:
        item = f"{base(world)}/desk/queue/dispute/{number}"
        page = await taken(world, client, item)
        assert 'value="accept"' in page and 'value="reject"' in page and "/answer" not in page
        verdict = f"{item}/verdict"
        assert (await post(client, verdict, csrf=csrf_of(page), verdict="maybe", text=COMMENT))[0] == 404
        assert (await post(client, f"{base(world)}/desk/queue/question/1/verdict", csrf=csrf_of(page)))[0] == 404
        status, done = await post(client, verdict, csrf=csrf_of(page), verdict="accept", text=COMMENT)
        assert status == 200 and "Спор принят" in done
        status, again = await post(client, verdict, csrf=csrf_of(page), verdict="reject", text=COMMENT)
        assert status == 200 and "Этого элемента в очереди больше нет." in again
    assert [notice["accepted"] for notice in await world.notices("dispute_answered")] == [True]
    await deliver(world)
    told = h.emulator.messages(IVANOV)[before:]
    assert told and all(COMMENT not in message.text for message in told)
    assert f"{ORIGIN}/webapp/disputes/{number}" in [b["web_app"]["url"] for m in told for b in m.buttons()]
    person, _ = await browser(world, IVANOV)
    async with person:
        page = (await get(person, f"{base(world)}/disputes/{number}"))[1]
    assert COMMENT in page and "принято" in page


async def test_the_staff_chats_preview_of_a_typed_answer_shows_its_length_only(world) -> None:
    await ask(world)
    support = world.harness.chat(SUPPORT)
    listed = (await support.send("/queue"))[0]
    item = (await support.press("№ 1", listed))[0]
    item = (await support.press("Взять", item))[0]
    await support.press("Ответить", item)
    preview = (await support.send(ANSWER))[0]
    assert ANSWER not in preview.text and f"{len(ANSWER)} знаков" in preview.text
    await support.press("Отправить ответ", preview)
    assert len(await world.notices("support_answered")) == 1
