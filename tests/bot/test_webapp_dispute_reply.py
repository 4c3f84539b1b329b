"""A person's reply to support's message about a dispute, from the dispute's page (`PRIVATE_VIEWS=webapp`,
where the chat has no Reply button): the chat's use case and rule (the caller opened it, it is open, there is
a staff group), the words kept in the dispute's conversation and told to staff by number; refused words stay
in the box; the same form posted twice is kept once; another person's dispute, or a session of no one, is a
404. On SQLite, and the same on PostgreSQL."""

from __future__ import annotations

from html import unescape

from sqlalchemy import select

from core.db.models import DisputeMessage
from tests.bot.cabinet_fixtures import IVANOV, POLICIES, SHMOLINA, register
from tests.bot.desk.helpers import SUPPORT
from tests.bot.payment_fixtures import Paying
from tests.bot.reply_fixtures import (  # noqa: F401  (fixtures)
    STAFF_CHAT,
    after_of,
    box,
    page_of,
    posted_twice_at_once,
    refused_as_the_chat_refuses,
    world,
    world_pg,
)
from tests.bot.webapp_fixtures import STRANGER, base, browser, csrf_of, invoice_id, session_csrf

REASON = "Эту процедуру мне не делали"
WRITTEN = "Пришлите, пожалуйста, направление"
REPLIED = "Направления не было, <приём> отменили"


async def opened_and_written(world: Paying) -> int:
    """Иванов disputes a line of his own invoice and support writes to him from its topic: the dispute's id."""
    h = world.harness
    await register(h.engine, IVANOV, POLICIES[IVANOV])
    await register(h.engine, SHMOLINA, POLICIES[SHMOLINA])
    viewer = await h.container.viewers.get(IVANOV)
    opened = await h.container.disputes.open(viewer, await invoice_id(world, "2026/10/1"), "B-0001", REASON)
    number = opened.dispute.dispute_id
    assert await h.container.disputes.write(SUPPORT, number, STAFF_CHAT, 77, WRITTEN)
    return number


async def kept(world: Paying) -> list[tuple[bool, str]]:
    async with world.harness.engine.connect() as conn:
        rows = await conn.execute(select(DisputeMessage.from_staff, DisputeMessage.text).order_by(DisputeMessage.id))
        return [tuple(row) for row in rows]


async def test_a_reply_from_the_page_is_kept_once_and_told_to_staff_by_number(world: Paying) -> None:
    number = await opened_and_written(world)
    url = f"{base(world)}/disputes/{number}"
    client, _ = await browser(world, IVANOV)
    async with client:
        page = await page_of(client, url)
        assert WRITTEN in page and f'action="/webapp/disputes/{number}/reply"' in page and 'maxlength="2000"' in page
        form = {"csrf": csrf_of(page), "after": after_of(page)}
        await refused_as_the_chat_refuses(client, url, form)
        assert len(await kept(world)) == 1
        before = {kind: len(await world.notices(kind)) for kind in ("message_copied", "queue_item_new")}

        sent = await client.post(f"{url}/reply", data={**form, "text": REPLIED}, allow_redirects=False)
        assert sent.status == 303 and sent.headers["Location"] == f"/webapp/disputes/{number}"
        page = await page_of(client, url)
        assert REPLIED in page and "<приём>" not in await (await client.get(url)).text()  # escaped
        # The same form posted again (a double tap, a reload): refused, the words still in the box.
        again = await client.post(f"{url}/reply", data={**form, "text": REPLIED})
        shown = unescape(await again.text())
        assert again.status == 200 and "Ответ не отправлен" in shown and box(shown) == REPLIED
        # A reply from the page that is now shown is taken: the page names its last message.
        after = after_of(page)
        assert int(after) > int(form["after"])
    assert await kept(world) == [(True, WRITTEN), (False, REPLIED)]
    # Told to staff as the chat's reply is, by number: the topic (its line, no copy) and the staff chats.
    copied = (await world.notices("message_copied"))[before["message_copied"] :]
    assert copied == [{"from_chat": IVANOV, "item": "dispute", "item_id": number}]
    told = (await world.notices("queue_item_new"))[before["queue_item_new"] :]
    assert told and all(t["item"] == "dispute" and t["item_id"] == number and t["reopened"] for t in told)
    assert not any(REPLIED in str(payload) for payload in copied + told)


async def test_only_the_disputes_author_while_it_is_open_gets_the_form(world: Paying) -> None:
    number = await opened_and_written(world)
    url = f"{base(world)}/disputes/{number}"
    post = {"after": "0", "text": REPLIED}
    other, _ = await browser(world, SHMOLINA)  # another person: no such dispute
    async with other:
        page = await (await other.get(f"{base(world)}/requests/new/curator")).text()  # its session's token
        assert (await other.get(url)).status == 404
        assert (await other.post(f"{url}/reply", data={**post, "csrf": csrf_of(page)})).status == 404
    nobody, _ = await browser(world, STRANGER)  # a session of someone not registered: nothing
    async with nobody:
        assert (await nobody.get(url)).status == 404
        assert (await nobody.post(f"{url}/reply", data={**post, "csrf": session_csrf(nobody)})).status == 404
    # Answered, it is closed: as the chat's Reply button goes stale, the page has no form and refuses one.
    client, _ = await browser(world, IVANOV)
    async with client:
        form = {"csrf": csrf_of(await page_of(client, url)), "after": "1", "text": REPLIED}
        assert (await world.harness.container.disputes.answer(SUPPORT, number, False, "Приём был")).refusal is None
        page = await page_of(client, url)
        assert "/reply" not in page and WRITTEN in page
        refused = await client.post(f"{url}/reply", data=form)
        assert refused.status == 200 and "Ответ не отправлен" in unescape(await refused.text())
    assert await kept(world) == [(True, WRITTEN)]


async def test_the_same_on_postgresql(world_pg) -> None:
    await test_a_reply_from_the_page_is_kept_once_and_told_to_staff_by_number(world_pg)


async def test_the_same_refusals_on_postgresql(world_pg) -> None:
    await test_only_the_disputes_author_while_it_is_open_gets_the_form(world_pg)


async def test_two_posts_of_one_form_at_once_keep_one_reply_on_postgresql(world_pg) -> None:
    number = await opened_and_written(world_pg)
    assert await posted_twice_at_once(world_pg, IVANOV, f"{base(world_pg)}/disputes/{number}", REPLIED) == [200, 303]
    assert await kept(world_pg) == [(True, WRITTEN), (False, REPLIED)]
