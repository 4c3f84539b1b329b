"""The cabinet as Mini App pages (`PRIVATE_VIEWS=webapp`) over real HTTP on loopback: the policies with the
relatives, a policy's card and its memo, the clinics of a policy and their search, the deductible with its
consent form (CSRF-checked), the services rendered; each for its session's user only (another person's id
is a 404), in the user's language; and the chat in this mode, which shows none of it. Samples: Иванов
(123/14, FR20) pays for his wife Иванова (АМ012345682/13, an adult relative) and their son Пётр; his own
bills are for «Закапывание в глаза» and two more."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import aiohttp
import pytest
from sqlalchemy import func, select
from yarl import URL

from bot.callbacks.cabinet import ClinicsCb, FranchiseConsentCb, PolicyCb, PolicyMemoCb
from bot.callbacks.common import MenuCb
from bot.callbacks.services import ServicesCb
from bot.web.webapp.sessions import COOKIE
from core.db.models import FranchiseActivation
from core.web_sessions import SessionKeys
from tests.bot.cabinet_fixtures import IVANOV, POLICIES, SHMOLINA, cabinet_chat, person_id, register
from tests.bot.payment_fixtures import Paying
from tests.bot.webapp_fixtures import (
    ORIGIN,
    STRANGER,
    base,
    browser,
    csrf_of,
    paying_with_pages,
    world,  # noqa: F401 (the fixture)
)
from tests.harness import TOKEN

WIFE = "АМ012345682/13"
SON = "АМ012345689/13"  # a minor whose row names no holder: his father may add him
# What is Иванов's alone: his pages show it to him only.
HIS = ("123/14", "Иванов", WIFE, "Закапывание в глаза")
# And what his cabinet shows that others on his contract share: the chat carries none of it in this mode.
CABINET = (*HIS, "Ромашка", "Стандарт с франшизой", "Улыбка", "0,80")


async def activations(world: Paying) -> int:
    async with world.harness.engine.connect() as conn:
        return await conn.scalar(select(func.count()).select_from(FranchiseActivation))


async def get(client: aiohttp.ClientSession, world: Paying, path: str) -> tuple[int, str]:
    async with client.get(f"{base(world)}{path}") as answer:
        return answer.status, await answer.text()


async def test_each_page_opens_for_its_user_with_his_data(world) -> None:
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    own, wife = await person_id(world.harness.engine, "123/14"), await person_id(world.harness.engine, WIFE)
    async with aiohttp.ClientSession() as anonymous:
        for path in ("/policies", f"/policies/{own}", f"/policies/{own}/clinics", "/franchise", "/services"):
            status, shell = await get(anonymous, world, path)
            assert status == 200 and "/webapp/static/app.js" in shell
            assert not any(value in shell for value in CABINET), path
        assert (await anonymous.get(f"{base(world)}/policies/{own}/memo.pdf")).status == 403

    client, _ = await browser(world, IVANOV)
    async with client:
        _, policies = await get(client, world, "/policies")
        assert "Мои полисы" in policies and "Полис № 123/14" in policies and "Иванов Иван Иванович" in policies
        assert f"Полис № {WIFE}" in policies and "Иванова Мария Сергеевна" in policies
        assert "Полис родственника (счета оплачиваете вы)" in policies

        _, card = await get(client, world, f"/policies/{own}")
        for shown in (
            "Полис № 123/14",
            "Стандарт с франшизой 20%",
            "К-2026/001, ООО «Ромашка»",
            "с 01.01.2026 по 31.12.2027",
        ):
            assert shown in card, shown
        assert re.search(rf'href="/webapp/policies/{own}/memo.pdf\?key=[^"]+" download="memo.pdf" data-download', card)
        _, his_wifes = await get(client, world, f"/policies/{wife}")
        assert "Иванова Мария Сергеевна" in his_wifes

        async with client.get(f"{base(world)}/policies/{own}/memo.pdf") as memo:
            assert memo.status == 200 and memo.content_type == "application/pdf"
            assert memo.headers["Content-Disposition"] == 'attachment; filename="memo.pdf"'
            assert (await memo.read()).startswith(b"%PDF")

        _, clinics = await get(client, world, f"/policies/{own}/clinics")
        assert "Клиники по полису № 123/14" in clinics and "Стоматология «Улыбка»" in clinics
        assert "Клиника «Семейный доктор» на Бауманской" in clinics and 'role="search"' in clinics
        _, searched = await get(client, world, f"/policies/{own}/clinics?q=Ulybka")
        assert "Стоматология «Улыбка»" in searched and "Семейный доктор" not in searched
        assert "Поиск «Ulybka»: найдена 1 клиника" in searched
        _, too_short = await get(client, world, f"/policies/{own}/clinics?q=a")
        assert "Слишком короткий запрос" in too_short and 'aria-invalid="true"' in too_short

        _, services = await get(client, world, "/services")
        assert "Оказанные услуги" in services and "Закапывание в глаза" in services
        _, hers = await get(client, world, f"/services?person={wife}")
        # An adult relative's service names are hers until she allows him to read them.
        assert "медицинские услуги" in hers and "Прием врача-терапевта первичный" not in hers and "500,00" in hers


async def test_the_deductible_is_activated_from_its_form_with_the_csrf_token(world) -> None:
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    own = await person_id(world.harness.engine, "123/14")
    client, _ = await browser(world, IVANOV)
    async with client:
        _, page = await get(client, world, "/franchise")
        assert "Франшиза" in page and "Полис № 123/14" in page and "20 %" in page and "1,5–2 месяцев" in page
        assert f'action="/webapp/franchise/{own}/activate"' in page
        for posted in ({}, {"csrf": "forged"}):
            refused = await client.post(f"{base(world)}/franchise/{own}/activate", data=posted)
            assert refused.status == 403
        assert await activations(world) == 0

        done = await client.post(
            f"{base(world)}/franchise/{own}/activate", data={"csrf": csrf_of(page)}, allow_redirects=False
        )
        assert done.status == 303 and done.headers["Location"] == "/webapp/franchise"
        _, after = await get(client, world, "/franchise")
        assert f'action="/webapp/franchise/{own}/activate"' not in after and "активирована" in after
        again = await client.post(f"{base(world)}/franchise/{own}/activate", data={"csrf": csrf_of(page)})
        assert again.status == 200 and "Франшиза по этому полису уже активирована." in await again.text()
    assert await activations(world) == 1


async def test_english_follows_the_users_language(world) -> None:
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    own = await person_id(world.harness.engine, "123/14")
    client, _ = await browser(world, IVANOV, language_code="en")
    async with client:
        pages = {path: (await get(client, world, path))[1] for path in ("/policies", f"/policies/{own}")}
        pages |= {path: (await get(client, world, path))[1] for path in (f"/policies/{own}/clinics", "/franchise")}
        pages["/services"] = (await get(client, world, "/services"))[1]
    assert all('lang="en"' in page for page in pages.values())
    assert "My policies" in pages["/policies"] and "Policy No. 123/14" in pages["/policies"]
    assert "from 1 Jan 2026 to 31 Dec 2027" in pages[f"/policies/{own}"]
    assert "Clinics of policy No. 123/14" in pages[f"/policies/{own}/clinics"]
    assert "I agree, activate" in pages["/franchise"] and "Services rendered" in pages["/services"]


async def test_another_users_session_sees_none_of_his_data(world) -> None:
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    await register(world.harness.engine, SHMOLINA, POLICIES[SHMOLINA])
    his, wife = await person_id(world.harness.engine, "123/14"), await person_id(world.harness.engine, WIFE)
    orphan = await person_id(world.harness.engine, SON)
    for telegram_id in (SHMOLINA, STRANGER):  # a person with no account gets a session that sees no one's data
        client, _ = await browser(world, telegram_id)
        async with client:
            for path in ("/policies", "/franchise", "/services"):
                status, page = await get(client, world, path)
                assert status == 200 and not any(value in page for value in HIS), (telegram_id, path)
            for person in (his, wife):
                for path in (f"/policies/{person}", f"/policies/{person}/memo.pdf", f"/policies/{person}/clinics"):
                    assert (await client.get(f"{base(world)}{path}")).status == 404, path
                assert (await client.get(f"{base(world)}/services?person={person}")).status == 404
            for path in ("/policies/x1", "/policies/99999999999999999999", "/services?person=-1", "/services?page=x"):
                assert (await client.get(f"{base(world)}{path}")).status == 404, path
            # Their session's own CSRF token, his policy or a minor's no one has added: nothing activated.
            token = SessionKeys(TOKEN).csrf(client.cookie_jar.filter_cookies(URL(base(world)))[COOKIE].value)
            for person in (his, orphan):
                refused = await client.post(f"{base(world)}/franchise/{person}/activate", data={"csrf": token})
                assert refused.status == 404, (telegram_id, person)
    assert await activations(world) == 0


async def test_the_chat_opens_the_cabinet_as_pages_and_carries_none_of_it(world) -> None:
    chat = await cabinet_chat(world.harness, IVANOV)
    own = await person_id(world.harness.engine, "123/14")
    emulator = world.harness.emulator
    sent_before = len(emulator.calls)

    def opener() -> str:  # the Open button of the chat's last screen (a press edits its message in place)
        return next(b["web_app"]["url"] for b in emulator.last(IVANOV).buttons() if "web_app" in b)

    urls = {}
    for command in ("/policies", "/clinics"):
        await chat.send(command)
        urls[command] = opener()
    presses = {
        "policies": MenuCb(section="policies"),
        "clinics": MenuCb(section="clinics"),
        "franchise": MenuCb(section="franchise"),
        "card": PolicyCb(person_id=own),
        "memo": PolicyMemoCb(person_id=own),
        "clinic list": ClinicsCb(person_id=own),
        "consent": FranchiseConsentCb(person_id=own),
        "services": ServicesCb(person_id=own),
    }
    for name, data in presses.items():
        answer = await chat.press_forged(emulator.last(IVANOV), data.pack())
        assert not answer.get("show_alert"), (name, answer)
        urls[name] = opener()
    # Adding a child's policy stays a form in the chat, under the policies' Open button; its answer opens the
    # page. (The form's prompts give the sample child's data as their examples: only its answer is scanned.)
    await chat.send("/policies")
    form_from = len(emulator.calls)
    await chat.press("Добавить полис ребёнка")
    for typed in (SON, "Иванов", "Алексей", "Иванович"):
        await chat.send(typed)
    answer_from = len(emulator.calls)
    await chat.send("03.03.2012")
    assert "Полис ребёнка добавлен" in emulator.last(IVANOV).text
    urls["child added"] = opener()

    assert urls["/policies"] == urls["policies"] == f"{ORIGIN}/webapp/policies"
    assert urls["/clinics"] == urls["clinics"] == urls["clinic list"] == f"{ORIGIN}/webapp/policies/{own}/clinics"
    assert urls["card"] == urls["memo"] == f"{ORIGIN}/webapp/policies/{own}"
    assert urls["franchise"] == urls["consent"] == f"{ORIGIN}/webapp/franchise"
    assert urls["services"] == f"{ORIGIN}/webapp/services"
    assert urls["child added"] == f"{ORIGIN}/webapp/policies"
    # Everything the Bot API was asked to send or show: texts, buttons, alerts, documents.
    calls = [(method, str(params)) for method, params in emulator.calls[sent_before:form_from]]
    calls += [(method, str(params)) for method, params in emulator.calls[answer_from:]]
    assert not [method for method, _ in calls if method in ("sendDocument", "sendVenue")]
    carried = [(method, value) for method, params in calls for value in (*CABINET, SON, "Алексей") if value in params]
    assert not carried, carried
    assert await activations(world) == 0  # the consent press opened the page; it consented to nothing


@pytest.fixture
async def world_pg(emulator, sms_gateway, smtp_sink, postgres_url) -> AsyncIterator[Paying]:
    async with paying_with_pages(emulator, sms_gateway, smtp_sink, postgres_url) as world_:
        yield world_


async def test_on_postgresql_his_policies_for_him_and_a_404_for_another(world_pg) -> None:
    engine = world_pg.harness.engine
    await register(engine, IVANOV, POLICIES[IVANOV])
    await register(engine, SHMOLINA, POLICIES[SHMOLINA])
    his = await person_id(engine, "123/14")
    client, _ = await browser(world_pg, IVANOV)
    async with client:
        assert "Иванова Мария Сергеевна" in (await get(client, world_pg, "/policies"))[1]
        assert "Закапывание в глаза" in (await get(client, world_pg, f"/services?person={his}"))[1]
    client, _ = await browser(world_pg, SHMOLINA)
    async with client:
        assert (await client.get(f"{base(world_pg)}/policies/{his}/clinics")).status == 404
