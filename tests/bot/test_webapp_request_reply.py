"""A person's reply to support's answer to their request, from the request's page (`PRIVATE_VIEWS=webapp`,
where the chat has no Reply button): the chat's use case and rule (the caller's own request, answered and not
closed), the words kept in the request's conversation, the request back in the queue and told to staff by
number; refused words stay in the box; the same form posted twice is kept once; another person's request, or
a session of no one, is a 404. On SQLite, and the same on PostgreSQL."""

from __future__ import annotations

from html import unescape

from sqlalchemy import select

from core.cabinet.requests import RequestKind, RequestStatus
from core.db.models import RequestMessage, UserRequest
from core.desk.queue import ItemAction, ItemKind
from tests.bot.cabinet_fixtures import IVANOV, POLICIES, SHMOLINA, register
from tests.bot.desk.helpers import SUPPORT
from tests.bot.payment_fixtures import Paying
from tests.bot.reply_fixtures import (  # noqa: F401  (fixtures)
    after_of,
    box,
    page_of,
    posted_twice_at_once,
    refused_as_the_chat_refuses,
    world,
    world_pg,
)
from tests.bot.webapp_fixtures import STRANGER, base, browser, csrf_of, session_csrf

ASKED = "Прошу добавить клинику на Арбате"
ANSWER = "Какую именно клинику?"
REPLIED = "Клинику «Здоровье» <на Арбате, 10>"


async def answer(world: Paying, number: int, text: str) -> None:
    queue = world.harness.container.queue
    await queue.act(SUPPORT, ItemKind.REQUEST, number, ItemAction.TAKE)
    assert (await queue.answer(SUPPORT, ItemKind.REQUEST, number, text)).done


async def asked_and_answered(world: Paying) -> int:
    """Иванов asks for a clinic from his cabinet and support answers: the request's number."""
    h = world.harness
    await register(h.engine, IVANOV, POLICIES[IVANOV])
    await register(h.engine, SHMOLINA, POLICIES[SHMOLINA])
    viewer = await h.container.viewers.get(IVANOV)
    record = await h.container.requests.create(viewer, viewer.person_id, RequestKind.ADD_CLINIC, text=ASKED)
    await answer(world, record.number, ANSWER)
    return record.number


async def kept(world: Paying) -> list[tuple[bool, str]]:
    async with world.harness.engine.connect() as conn:
        rows = await conn.execute(select(RequestMessage.from_staff, RequestMessage.text).order_by(RequestMessage.id))
        return [tuple(row) for row in rows]


async def status(world: Paying, number: int) -> str:
    async with world.harness.engine.connect() as conn:
        return await conn.scalar(select(UserRequest.status).where(UserRequest.id == number))


async def test_a_reply_from_the_page_is_kept_once_and_reopens_the_request(world: Paying) -> None:
    number = await asked_and_answered(world)
    url = f"{base(world)}/requests/{number}"
    client, _ = await browser(world, IVANOV)
    async with client:
        page = await page_of(client, url)
        assert ANSWER in page and f'action="/webapp/requests/{number}/reply"' in page and 'maxlength="2000"' in page
        form = {"csrf": csrf_of(page), "after": after_of(page)}
        await refused_as_the_chat_refuses(client, url, form)
        assert len(await kept(world)) == 1
        before = {kind: len(await world.notices(kind)) for kind in ("message_copied", "queue_item_new")}

        sent = await client.post(f"{url}/reply", data={**form, "text": REPLIED}, allow_redirects=False)
        assert sent.status == 303 and sent.headers["Location"] == f"/webapp/requests/{number}"
        page = await page_of(client, url)
        assert REPLIED in page and "<на Арбате" not in await (await client.get(url)).text()  # escaped
        assert f"/requests/{number}/reply" not in page  # back in the queue: no reply until support answers
        # The same form posted again (a double tap, a reload): refused, the words still in the box.
        again = await client.post(f"{url}/reply", data={**form, "text": REPLIED})
        shown = unescape(await again.text())
        assert again.status == 200 and "Ответ не отправлен" in shown and "заявка изменилась" in shown
        # Answered again, the form is back, naming the new last message; the old form is still refused.
        await answer(world, number, "Добавили")
        page = await page_of(client, url)
        assert int(after_of(page)) > int(form["after"])
        stale = await client.post(f"{url}/reply", data={**form, "text": REPLIED})
        shown = unescape(await stale.text())
        assert stale.status == 200 and "Ответ не отправлен" in shown and box(shown) == REPLIED
    assert await kept(world) == [(True, ANSWER), (False, REPLIED), (True, "Добавили")]
    # Told to staff as the chat's reply is, by number: the topic (its line, no copy) and the staff chats.
    copied = (await world.notices("message_copied"))[before["message_copied"] :]
    assert copied == [{"from_chat": IVANOV, "item": "request", "item_id": number}]
    told = (await world.notices("queue_item_new"))[before["queue_item_new"] :]
    assert told and all(t["item"] == "request" and t["item_id"] == number for t in told)
    assert any(t.get("reopened") for t in told)
    assert not any(REPLIED in str(payload) for payload in copied + told)


async def test_only_the_asker_of_an_answered_request_gets_the_form(world: Paying) -> None:
    number = await asked_and_answered(world)
    url = f"{base(world)}/requests/{number}"
    post = {"after": "0", "text": REPLIED}
    for who in (SHMOLINA, STRANGER):  # another person, a session of someone not registered: no such request
        other, _ = await browser(world, who)
        async with other:
            assert (await other.get(url)).status == 404
            assert (await other.post(f"{url}/reply", data={**post, "csrf": session_csrf(other)})).status == 404
    # Closed by him, it takes no reply: as the chat's Reply button goes stale, no form, and one posted is refused.
    client, _ = await browser(world, IVANOV)
    async with client:
        page = await page_of(client, url)
        form = {"csrf": csrf_of(page), "after": after_of(page), "text": REPLIED}
        assert (await client.post(f"{url}/close", data={"csrf": form["csrf"]})).status == 200
        page = await page_of(client, url)
        assert "/reply" not in page and ANSWER in page
        refused = await client.post(f"{url}/reply", data=form)
        assert refused.status == 200 and "Ответ не отправлен" in unescape(await refused.text())
    assert await kept(world) == [(True, ANSWER)]
    assert await status(world, number) == RequestStatus.CLOSED


async def test_the_same_on_postgresql(world_pg) -> None:
    await test_a_reply_from_the_page_is_kept_once_and_reopens_the_request(world_pg)


async def test_the_same_refusals_on_postgresql(world_pg) -> None:
    await test_only_the_asker_of_an_answered_request_gets_the_form(world_pg)


async def test_two_posts_of_one_form_at_once_keep_one_reply_on_postgresql(world_pg) -> None:
    number = await asked_and_answered(world_pg)
    assert await posted_twice_at_once(world_pg, IVANOV, f"{base(world_pg)}/requests/{number}", REPLIED) == [200, 303]
    assert await kept(world_pg) == [(True, ANSWER), (False, REPLIED)]
    assert await status(world_pg, number) == RequestStatus.NEW
