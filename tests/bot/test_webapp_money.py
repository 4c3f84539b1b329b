"""The Mini App's money and conversation pages (`PRIVATE_VIEWS=webapp`) over real HTTP on loopback: the payment
history and its CSV, the invoices' downloads (a session's key in the link, as Telegram's client fetches it
without the cookie), saved cards (removed, automatic charges switched), disputes filed on an invoice's line and
requests filed from a form (reaching the desk's queue), each for its session only, each form refused without
its CSRF token; and the chat in this mode answering with an Open button and none of the data. Sample bills
issued on 01.10.2026, today 21.11.2026: Иванов pays 2026/10/1 (his own, 0,80 ₽) and 2026/10/3 (his son's,
400,00 ₽)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html import unescape

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.callbacks.cards import CardAutopayCb, CardRemoveCb, CardsCb
from bot.callbacks.disputes import DisputeStartCb
from bot.callbacks.payments import PaymentsCb
from core.db.models import Dispute, PaymentMethod, UserRequest
from core.desk.queue import ItemKind
from tests.bot.cabinet_fixtures import IVANOV, POLICIES, SHMOLINA, cabinet_chat, register
from tests.bot.desk.helpers import SUPPORT
from tests.bot.payment_fixtures import Paying
from tests.bot.test_autopay import AUTOPAY_ON, bind
from tests.bot.test_requests import staff_reply
from tests.bot.webapp_fixtures import (
    ORIGIN,
    STRANGER,
    base,
    browser,
    csrf_of,
    invoice_id,
    paying_with_pages,
    session_csrf,
)
from tests.roots import dialogs

REASON = "Приём был один, а в счёте <два>"
QUESTION = "Можно ли сдать анализы натощак после 12:00?"


@asynccontextmanager
async def webapp_world(emulator, sms, smtp, database_url: str, **overrides) -> AsyncIterator[Paying]:
    """The Mini App mode with saved cards offered (automatic charges on), the sample bills issued."""
    settings = {"yookassa_timeout": 0.5, **AUTOPAY_ON, **overrides}
    async with paying_with_pages(emulator, sms, smtp, database_url, **settings) as world:
        yield world


@pytest.fixture
async def world(emulator, sms_gateway, smtp_sink, sqlite_url) -> AsyncIterator[Paying]:
    async with webapp_world(emulator, sms_gateway, smtp_sink, sqlite_url) as world:
        yield world


@pytest.fixture
async def world_pg(emulator, sms_gateway, smtp_sink, postgres_url, redis_url) -> AsyncIterator[Paying]:
    async with webapp_world(emulator, sms_gateway, smtp_sink, postgres_url, redis_url=redis_url) as world:
        yield world


async def text_of(client: aiohttp.ClientSession, url: str, status: int = 200) -> str:
    answer = await client.get(url)
    assert answer.status == status, (url, answer.status)
    return unescape(await answer.text())


async def pay(world: Paying, client: aiohttp.ClientSession, number: str) -> None:
    """A payment started from the invoice's page (it stays pending)."""
    invoice = await invoice_id(world, number)
    page = await text_of(client, f"{base(world)}/invoices/{invoice}")
    answer = await client.post(f"{base(world)}/invoices/{invoice}/pay", data={"csrf": csrf_of(page)})
    assert answer.status == 200


def download_links(page: str) -> dict[str, str]:
    """The page's downloads: file name → link (the link carries the session's key)."""
    found = re.findall(r'href="([^"]+)" data-download="([^"]+)"', page)
    return {name: unescape(link) for link, name in found}


async def count(world: Paying, model) -> int:
    async with world.harness.engine.connect() as conn:
        return await conn.scalar(select(func.count()).select_from(model))


async def test_the_payments_page_and_its_download_for_its_user_after_auth(world) -> None:
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    async with aiohttp.ClientSession() as anonymous:
        shell = await text_of(anonymous, f"{base(world)}/payments")
        assert "/webapp/static/app.js" in shell and "400,00" not in shell
        assert (await anonymous.get(f"{base(world)}/payments.csv")).status == 404  # a download has no shell

    client, _ = await browser(world, IVANOV)
    async with client:
        assert "Платежей пока нет" in await text_of(client, f"{base(world)}/payments")
        await pay(world, client, "2026/10/3")
        page = await text_of(client, f"{base(world)}/payments")
        assert "Мои платежи" in page and "Платёж № 1" in page and "400,00" in page and "2026/10/3" in page
        answer = await client.get(f"{base(world)}{download_links(page)['payments.csv'].removeprefix('/webapp')}")
        assert answer.status == 200 and answer.headers["Content-Disposition"] == 'attachment; filename="payments.csv"'
        table = (await answer.read()).decode("utf-8-sig")
        assert table.splitlines()[0] == "Номер платежа;Дата и время;Сумма, ₽;Статус;Счета"
        assert table.splitlines()[1].startswith("1;") and "400,00;⏳ ожидает оплаты;2026/10/3" in table


async def test_the_invoices_downloads_as_the_chats_export_buttons(world) -> None:
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    his = await invoice_id(world, "2026/10/3")
    client, _ = await browser(world, IVANOV)
    async with client:
        links = download_links(await text_of(client, f"{base(world)}/invoices"))
        assert set(links) == {"invoices.csv", "invoices.xlsx"}
        table = await (
            await client.get(f"http://127.0.0.1:{world.runner.addresses[0][1]}{links['invoices.csv']}")
        ).read()
        assert "2026/10/1" in table.decode("utf-8-sig") and "2026/10/3" in table.decode("utf-8-sig")
        links = download_links(await text_of(client, f"{base(world)}/invoices/{his}"))
        assert set(links) == {"invoice-2026-10-3.csv", "invoice-2026-10-3.xlsx"}
        workbook = await client.get(f"http://127.0.0.1:{world.runner.addresses[0][1]}{links['invoice-2026-10-3.xlsx']}")
        assert workbook.status == 200 and (await workbook.read())[:2] == b"PK"
        assert workbook.headers["Content-Type"].startswith("application/vnd.openxmlformats")

    # Telegram's client fetches the link itself, without the page's cookie: the key serves that path only.
    origin = f"http://127.0.0.1:{world.runner.addresses[0][1]}"
    async with aiohttp.ClientSession() as telegram:
        lines = await (await telegram.get(origin + links["invoice-2026-10-3.csv"])).read()
        assert "2026/10/3" in lines.decode("utf-8-sig")
        key = links["invoice-2026-10-3.csv"].split("?", 1)[1]
        for other in ("/webapp/invoices.csv", "/webapp/payments.csv", "/webapp/invoices"):
            answer = await telegram.get(f"{origin}{other}?{key}")
            assert "2026/10" not in (await answer.read()).decode("utf-8-sig", "replace"), other
        assert await world.harness.container.accounts.delete(IVANOV, dialogs())
        assert (await telegram.get(origin + links["invoice-2026-10-3.csv"])).status == 404  # the session ended


async def test_english_follows_the_users_language(world) -> None:
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    client, _ = await browser(world, IVANOV, language_code="en")
    async with client:
        for path, title in (
            ("payments", "My payments"),
            ("cards", "Cards for automatic charges"),
            ("disputes", "My disputes"),
            ("requests", "My requests"),
            ("requests/new/callback", "Request a call back"),
        ):
            page = await text_of(client, f"{base(world)}/{path}")
            assert title in page and 'lang="en"' in page, path


async def test_a_dispute_filed_from_the_invoices_page(world) -> None:
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    own = await invoice_id(world, "2026/10/1")
    client, _ = await browser(world, IVANOV)
    async with client:
        details = await text_of(client, f"{base(world)}/invoices/{own}")
        assert f"/webapp/invoices/{own}/dispute" in details
        form = await text_of(client, f"{base(world)}/invoices/{own}/dispute")
        assert "3. 17.09.2026 · Прием врача" in form and 'maxlength="2000"' in form
        url = f"{base(world)}/invoices/{own}/dispute"
        # As the chat's form: a reason too long or showing nothing, a line not on the invoice — nothing opened.
        for line, reason, said in (
            ("2", "я" * 2001, "слишком длинный текст"),
            ("2", "\u200b\u2800", "пустой"),
            ("99", REASON, "такой услуги в счёте нет"),
        ):
            answer = await client.post(url, data={"csrf": csrf_of(form), "line": line, "reason": reason})
            assert answer.status == 200 and said in (await answer.text()).lower(), said
        assert await count(world, Dispute) == 0

        sent = await client.post(
            url, data={"csrf": csrf_of(form), "line": "2", "reason": REASON}, allow_redirects=False
        )
        assert sent.status == 303 and sent.headers["Location"] == "/webapp/disputes/1"
        page = await text_of(client, f"{base(world)}/disputes/1")
        assert "счёт № 2026/10/1, услуга от 17.09.2026" in page and REASON in page and "06.12.2026" in page
        assert 'class="conversation"' not in page  # support has not written about it yet
        assert "<два>" not in await (await client.get(f"{base(world)}/disputes/1")).text()  # escaped
        assert "2026/10/1" in await text_of(client, f"{base(world)}/disputes")
        # The invoice is under review now: the same checks as the chat's refuse a second dispute.
        again = await client.post(url, data={"csrf": csrf_of(form), "line": "1", "reason": REASON})
        assert "нельзя оспорить" in (await again.text()) and await count(world, Dispute) == 1
    queue = await world.harness.container.queue.page(SUPPORT)
    assert [(e.kind, e.item_id) for e in queue.entries] == [(ItemKind.DISPUTE, 1)]


async def test_a_request_filed_from_the_page_reaches_the_desk_and_its_answer_is_read_there(world) -> None:
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    client, _ = await browser(world, IVANOV)
    async with client:
        listing = await text_of(client, f"{base(world)}/requests")
        assert "Обращений пока нет" in listing and "/webapp/requests/new/curator" in listing
        form = await text_of(client, f"{base(world)}/requests/new/curator")
        url = f"{base(world)}/requests/new/curator"
        too_long = await client.post(url, data={"csrf": csrf_of(form), "text": "я" * 2001})
        assert "слишком длинный текст" in (await too_long.text()).lower() and await count(world, UserRequest) == 0
        callback = await text_of(client, f"{base(world)}/requests/new/callback")
        assert 'maxlength="100"' in callback  # the chat's limit of a preferred time

        sent = await client.post(url, data={"csrf": csrf_of(form), "text": QUESTION}, allow_redirects=False)
        assert sent.status == 303 and sent.headers["Location"] == "/webapp/requests/1"
        page = await text_of(client, f"{base(world)}/requests/1")
        assert "Обращение № 1: Вопрос врачу-куратору" in page and QUESTION in page and "Ответа пока нет" in page

        queue = await world.harness.container.queue.page(SUPPORT)
        assert [(e.kind, e.item_id) for e in queue.entries] == [(ItemKind.REQUEST, 1)]
        item = await world.harness.container.queue.item(SUPPORT, ItemKind.REQUEST, 1)
        assert item.text == QUESTION

        await staff_reply(world.harness.engine, 1, "Да, можно: после 12:00 <натощак> — это 4 часа без еды.")
        page = await text_of(client, f"{base(world)}/requests/1")
        assert "Да, можно: после 12:00 <натощак>" in page and "Поддержка" in page and "есть ответ" in page

        closed = await client.post(f"{base(world)}/requests/1/close", data={"csrf": csrf_of(page)})
        page = unescape(await closed.text())
        assert closed.status == 200 and "закрыто" in page and "Закрыть обращение" not in page


async def test_a_card_removed_and_automatic_charges_switched_from_the_page(world) -> None:
    await cabinet_chat(world.harness, IVANOV)
    await bind(world)
    client, _ = await browser(world, IVANOV)
    async with client:
        page = await text_of(client, f"{base(world)}/cards")
        assert "MasterCard •••• 4444" in page and "действует до 12/2030" in page
        assert "Автоматические списания включены" in page

        switched = await client.post(f"{base(world)}/cards/autopay", data={"csrf": csrf_of(page), "on": "0"})
        assert "Автоматические списания выключены" in await switched.text()
        viewer = await world.harness.container.viewers.get(IVANOV)
        assert not (await world.harness.container.cards.overview(viewer)).autopay

        (card,) = re.findall(r'action="/webapp/cards/(\d+)/remove"', page)
        removed = await client.post(f"{base(world)}/cards/{card}/remove", data={"csrf": csrf_of(page)})
        text = unescape(await removed.text())
        assert removed.status == 200 and "Карта удалена" in text and "4444" not in text
        again = await client.post(f"{base(world)}/cards/{card}/remove", data={"csrf": csrf_of(page)})
        assert again.status == 404
    async with world.harness.engine.connect() as conn:
        assert await conn.scalar(select(PaymentMethod.removed_at)) is not None


async def test_another_users_session_sees_none_of_the_first_users_data(world) -> None:
    await cabinet_chat(world.harness, IVANOV)
    await register(world.harness.engine, SHMOLINA, POLICIES[SHMOLINA])
    await bind(world)
    his = await invoice_id(world, "2026/10/1")
    client, _ = await browser(world, IVANOV)
    async with client:
        await pay(world, client, "2026/10/3")
        form = await text_of(client, f"{base(world)}/invoices/{his}/dispute")
        await client.post(
            f"{base(world)}/invoices/{his}/dispute", data={"csrf": csrf_of(form), "line": "1", "reason": REASON}
        )
        form = await text_of(client, f"{base(world)}/requests/new/curator")
        await client.post(f"{base(world)}/requests/new/curator", data={"csrf": csrf_of(form), "text": QUESTION})
        (card,) = re.findall(r'action="/webapp/cards/(\d+)/remove"', await text_of(client, f"{base(world)}/cards"))

    for telegram_id in (SHMOLINA, STRANGER):
        client, answer = await browser(world, telegram_id)
        async with client:
            assert answer.status == 200
            for path in ("payments", "cards", "disputes", "requests", "payments.csv", "invoices.csv"):
                page = await text_of(client, f"{base(world)}/{path}")
                for his_data in ("400,00", "4444", "2026/10/1", "2026/10/3", REASON, QUESTION, "Иванов"):
                    assert his_data not in page, (telegram_id, path, his_data)
            for path in ("disputes/1", "requests/1", f"invoices/{his}/dispute", f"invoices/{his}/lines.csv"):
                await text_of(client, f"{base(world)}/{path}", 404)
            for path, posted in (
                (f"invoices/{his}/dispute", {"line": "2", "reason": REASON}),
                (f"cards/{card}/remove", {}),
                ("requests/1/close", {}),
            ):
                mine = session_csrf(client)  # their own token
                answer = await client.post(f"{base(world)}/{path}", data={"csrf": mine, **posted})
                assert answer.status == 404, path
    assert await count(world, Dispute) == 1
    async with world.harness.engine.connect() as conn:
        assert await conn.scalar(select(PaymentMethod.removed_at)) is None


async def test_every_form_is_refused_without_its_csrf_token(world) -> None:
    await cabinet_chat(world.harness, IVANOV)
    await bind(world)
    own = await invoice_id(world, "2026/10/1")
    client, _ = await browser(world, IVANOV)
    async with client:
        (card,) = re.findall(r'action="/webapp/cards/(\d+)/remove"', await text_of(client, f"{base(world)}/cards"))
        forms = {
            "cards/autopay": {"on": "0"},
            "cards/bind": {},
            f"cards/{card}/remove": {},
            f"invoices/{own}/dispute": {"line": "1", "reason": REASON},
            "requests/new/curator": {"text": QUESTION},
            "requests/1/close": {},
        }
        for path, posted in forms.items():
            for token in ({}, {"csrf": "forged"}):
                answer = await client.post(f"{base(world)}/{path}", data={**posted, **token}, allow_redirects=False)
                assert answer.status == 403, path
    assert await count(world, Dispute) == 0 and await count(world, UserRequest) == 0
    viewer = await world.harness.container.viewers.get(IVANOV)
    overview = await world.harness.container.cards.overview(viewer)
    assert overview.autopay and [c.last4 for c in overview.cards] == ["4444"]


async def test_the_chat_in_webapp_mode_shows_none_of_the_data(world) -> None:
    chat = await cabinet_chat(world.harness, IVANOV)
    await bind(world)
    viewer = await world.harness.container.viewers.get(IVANOV)
    await world.harness.container.payments.pay(viewer, [await invoice_id(world, "2026/10/3")])
    own = await invoice_id(world, "2026/10/1")
    shown = []  # each answer as it was sent (a press edits the message in place): text, buttons, the page

    def seen(message, url: str) -> None:
        shown.append((message.text, [dict(button) for button in message.buttons()], url))

    seen((await chat.send("/payments"))[0], f"{ORIGIN}/webapp/payments")
    seen((await chat.send("/requests"))[0], f"{ORIGIN}/webapp/requests")
    menu = (await chat.send("/menu"))[0]
    seen((await chat.press("Обращения", menu))[0], f"{ORIGIN}/webapp/requests")
    for data, url in (
        (PaymentsCb(page=0), f"{ORIGIN}/webapp/payments"),
        (CardsCb(back=0), f"{ORIGIN}/webapp/cards"),
        (CardAutopayCb(on=False, back=0), f"{ORIGIN}/webapp/cards"),
        (CardRemoveCb(card_id=1, confirmed=True, back=0), f"{ORIGIN}/webapp/cards"),
        (DisputeStartCb(invoice_id=own, page=0), f"{ORIGIN}/webapp/invoices/{own}"),
    ):
        await chat.press_forged(menu, data.pack())
        seen(chat.last, url)
    for text, buttons, url in shown:
        (opener,) = [button for button in buttons if "web_app" in button]
        assert opener["web_app"]["url"] == url
        text += " ".join(button["text"] for button in buttons)
        for data in ("400", "4444", "MasterCard", "Иванов", "2026/10", "Прием"):
            assert data not in text, (url, data)
    # Nothing was done by the forged buttons: the card and the automatic charges stay.
    overview = await world.harness.container.cards.overview(viewer)
    assert overview.autopay and [c.last4 for c in overview.cards] == ["4444"]


async def test_the_pages_on_postgresql(world_pg) -> None:
    world = world_pg
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    client, _ = await browser(world, IVANOV)
    async with client:
        await pay(world, client, "2026/10/3")
        assert "400,00" in await text_of(client, f"{base(world)}/payments")
        form = await text_of(client, f"{base(world)}/requests/new/curator")
        await client.post(f"{base(world)}/requests/new/curator", data={"csrf": csrf_of(form), "text": QUESTION})
        assert QUESTION in await text_of(client, f"{base(world)}/requests/1")
