"""The desk's money actions as staff pages (the Mini App mode): an invoice's and a payment's details with a
form per action the member may take, the plan to confirm, the outcome on the page — the same use cases as
the chat (tests/bot/desk/test_money.py), on SQLite and on PostgreSQL + Redis, the refund through the
emulated YooKassa over real HTTP. A double submit does one action; support, a user's session and a revoked
member are refused by the use cases; forged ids are 404; a form without its CSRF token is 403.

Sample bills issued on 01.10.2026: Иванов pays 2026/10/1 (his own, 0.80 ₽) and 2026/10/3 (his son's,
400.00 ₽); the daily job of 14.11.2026 makes them overdue."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import AsyncIterator
from datetime import date

import aiohttp
import pytest
from sqlalchemy import select

from bot.web.webapp.sessions import COOKIE
from core.actors import Role
from core.db.models import DeskClaim
from core.web_sessions import SessionKeys
from tests.bot.cabinet_fixtures import IVANOV, cabinet_chat
from tests.bot.desk.helpers import ADMIN, SUPPORT
from tests.bot.desk.test_money import audit, invoice_row, refund_posts
from tests.bot.payment_fixtures import Paying
from tests.bot.test_payments import rub
from tests.bot.webapp_fixtures import ORIGIN, STRANGER, base, browser, csrf_of, invoice_id, paying_with_pages
from tests.harness import TOKEN

NEW = 7101  # granted admin, then revoked


@pytest.fixture
async def world_sqlite(emulator, sms_gateway, smtp_sink, sqlite_url) -> AsyncIterator[Paying]:
    async with paying_with_pages(emulator, sms_gateway, smtp_sink, sqlite_url, yookassa_timeout=0.5) as world:
        yield world


@pytest.fixture
async def world_pg(emulator, sms_gateway, smtp_sink, postgres_url: str, redis_url: str) -> AsyncIterator[Paying]:
    async with paying_with_pages(
        emulator, sms_gateway, smtp_sink, postgres_url, redis_url=redis_url, yookassa_timeout=0.5
    ) as world:
        yield world


@pytest.fixture(params=["sqlite", "postgres"])
def world(request) -> Paying:
    return request.getfixturevalue("world_sqlite" if request.param == "sqlite" else "world_pg")


async def overdue(world: Paying) -> None:
    """Иванов registered; the daily job of 14.11.2026 has run."""
    await (await cabinet_chat(world.harness, IVANOV)).send("/menu")
    await world.harness.container.billing.run_daily(date(2026, 11, 14))


async def paid(world: Paying, amount: str | None = None) -> None:
    """Иванов pays 2026/10/3 (400.00 ₽); YooKassa reports it paid (with another `amount`: an anomaly)."""
    await (await cabinet_chat(world.harness, IVANOV)).send("/menu")
    viewer = await world.harness.container.viewers.get(IVANOV)
    await world.harness.container.payments.pay(viewer, [await invoice_id(world, "2026/10/3")])
    payment = world.the_payment()
    if amount is not None:
        payment["amount"] = {"value": amount, "currency": "RUB"}
    await world.kassa.pay(payment["id"])


async def get(client: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with client.get(url, allow_redirects=False) as answer:
        return answer.status, await answer.text()


async def post(client: aiohttp.ClientSession, url: str, **form: str) -> tuple[int, str]:
    async with client.post(url, data=form, allow_redirects=False) as answer:
        return answer.status, await answer.text()


def confirmation(page: str) -> dict[str, str]:
    """The confirmation form's hidden fields, as the browser posts them back."""
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
    return {name: html.unescape(value) for name, value in fields}


async def test_an_invoice_marked_paid_from_its_page_once_however_often_it_is_confirmed(world) -> None:
    await overdue(world)
    invoice = await invoice_id(world, "2026/10/1")
    url = f"{base(world)}/desk/invoices/{invoice}"
    client, _ = await browser(world, ADMIN)
    async with client:
        status, card = await get(client, url)
        assert status == 200 and "Счёт № 2026/10/1" in card and "⚠️ просрочен" in card and rub("0,80 ₽") in card
        assert f'action="/webapp/desk/invoices/{invoice}/paid"' in card
        assert f'action="/webapp/desk/invoices/{invoice}/cancel"' in card
        csrf = csrf_of(card)
        assert (await post(client, f"{url}/paid", text="чек 17"))[0] == 403  # no CSRF token: refused
        status, empty = await post(client, f"{url}/paid", csrf=csrf, text=" ")
        assert status == 200 and "пример" in empty.lower()  # told what is wrong, nothing planned
        status, plan = await post(client, f"{url}/paid", csrf=csrf, text="перевод в кассе, чек <17>")
        assert status == 200 and "2026/10/1: ⚠️ просрочен → ✅ оплачен, " + rub("0,80 ₽") in plan
        assert "чек &lt;17&gt;" in plan and "чек <17>" not in plan  # escaped
        assert await world.statuses("2026/10/1") == ["overdue"]  # a plan only
        form = confirmation(plan)
        status, done = await post(client, f"{url}/paid", **form)
        assert status == 200 and rub("Отмечено оплаченным: 0,80 ₽") in done and "вне бота" in done
        status, again = await post(client, f"{url}/paid", **form)  # the double submit
        assert status == 200 and "Ничего не сделано: счета изменились" in again
        assert f'action="/webapp/desk/invoices/{invoice}/paid"' not in again  # nothing left to do
    row = await invoice_row(world, "2026/10/1")
    assert (row.status, row.paid_how, row.offline_reference) == ("paid", "offline", "перевод в кассе, чек <17>")
    assert await audit(world, "invoice.marked_paid") == [("invoice.marked_paid", ADMIN, str(invoice), None)]
    assert len(await world.notices("invoice_marked_paid")) == 1


async def test_an_invoice_cancelled_in_english_and_a_changed_plan_refused(world) -> None:
    await overdue(world)
    invoice = await invoice_id(world, "2026/10/3")
    url = f"{base(world)}/desk/invoices/{invoice}"
    client, _ = await browser(world, ADMIN, language_code="en")
    async with client:
        card = (await get(client, url))[1]
        assert 'lang="en"' in card and "Invoice No. 2026/10/3" in card and "Cancel the invoice" in card
        plan = (await post(client, f"{url}/cancel", csrf=csrf_of(card), text="billed twice"))[1]
        assert "Cancel the invoice?" in plan and "Yes, do it" in plan
        form = confirmation(plan)
        forged = dict(form, plan="[[1, 2]]")  # a plan other than the one shown: nothing is done
        assert "the invoices changed" in (await post(client, f"{url}/cancel", **forged))[1]
        pages = [page for _, page in await asyncio.gather(*(post(client, f"{url}/cancel", **form) for _ in range(2)))]
        assert sorted("Invoice cancelled" in page for page in pages) == [False, True]  # two at once: one done
        assert any("the invoices changed" in page for page in pages)
    assert await world.statuses("2026/10/3") == ["cancelled"]
    assert len(await audit(world, "invoice.cancelled")) == 1


async def test_a_refund_from_the_page_reaches_yookassa_once_per_confirmation(world) -> None:
    await paid(world)
    url = f"{base(world)}/desk/payments/1"
    client, _ = await browser(world, ADMIN)
    async with client:
        status, card = await get(client, url)
        assert status == 200 and "Платёж № 1" in card and rub("можно вернуть ещё 400,00 ₽") in card
        csrf = csrf_of(card)
        assert "больше, чем осталось" in (await post(client, f"{url}/refund", csrf=csrf, amount="400,01"))[1]
        assert "не сумма" in (await post(client, f"{url}/refund", csrf=csrf, amount="сто"))[1]
        plan = (await post(client, f"{url}/refund", csrf=csrf, amount="150,50"))[1]
        assert "2026/10/3: ✅ оплачен → ✅ оплачен, " + rub("150,50 ₽") in plan
        form = confirmation(plan)
        first, second = await asyncio.gather(*(post(client, f"{url}/refund", **form) for _ in range(2)))
        assert len(refund_posts(world)) == 1  # two submits at once: one refund at YooKassa
        assert any(rub("Возврат 150,50 ₽") in page for _, page in (first, second))
        plan = (await post(client, f"{url}/refund", csrf=csrf, full="1"))[1]
        assert "2026/10/3: ✅ оплачен → ↩️ деньги возвращены, " + rub("249,50 ₽") in plan
        await post(client, f"{url}/refund", **confirmation(plan))
        again = (await post(client, f"{url}/refund", **confirmation(plan)))[1]
        assert "Ничего не сделано" in again
    assert len(refund_posts(world)) == 2
    row = await invoice_row(world, "2026/10/3")
    assert (row.status, row.refunded_kopecks) == ("refunded", 40000)
    assert [n["amount"] for n in await world.notices("payment_refunded")] == [15050, 24950]


async def test_an_anomaly_dismissed_from_its_items_page(world) -> None:
    await paid(world, amount="399.00")
    assert await world.statuses("2026/10/3") == ["pending"]
    chat = world.harness.chat(ADMIN)  # the chat's item: an Open button to the payment's page, not its card
    item = (await chat.press("№ 1", (await chat.send("/queue"))[0]))[0]
    assert item.button("Платёж и действия")["web_app"]["url"] == f"{ORIGIN}/webapp/desk/payments/1"
    client, _ = await browser(world, ADMIN)
    async with client:
        status, item = await get(client, f"{base(world)}/desk/queue/anomaly/1")
        assert status == 200 and 'href="/webapp/desk/payments/1"' in item
        assert 'action="/webapp/desk/payments/1/paid"' in item and 'action="/webapp/desk/payments/1/dismiss"' in item
        assert 'action="/webapp/desk/payments/1/refund"' not in item  # not a succeeded payment
        plan = (await post(client, f"{base(world)}/desk/payments/1/dismiss", csrf=csrf_of(item), text="сверено"))[1]
        assert "Закрыть аномалию платежа № 1?" in plan
        done = (await post(client, f"{base(world)}/desk/payments/1/dismiss", **confirmation(plan)))[1]
        assert "Аномалия закрыта." in done and "Аномалия закрыта: amount_mismatch" in done
        again = (await post(client, f"{base(world)}/desk/payments/1/dismiss", **confirmation(plan)))[1]
        assert "Ничего не сделано" in again
    assert await world.statuses("2026/10/3") == ["pending"]
    async with world.harness.engine.connect() as conn:
        assert (await conn.execute(select(DeskClaim.comment))).scalars().all() == ["сверено"]
    assert [a[0] for a in await audit(world, "anomaly.dismissed")] == ["anomaly.dismissed"]


async def test_support_sees_the_card_without_actions_and_is_refused_in_core(world) -> None:
    await overdue(world)
    invoice = await invoice_id(world, "2026/10/1")
    url = f"{base(world)}/desk/invoices/{invoice}"
    admin, _ = await browser(world, ADMIN)
    async with admin:
        plan = (await post(admin, f"{url}/paid", csrf=csrf_of((await get(admin, url))[1]), text="чек 17"))[1]
    client, _ = await browser(world, SUPPORT)
    async with client:
        status, card = await get(client, url)
        assert status == 200 and "Счёт № 2026/10/1" in card and "<form" not in card
        form = dict(confirmation(plan), csrf=session_csrf(client))  # the admin's plan, support's own token
        for path in ("paid", "cancel"):
            assert (await post(client, f"{url}/{path}", **form))[0] == 403, path
    assert await world.statuses("2026/10/1") == ["overdue"]
    assert await audit(world, "invoice.marked_paid", "invoice.cancelled") == []


def session_csrf(client: aiohttp.ClientSession) -> str:
    """The CSRF token of the client's session, as its pages' forms carry it (these pages have no form)."""
    cookie = next(c for c in client.cookie_jar if c.key == COOKIE)
    return SessionKeys(TOKEN).csrf(cookie.value)


async def test_a_users_session_and_a_revoked_member_are_refused(world) -> None:
    await overdue(world)
    invoice = await invoice_id(world, "2026/10/1")
    url = f"{base(world)}/desk/invoices/{invoice}"
    h = world.harness
    await h.chat(NEW).send("/admin")  # known to the bot: a role may be granted
    await h.container.staff_roles.grant(ADMIN, NEW, Role.ADMIN)
    client, _ = await browser(world, NEW)
    async with client:
        status, card = await get(client, url)
        assert status == 200 and f'action="/webapp/desk/invoices/{invoice}/paid"' in card
        await h.container.staff_roles.revoke(ADMIN, NEW)
        assert (await get(client, url))[0] == 403
        status, page = await post(client, f"{url}/paid", csrf=csrf_of(card), text="чек 17")
        assert status == 403 and "2026/10/1" not in page
    for telegram_id in (IVANOV, STRANGER):
        client, _ = await browser(world, telegram_id)
        async with client:
            for path in (f"desk/invoices/{invoice}", "desk/payments/1"):
                status, page = await get(client, f"{base(world)}/{path}")
                assert status == 403 and "2026/10/1" not in page, path
            status, _ = await post(client, f"{url}/paid", csrf=session_csrf(client), text="чек 17")
            assert status == 403
    assert await world.statuses("2026/10/1") == ["overdue"]


async def test_forged_ids_are_not_found(world) -> None:
    await overdue(world)
    invoice = await invoice_id(world, "2026/10/1")
    client, _ = await browser(world, ADMIN)
    async with client:
        csrf = csrf_of((await get(client, f"{base(world)}/desk/invoices/{invoice}"))[1])
        for path in ("desk/invoices/999999", "desk/payments/999999", "desk/invoices/1x", "desk/payments/0x1"):
            assert (await get(client, f"{base(world)}/{path}"))[0] == 404, path
        for path in (
            "desk/invoices/999999/paid",
            "desk/payments/999999/refund",
            f"desk/invoices/{invoice}/refund",  # not an invoice's action
            f"desk/invoices/{invoice}/nothing",
        ):
            assert (await post(client, f"{base(world)}/{path}", csrf=csrf, text="x", full="1"))[0] == 404, path
