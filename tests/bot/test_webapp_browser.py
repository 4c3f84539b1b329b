"""The Mini App's pages in a real browser: headless Chromium (Debian's `chromium`, driven by Playwright with
`executable_path`) opens them as Telegram does, with `#tgWebAppData=…` in the URL, on a phone-sized
viewport. The page's own script posts `initData`, gets its session and loads the page; a forged, expired or
another user's `initData` shows nothing of the first user's; a form sent without its CSRF token is refused;
an invoice is paid through the YooKassa emulator's checkout page and the payer comes back to the payment's
page; the money and conversation pages are walked, a request and a dispute filed through their forms, and
a download handed to Telegram's client through its bridge. Screenshots of the invoices page in both
languages are saved in the test's folder (`docs/` keeps one of each). Skipped where Chromium or Playwright is absent, unless REQUIRE_SERVICES=1 (CI installs both)."""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import quote

import pytest

from tests.bot.cabinet_fixtures import IVANOV, POLICIES, SHMOLINA, person_id, register
from tests.bot.desk.helpers import ADMIN, SUPPORT
from tests.bot.test_registration import by_policy
from tests.bot.webapp_fixtures import base, init_data, world_https  # noqa: F401 (the fixture)
from tests.conftest import services_required

PHONE = {"width": 390, "height": 844}
THEME = {
    "bg_color": "#17212b",
    "text_color": "#f5f5f5",
    "hint_color": "#a5adb6",
    "link_color": "#6ab3f3",
    "secondary_bg_color": "#232e3c",
}


@pytest.fixture(scope="module")
async def chromium() -> AsyncIterator[object]:
    executable = shutil.which("chromium")
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        async_playwright = None
    if executable is None or async_playwright is None:
        message = "Chromium (Debian's chromium) or Playwright is not installed"
        if services_required():
            pytest.fail(message + " and REQUIRE_SERVICES=1", pytrace=False)
        pytest.skip(message)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            await browser.close()


async def open_as(
    chromium,
    world_https,
    telegram_id: int,
    *,
    language_code: str = "ru",
    age=timedelta(0),
    signed=None,
    path: str = "/invoices",
):
    """A phone's Telegram opening a page (the invoices by default): a fresh browser context, initData in the
    fragment."""
    # The pages are served over https with a test CA's certificate: the session cookie needs a secure origin.
    context = await chromium.new_context(
        viewport=PHONE, device_scale_factor=2, locale=language_code, ignore_https_errors=True
    )
    page = await context.new_page()
    data = signed if signed is not None else init_data(world_https, telegram_id, language_code=language_code, age=age)
    fragment = f"tgWebAppData={quote(data, safe='')}&tgWebAppThemeParams={quote(json.dumps(THEME), safe='')}"
    await page.goto(f"{base(world_https)}{path}#{fragment}")
    return context, page


async def settled(page) -> str:
    """The page once its script is done: the data (after its reload) or the "open it from the bot" line."""
    await page.wait_for_selector("body[data-session='1'], #reopen:not([hidden])")
    return await page.inner_text("main")


async def test_the_invoices_page_in_both_languages(chromium, world_https, tmp_path) -> None:
    await register(world_https.harness.engine, IVANOV, POLICIES[IVANOV])
    for language, title in (("ru", "Мои счета"), ("en", "My invoices")):
        context, page = await open_as(chromium, world_https, IVANOV, language_code=language)
        text = await settled(page)
        assert title in text and "2026/10/3" in text and "2026/10/1" in text
        (cookie,) = await context.cookies()
        assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "None"
        background = await page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(23, 33, 43)"  # Telegram's theme, from the fragment
        await page.screenshot(path=tmp_path / f"webapp-invoices-{language}.png")
        await context.close()
    assert (tmp_path / "webapp-invoices-ru.png").stat().st_size > 10_000


@pytest.mark.parametrize("how", ["forged", "expired", "another user"])
async def test_nothing_of_his_for_a_forged_expired_or_another_users_init_data(chromium, world_https, how) -> None:
    await register(world_https.harness.engine, IVANOV, POLICIES[IVANOV])
    await register(world_https.harness.engine, SHMOLINA, POLICIES[SHMOLINA])
    if how == "forged":
        context, page = await open_as(
            chromium, world_https, IVANOV, signed=init_data(world_https, IVANOV)[:-4] + "0000"
        )
    elif how == "expired":
        context, page = await open_as(chromium, world_https, IVANOV, age=timedelta(hours=2))
    else:
        context, page = await open_as(chromium, world_https, SHMOLINA)
    text = await settled(page)
    assert "2026/10/3" not in text and "2026/10/1" not in text and "Иванов" not in text
    if how != "another user":
        assert "нажмите кнопку в чате" in text  # the page says how to open it
    await context.close()


async def test_a_form_without_its_csrf_token_is_refused(chromium, world_https) -> None:
    await register(world_https.harness.engine, IVANOV, POLICIES[IVANOV])
    context, page = await open_as(chromium, world_https, IVANOV)
    await settled(page)
    await page.click("text=2026/10/3")
    await page.evaluate("document.querySelector('input[name=csrf]').remove()")
    async with page.expect_navigation() as sent:
        await page.click("form button")
    assert (await sent.value).status == 403
    assert world_https.kassa.payments == {}
    await context.close()


async def test_pay_an_invoice_from_the_page(chromium, world_https) -> None:
    await register(world_https.harness.engine, IVANOV, POLICIES[IVANOV])
    context, page = await open_as(chromium, world_https, IVANOV)
    await settled(page)
    await page.click("text=2026/10/3")
    await page.click("form button")  # Pay 400,00 ₽
    await page.wait_for_url("**/webapp/payments/1")
    await page.click("a.button")  # to the provider's page
    await page.wait_for_url("**/checkout/**")
    await page.click(
        "form[action$='/pay'] button"
    )  # the emulator's checkout: pays, notifies the bot, sends the payer back
    await page.wait_for_url("**/webapp/payments/1")
    assert "Оплачено" in await page.inner_text("main")
    assert await world_https.statuses("2026/10/3") == ["paid"]
    assert len(world_https.kassa.payments) == 1
    await context.close()


# A Telegram client's bridge, as the page sees it inside the client: every postEvent is kept for the test.
TELEGRAM_BRIDGE = (
    "window.TelegramWebviewProxy = { postEvent: function (type, data) {"
    " (window.telegramEvents = window.telegramEvents || []).push([type, JSON.parse(data)]); } };"
)


async def test_the_money_and_conversation_pages(chromium, world_https) -> None:
    """The payments, cards, disputes and requests pages open; a request and a dispute are filed through their
    forms; a download asks Telegram's client to fetch the file, whose link serves it without the cookie."""
    await register(world_https.harness.engine, IVANOV, POLICIES[IVANOV])
    context, page = await open_as(chromium, world_https, IVANOV)
    await settled(page)
    await context.add_init_script(TELEGRAM_BRIDGE)
    for path, title in (
        ("payments", "Мои платежи"),
        ("cards", "Карты для автосписаний"),
        ("disputes", "Мои оспаривания"),
        ("requests", "Мои обращения"),
    ):
        await page.goto(f"{base(world_https)}/{path}")
        assert title in await page.inner_text("main"), path

    # A request from /requests, a dispute from an invoice's page: each form filled as a person does, by its label.
    for start, way, label, text, filed in (
        ("requests", ["text=Вопрос врачу-куратору"], "Ваш вопрос врачу-куратору", "Можно ли натощак?", "requests/1"),
        ("invoices", ["text=2026/10/1", "text=Оспорить услугу"], "Почему", "Приём был один", "disputes/1"),
    ):
        await page.goto(f"{base(world_https)}/{start}")
        for link in way:
            await page.click(link)
        await page.get_by_label(label).fill(text)
        await page.click("form button")
        await page.wait_for_url(f"**/webapp/{filed}")
        assert text in await page.inner_text("main")

    await page.goto(f"{base(world_https)}/invoices")
    await page.click("a[data-download='invoices.csv']")
    ((kind, event),) = await page.evaluate("window.telegramEvents.filter(e => e[0].includes('download'))")
    assert kind == "web_app_request_file_download" and event["file_name"] == "invoices.csv"
    assert event["url"].startswith(base(world_https) + "/invoices.csv?key=")
    await context.close()
    fetched = await chromium.new_context(ignore_https_errors=True)  # Telegram's client: no cookie of the page
    answer = await fetched.request.get(event["url"])
    assert answer.status == 200 and "2026/10/3" in (await answer.body()).decode("utf-8-sig")
    await fetched.close()


async def test_the_cabinet_pages_from_the_policies_on(chromium, world_https) -> None:
    """The policies, a policy's card, its memo (a plain download in a browser; inside Telegram the client's
    `web_app_request_file_download`), its clinics searched, the deductible consented to, the services."""
    await register(world_https.harness.engine, IVANOV, POLICIES[IVANOV])
    context, page = await open_as(chromium, world_https, IVANOV, path="/policies")
    text = await settled(page)
    assert "Мои полисы" in text and "Иванов Иван Иванович" in text and "АМ012345682/13" in text
    await page.click("text=Полис № 123/14")
    assert "ООО «Ромашка»" in await page.inner_text("main")
    async with page.expect_download() as download:
        await page.click("a[data-download]")
    assert (await download.value).suggested_filename == "memo.pdf"
    await page.evaluate(
        "window.events = []; window.TelegramWebviewProxy = {postEvent: (type, body) => events.push([type, body])}"
    )
    await page.click("a[data-download]")
    ((event, body),) = await page.evaluate("events.filter(([type]) => type.includes('download'))")
    assert event == "web_app_request_file_download" and json.loads(body)["file_name"] == "memo.pdf"
    memo_url = json.loads(body)["url"]
    assert memo_url.startswith(base(world_https) + "/policies/") and "/memo.pdf?key=" in memo_url
    fetched = await chromium.new_context(ignore_https_errors=True)  # Telegram's client: no cookie of the page
    assert (await (await fetched.request.get(memo_url)).body()).startswith(b"%PDF")
    await fetched.close()

    await page.click("text=Клиники по полису")
    await page.fill("input[name=q]", "Ulybka")
    await page.press("input[name=q]", "Enter")
    await page.wait_for_url("**/clinics?q=Ulybka")
    text = await page.inner_text("main")
    assert "Стоматология «Улыбка»" in text and "Семейный доктор" not in text
    await page.click("text=К полису")
    await page.click("a:text-is('Франшиза')")
    await page.click("form button")  # I agree, activate
    await page.wait_for_url("**/webapp/franchise")
    assert "активирована" in await page.inner_text("main")
    await page.go_back()
    await page.go_back()
    await page.click("a:text-is('Оказанные услуги')")
    assert "Закапывание в глаза" in await page.inner_text("main")
    await context.close()


async def test_the_desk_pages_and_the_registration_check_page(chromium, world_https) -> None:
    """Support opens a person's record and the queue's item from the queue page; someone halfway through
    registration opens the page of what they typed, and a registered user's session gets no desk page."""
    h = world_https.harness
    await register(h.engine, IVANOV, POLICIES[IVANOV])
    shmolina = h.chat(SHMOLINA)  # halfway: her answers given, the review screen reached
    await by_policy(shmolina, "AM012345678/13", "Шмолина", "Елена", "Вениаминовна", "02.07.1979")
    await shmolina.send("+7 916 100-00-02")
    await shmolina.press("Проверьте, что вы ввели")
    await h.chat(SUPPORT).send("/admin")

    context, page = await open_as(chromium, world_https, SHMOLINA, path="/registration/check")
    text = await settled(page)
    assert "Шмолина" in text and "Вениаминовна" in text and "02.07.1979" in text
    await context.close()

    context, page = await open_as(
        chromium, world_https, SUPPORT, path=f"/desk/people/{await person_id(h.engine, '123/14')}"
    )
    text = await settled(page)
    assert "Иванов Иван Иванович" in text and "2026/10/1" in text
    await page.goto(f"{base(world_https)}/desk/queue")
    assert "Очередь" in await page.inner_text("main")
    await context.close()

    context, page = await open_as(chromium, world_https, IVANOV, path="/desk/queue")
    await page.wait_for_load_state("networkidle")
    assert "Очередь" not in await page.inner_text("body")  # a user's session: refused by the use case
    await context.close()


async def test_an_admin_marks_an_invoice_paid_from_its_desk_page(chromium, world_https) -> None:
    """From a person's record to an invoice's money page, its form, the plan, the confirmation: done."""
    h = world_https.harness
    await register(h.engine, IVANOV, POLICIES[IVANOV])
    await h.chat(ADMIN).send("/admin")
    context, page = await open_as(
        chromium, world_https, ADMIN, path=f"/desk/people/{await person_id(h.engine, '123/14')}"
    )
    await settled(page)
    await page.click("a:text-is('🧾 2026/10/1')")
    await page.get_by_label("Основание оплаты").fill("перевод в кассе клиники, чек 1742")
    await page.click("button:text('Отметить оплаченным')")
    assert "2026/10/1: 🆕 не оплачен → ✅ оплачен" in await page.inner_text("main")
    await page.click("button:text-is('Да, выполнить')")
    text = await page.inner_text("main")
    assert "Отмечено оплаченным" in text and "перевод в кассе клиники, чек 1742" in text
    await context.close()
    assert await world_https.statuses("2026/10/1") == ["paid"]
