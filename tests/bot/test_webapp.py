"""The Mini App's pages (`PRIVATE_VIEWS=webapp`) over real HTTP on loopback: `initData` as Telegram signs it
turned into a session at `POST /webapp/auth`, the invoices and an invoice's details for that session only,
a payment started from the page's form (CSRF-checked) through the YooKassa emulator, and the session
ended by `/delete_me`. Sample bills issued on 01.10.2026: Иванов pays 2026/10/1 (his own, 0,80 ₽) and
2026/10/3 (his son's, 400,00 ₽)."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
import pytest

from tests.bot.cabinet_fixtures import IVANOV, POLICIES, SHMOLINA, cabinet_chat, register
from tests.bot.webapp_fixtures import ORIGIN, STRANGER, base, browser, csrf_of, init_data, invoice_id, world  # noqa: F401
from tests.roots import dialogs


async def test_a_page_opens_for_its_user_only_after_auth(world) -> None:
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    async with aiohttp.ClientSession() as anonymous:
        shell = await anonymous.get(f"{base(world)}/invoices")
        text = await shell.text()
    assert shell.status == 200 and "2026/10" not in text and "/webapp/static/app.js" in text
    policy = shell.headers["Content-Security-Policy"]
    assert "frame-ancestors https://web.telegram.org" in policy and "script-src 'self'" in policy
    assert "X-Frame-Options" not in shell.headers

    client, answer = await browser(world, IVANOV)
    async with client:
        assert answer.status == 200
        cookie = answer.headers["Set-Cookie"]
        for attribute in ("HttpOnly", "SameSite=Lax", "Path=/webapp", "Max-Age=1800"):
            assert attribute in cookie, cookie
        assert "Secure" not in cookie and "Partitioned" not in cookie  # http: loopback only, never framed
        page = await (await client.get(f"{base(world)}/invoices")).text()
        assert "Мои счета" in page and "2026/10/1" in page and "2026/10/3" in page
        details = await (await client.get(f"{base(world)}/invoices/{await invoice_id(world, '2026/10/3')}")).text()
        assert "Счёт № 2026/10/3" in details and "400,00" in details and 'name="csrf"' in details


async def test_english_follows_the_users_language(world) -> None:
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    client, _ = await browser(world, IVANOV, language_code="en")
    async with client:
        page = await (await client.get(f"{base(world)}/invoices")).text()
    assert "My invoices" in page and 'lang="en"' in page and "2026/10/3" in page


@pytest.mark.parametrize("forgery", ["hash", "user", "expired", "empty"])
async def test_forged_or_expired_init_data_is_refused(world, forgery) -> None:
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    signed = init_data(world, IVANOV, age=timedelta(hours=2) if forgery == "expired" else timedelta(0))
    posted = {
        "hash": signed[:-4] + "0000",
        "user": signed.replace(f"%22id%22%3A{IVANOV}", f"%22id%22%3A{SHMOLINA}"),
        "expired": signed,
        "empty": "",
    }[forgery]
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
        answer = await client.post(f"{base(world)}/auth", data={"init_data": posted})
        assert answer.status == 401 and "Set-Cookie" not in answer.headers
        page = await (await client.get(f"{base(world)}/invoices")).text()
    assert "2026/10" not in page


async def test_another_users_session_sees_none_of_the_first_users_data(world) -> None:
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    await register(world.harness.engine, SHMOLINA, POLICIES[SHMOLINA])
    his = await invoice_id(world, "2026/10/3")
    for telegram_id in (SHMOLINA, STRANGER):
        client, answer = await browser(world, telegram_id)
        async with client:
            assert answer.status == 200  # a person with no account gets a session that sees no one's data
            page = await (await client.get(f"{base(world)}/invoices")).text()
            assert "2026/10/1" not in page and "2026/10/3" not in page and "Иванов" not in page
            assert (await client.get(f"{base(world)}/invoices/{his}")).status == 404
            # A form of theirs for his invoice: refused without paying anything.
            form = await client.post(f"{base(world)}/invoices/{his}/pay", data={"csrf": "x"})
            assert form.status == 403
    assert world.kassa.payments == {}


async def test_pay_from_the_page_with_its_csrf_token(world) -> None:
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    invoice = await invoice_id(world, "2026/10/3")
    client, _ = await browser(world, IVANOV)
    async with client:
        details = await (await client.get(f"{base(world)}/invoices/{invoice}")).text()
        for posted in ({}, {"csrf": "forged"}):
            refused = await client.post(f"{base(world)}/invoices/{invoice}/pay", data=posted, allow_redirects=False)
            assert refused.status == 403
        assert world.kassa.payments == {}

        paid = await client.post(
            f"{base(world)}/invoices/{invoice}/pay", data={"csrf": csrf_of(details)}, allow_redirects=False
        )
        assert paid.status == 303 and paid.headers["Location"].endswith("/webapp/payments/1")
        again = await client.post(f"{base(world)}/invoices/{invoice}/pay", data={"csrf": csrf_of(details)})
        assert again.status == 200  # a second press: the same payment
        payment = world.the_payment()
        create = next(r for r in world.kassa.requests if r.method == "POST" and r.path.endswith("/payments"))
        assert create.body["confirmation"]["return_url"] == f"{ORIGIN}/webapp/payments/1"  # back to the page
        url = payment["confirmation"]["confirmation_url"]
        page = await (await client.get(f"{base(world)}/payments/1")).text()
        assert url in page and "400,00" in page

        await world.kassa.pay(payment["id"])
        assert await world.statuses("2026/10/3") == ["paid"]
        page = await (await client.get(f"{base(world)}/payments/1")).text()
        assert "Оплачено" in page and url not in page


async def test_delete_me_ends_the_session_at_once(world) -> None:
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    client, _ = await browser(world, IVANOV)
    async with client:
        assert "2026/10/3" in await (await client.get(f"{base(world)}/invoices")).text()
        assert await world.harness.container.accounts.delete(IVANOV, dialogs())
        page = await (await client.get(f"{base(world)}/invoices")).text()
    assert "2026/10" not in page and "webapp-opening" not in page and "Открываем" in page


async def test_the_chat_opens_the_invoices_as_a_page_and_shows_none_of_them(world) -> None:
    chat = await cabinet_chat(world.harness, IVANOV)
    screen = (await chat.send("/invoices"))[0]
    (opener,) = [button for button in screen.buttons() if "web_app" in button]
    assert opener["web_app"]["url"] == f"{ORIGIN}/webapp/invoices"
    shown = screen.text + " ".join(button["text"] for button in screen.buttons())
    assert "2026/10" not in shown and "400" not in shown and "Иванов" not in shown
