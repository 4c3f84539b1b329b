"""The desk in the Mini App mode (`PRIVATE_VIEWS=webapp`): a person's record, the queue and an item are staff
pages, opened after `initData` like every page and refused by the same use cases as the chat (a user's
session, a member whose role was revoked); the staff's private chats and their forum group carry item
numbers, record numbers and links, never the person's data (everything the emulated Bot API received is
scanned). Иванов (123/14) is registered; someone not registered asks support a question with his data in it."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import pytest
from sqlalchemy import select

from bot.callbacks.desk import RecordCb
from bot.desk_topics import DeskTopics
from bot.outbox_sender import OutboxSender
from bot.views.pages import PageLinks
from core.actors import Role
from core.db.models import AuditEvent
from emulators.telegram import TgGroup, TgUser
from tests.bot.cabinet_fixtures import IVANOV, POLICIES, import_samples, person_id, register
from tests.bot.desk.helpers import ADMIN, SUPPORT
from tests.bot.desk.test_import import REGISTRY, done
from tests.bot.outbox_pass import deliver_pending
from tests.bot.payment_fixtures import Paying
from tests.bot.webapp_fixtures import ORIGIN, STRANGER, base, browser, csrf_of, paying_with_pages

STAFF = TgGroup(-1009999999999, "Поддержка", is_forum=True)
NEW = 7101  # granted support, then revoked
QUESTION = "Мой полис 123/14, Иванов Иван, тел. +7 916 100-00-01, ivanov@example.ru, родился 15.03.1985"
# Иванов as the registry and his question have him; his invoices' amounts (the sample bills).
HIS_DATA = ("Иванов", "Иван", "123/14", "916", "ivanov@example.ru", "15.03.1985", "₽", "400,00", "0,80", "Мой полис")


@asynccontextmanager
async def desk_world(emulator, sms_gateway, smtp_sink, url: str, **redis: str) -> AsyncIterator[Paying]:
    async with paying_with_pages(emulator, sms_gateway, smtp_sink, url, staff_chat_id=STAFF.id, **redis) as world:
        h = world.harness
        await register(h.engine, IVANOV, POLICIES[IVANOV])
        await h.feed(emulator.group_joined(STAFF, TgUser(ADMIN), status="administrator"), STAFF.id)
        for staff in (ADMIN, SUPPORT):
            await h.chat(staff).send("/admin")
        yield world


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
    """The bot in the Mini App mode with the staff's forum group: on SQLite, or on PostgreSQL with Redis."""
    return request.getfixturevalue("world_sqlite" if request.param == "sqlite" else "world_pg")


def sender(world: Paying) -> OutboxSender:
    h = world.harness
    group = DeskTopics(h.bot, h.container.queue, h.i18n, h.container.clock, PageLinks.of(h.settings))
    return OutboxSender(
        h.bot, h.container.outbox, h.i18n, group=group, idle=0.05, per_chat=0.0, overall=0.0, per_group=0.0
    )


async def ask(world: Paying, telegram_id: int, text: str) -> None:
    chat = world.harness.chat(telegram_id)
    await chat.send("/help")
    await chat.press("Написать в поддержку")
    await chat.send(text)
    await deliver_pending(sender(world))


async def get(client: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with client.get(url, allow_redirects=False) as answer:
        return answer.status, await answer.text()


async def test_staff_pages_open_for_support_and_admin_after_auth(world) -> None:
    await ask(world, STRANGER, QUESTION)
    ivanov = await person_id(world.harness.engine, "123/14")
    async with aiohttp.ClientSession() as anonymous:  # before auth: the opening shell, no data
        status, shell = await get(anonymous, f"{base(world)}/desk/people/{ivanov}")
    assert status == 200 and "/webapp/static/app.js" in shell and "Иванов" not in shell
    for staff in (SUPPORT, ADMIN):
        client, answer = await browser(world, staff)
        async with client:
            assert answer.status == 200
            status, record = await get(client, f"{base(world)}/desk/people/{ivanov}")
            assert status == 200
            assert "Иванов Иван Иванович" in record and "15.03.1985" in record and "123/14" in record
            assert "Счета и платежи" in record and "2026/10/1" in record  # every section on one page
            status, queue = await get(client, f"{base(world)}/desk/queue")
            assert status == 200 and 'href="/webapp/desk/queue/question/1"' in queue and "Вопрос № 1" in queue
            status, item = await get(client, f"{base(world)}/desk/queue/question/1")
            assert status == 200 and "Мой полис 123/14" in item and "+7 916 100-00-01" in item
    async with world.harness.engine.connect() as conn:
        viewed = (
            await conn.execute(select(AuditEvent.actor_telegram_id).where(AuditEvent.action == "record.viewed"))
        ).all()
    assert [row[0] for row in viewed] == [SUPPORT, ADMIN]  # each view of the record audited, as in the chat


async def test_a_users_session_is_refused_by_the_use_cases(world) -> None:
    await ask(world, STRANGER, QUESTION)
    ivanov = await person_id(world.harness.engine, "123/14")
    for telegram_id in (IVANOV, STRANGER):
        client, answer = await browser(world, telegram_id)
        async with client:
            assert answer.status == 200
            for path in (f"desk/people/{ivanov}", "desk/queue", "desk/queue/question/1"):
                status, page = await get(client, f"{base(world)}/{path}")
                assert status == 403 and "Иванов" not in page and "Мой полис" not in page, path


async def test_a_revoked_members_session_is_refused_at_once(world) -> None:
    h = world.harness
    await ask(world, STRANGER, QUESTION)
    await h.chat(NEW).send("/admin")  # known to the bot: a role may be granted
    await h.container.staff_roles.grant(ADMIN, NEW, Role.SUPPORT)
    client, answer = await browser(world, NEW)
    async with client:
        assert answer.status == 200
        assert (await get(client, f"{base(world)}/desk/queue/question/1"))[0] == 200
        await h.container.staff_roles.revoke(ADMIN, NEW)
        for path in ("desk/queue", "desk/queue/question/1"):
            status, page = await get(client, f"{base(world)}/{path}")
            assert status == 403 and "Мой полис" not in page, path


async def test_another_items_or_persons_id_is_not_found(world) -> None:
    await ask(world, STRANGER, QUESTION)
    client, _ = await browser(world, SUPPORT)
    async with client:
        for path in (
            "desk/queue/request/1",  # the question's number as a request: another item
            "desk/queue/question/2",
            "desk/queue/nothing/1",
            "desk/queue/question/1x",
            "desk/people/999999",
        ):
            assert (await get(client, f"{base(world)}/{path}"))[0] == 404, path


async def test_take_from_the_page_needs_its_csrf_token(world) -> None:
    await ask(world, STRANGER, QUESTION)
    client, _ = await browser(world, SUPPORT)
    async with client:
        item = f"{base(world)}/desk/queue/question/1"
        page = (await get(client, item))[1]
        assert "Никто не взял" in page and "Взять</button>" in page
        refused = await client.post(f"{item}/take", data={"csrf": "forged"}, allow_redirects=False)
        assert refused.status == 403
        taken = await client.post(f"{item}/take", data={"csrf": csrf_of(page)}, allow_redirects=False)
        assert taken.status == 303 and taken.headers["Location"] == "/webapp/desk/queue/question/1"
        page = (await get(client, item))[1]
    assert f"Взял {SUPPORT} в" in page and "Взять</button>" not in page


async def test_the_group_link_goes_on_to_the_items_page(world) -> None:
    async with aiohttp.ClientSession() as client:
        async with client.get(f"{base(world)}/desk/open?tgWebAppStartParam=question-1", allow_redirects=False) as a:
            assert a.status == 303 and a.headers["Location"] == "/webapp/desk/queue/question/1"
        for forged in ("question-0", "people-1", "question-1/../x", ""):
            assert (await get(client, f"{base(world)}/desk/open?tgWebAppStartParam={forged}"))[0] == 404, forged


async def test_the_staff_chats_and_group_carry_none_of_the_persons_data(world) -> None:
    h = world.harness
    await ask(world, STRANGER, QUESTION)
    ivanov = await person_id(h.engine, "123/14")
    support = h.chat(SUPPORT)
    found = (await support.send("/find 123/14"))[0]
    assert found.button(f"№ {ivanov}")["web_app"]["url"] == f"{ORIGIN}/webapp/desk/people/{ivanov}"
    listed = (await support.send("/queue"))[0]
    assert listed.button("Открыть")["web_app"]["url"] == f"{ORIGIN}/webapp/desk/queue"
    item = (await support.press("№ 1", listed))[0]
    assert item.button("Открыть")["web_app"]["url"] == f"{ORIGIN}/webapp/desk/queue/question/1"
    await support.press("Взять", item)
    await support.press_forged(support.last, RecordCb(person_id=ivanov, kind="question", item_id=1).pack())
    assert support.last.button("Открыть")["web_app"]["url"] == f"{ORIGIN}/webapp/desk/people/{ivanov}"
    # The staff group: the topic's name and first message, and the user's reply told there, not copied.
    [(thread, name)] = h.emulator.topics(STAFF.id).items()
    first = h.emulator.in_topic(STAFF.id, thread)[0]
    assert name == "вопрос в поддержку № 1"
    assert re.fullmatch(r"https://t\.me/\w+\?startapp=question-1", first.button("Открыть")["url"])
    await h.feed(h.emulator.user_message(TgUser(SUPPORT), "Проверим", group=STAFF, thread_id=thread), STAFF.id)
    await deliver_pending(sender(world))
    user = h.chat(STRANGER)
    await user.press("Ответить", h.emulator.last(STRANGER))
    await user.send("Ещё: Иванов, 15.03.1985")
    await deliver_pending(sender(world))
    told = h.emulator.in_topic(STAFF.id, thread)[-1]
    assert "вопрос в поддержку № 1" in told.text and told.button("Открыть")["url"] == first.button("Открыть")["url"]

    staff_chats = {str(chat) for chat in (SUPPORT, ADMIN, STAFF.id)}
    sent = [
        json.dumps(args, ensure_ascii=False) for _, args in h.emulator.calls if str(args.get("chat_id")) in staff_chats
    ]
    assert len(sent) > 10  # the lists, the item, the notices, the topic and its rewrites
    leaks = [(value, text) for text in sent for value in HIS_DATA if value in text]
    assert not leaks, leaks[:3]


async def test_chat_mode_is_unchanged_for_the_desk(harness) -> None:
    """Without PRIVATE_VIEWS=webapp the chat shows the record itself (the chat's desk tests cover the rest)."""
    await import_samples(harness.engine)
    listed = (await harness.chat(SUPPORT).send("/find 123/14"))[0]
    assert "Иванов И." in listed.text and "web_app" not in json.dumps(listed.buttons())


async def test_an_imports_result_in_the_chat_is_counts_only(world) -> None:
    h = world.harness
    header, *rows = REGISTRY.decode().splitlines()
    bad = "BAD1/1;Секретов;Пётр;;31.02.1990;+7 916 200-00-01;;employee;;;К-1;ООО;FR20;01.01.2026;31.12.2027"
    await h.chat(ADMIN).upload("registry.csv", "\n".join([header, *rows, bad]).encode(), caption="registry")
    await done()
    summary = h.emulator.last(ADMIN)
    assert "отклонено 1" in summary.text and "Замечаний: 4." in summary.text  # and 3 warnings
    assert summary.document is None
    assert not [value for value in ("BAD1", "Секретов", "31.02.1990", "200-00-01") if value in summary.text]


async def test_an_export_is_downloaded_from_its_page_never_sent_to_the_chat(world) -> None:
    h = world.harness
    sent = (await h.chat(ADMIN).send("/export invoices --since 2026-10-01"))[-1]
    assert sent.document is None and "2026/10" not in sent.text
    url = sent.button("Открыть")["web_app"]["url"]
    assert url == f"{ORIGIN}/webapp/desk/exports/invoices?since=2026-10-01"
    page = f"{base(world)}/desk/exports/invoices?since=2026-10-01"
    client, _ = await browser(world, ADMIN)
    async with client, client.get(page) as answer:
        assert answer.status == 200
        assert answer.headers["Content-Disposition"] == 'attachment; filename="invoices-since-2026-10-01.csv"'
        assert "2026/10/3" in (await answer.read()).decode("utf-8-sig")  # the register itself
    client, _ = await browser(world, ADMIN)
    async with client:
        assert (await get(client, f"{base(world)}/desk/exports/nothing?since=2026-10-01"))[0] == 404
        assert (await get(client, f"{base(world)}/desk/exports/invoices?since=yesterday"))[0] == 404
    for refused in (SUPPORT, IVANOV):  # admins only, as the chat's /export: decided by the use case
        client, _ = await browser(world, refused)
        async with client:
            status, text = await get(client, page)
            assert status == 403 and "2026/10" not in text


async def test_a_staff_page_in_english_follows_the_members_language(world) -> None:
    ivanov = await person_id(world.harness.engine, "123/14")
    client, _ = await browser(world, ADMIN, language_code="en")
    async with client:
        status, record = await get(client, f"{base(world)}/desk/people/{ivanov}")
        queue = (await get(client, f"{base(world)}/desk/queue"))[1]
    assert status == 200 and 'lang="en"' in record and "Invoices and payments" in record and "record #" in record
    assert "The queue is empty." in queue
