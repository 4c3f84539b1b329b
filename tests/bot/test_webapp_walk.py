"""A stranger's walk of the Mini App's pages: what a forged id, a stale or oversized form, an unknown address
or a page opened before its session answers — a page in the visitor's language with the pages' security
headers, never aiohttp's bare English `404: Not Found`."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import aiohttp
import pytest

from core.language import browser_language
from emulators import SAMPLE_DATA
from tests.bot.cabinet_fixtures import IVANOV, POLICIES, person_id, register
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

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
WORD = re.compile(r"\w+")


def page_text(page: str) -> str:
    return re.sub(r"<[^>]+>", " ", page)


async def test_refusals_are_pages_in_the_callers_language(world) -> None:
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    his = await invoice_id(world, "2026/10/3")
    for who, language, says in ((STRANGER, "en", "not available to you"), (IVANOV, "ru", "недоступна")):
        client, _ = await browser(world, who, language_code=language)
        async with client:
            for path in (f"/invoices/{his + 1000}", "/policies/999", "/requests/new/bogus", "/no-such-page"):
                answer = await client.get(f"{base(world)}{path}")
                page = await answer.text()
                assert answer.status == 404 and f'lang="{language}"' in page and says in page, (who, path)
                assert "Not Found" not in page and "frame-ancestors" in answer.headers["Content-Security-Policy"]
                assert bool(CYRILLIC.search(page_text(page))) is (language == "ru"), page
            stale = await client.post(f"{base(world)}/cards/autopay", data={"csrf": "an old page's", "on": "1"})
            assert stale.status == 403 and ("open the page again" if language == "en" else "откройте") in (
                await stale.text()
            )
            huge = await client.post(f"{base(world)}/requests/new/curator", data={"text": "x" * 1_100_000})
            assert huge.status == 413 and ("Shorten" if language == "en" else "Сократите") in await huge.text()
            assert "Content-Security-Policy" in huge.headers


async def test_a_refused_action_has_a_title_and_a_heading(world) -> None:
    """A stranger's payment of an invoice that is not theirs: a page screen readers can name."""
    client, _ = await browser(world, STRANGER, language_code="en")
    async with client:
        pay = f"{base(world)}/invoices/{await invoice_id(world, '2026/10/3')}/pay"
        refused = await (await client.post(pay, data={"csrf": session_csrf(client)})).text()
    assert "<title>Could not do that</title>" in refused and "<h1>Could not do that</h1>" in refused


async def test_the_opening_shell_speaks_the_browsers_language(world) -> None:
    """Before its session the page knows nobody: it opens in the browser's language, titled."""
    async with aiohttp.ClientSession() as anonymous:
        english = await (await anonymous.get(f"{base(world)}/invoices", headers={"Accept-Language": "en-GB,en"})).text()
        russian = await (await anonymous.get(f"{base(world)}/invoices", headers={"Accept-Language": "ru-RU"})).text()
        unknown = await (await anonymous.get(f"{base(world)}/invoices", headers={"Accept-Language": ""})).text()
    assert 'lang="en"' in english and not CYRILLIC.search(page_text(english)) and "<title>Opening" in english
    assert 'lang="ru"' in russian and "<title>Открываем" in russian
    assert 'lang="ru"' in unknown


def test_the_browsers_first_choice_is_its_language() -> None:
    assert browser_language("en-US,en;q=0.9,ru;q=0.8") == "en"
    assert browser_language("ru,en;q=0.9") == "ru"
    assert browser_language("de-DE") == "ru"  # neither: the default
    assert browser_language(None) == "ru" and browser_language(" EN ") == "en"


@pytest.fixture
async def offering_cards(emulator, sms_gateway, smtp_sink, sqlite_url) -> AsyncIterator[Paying]:
    async with paying_with_pages(emulator, sms_gateway, smtp_sink, sqlite_url, yookassa_autopay=True) as world:
        yield world


async def test_a_stranger_is_offered_no_card_and_told_nothing_was_saved(offering_cards) -> None:
    """No insured person behind the session: the cards page offers neither a card nor automatic charges, and
    a forged "turn them on" with a valid token does not say "Saved"."""
    world = offering_cards
    client, _ = await browser(world, STRANGER, language_code="en")
    async with client:
        page = await (await client.get(f"{base(world)}/cards")).text()
        assert "Only a registered insured person" in page and "/webapp/cards/autopay" not in page
        turned = await client.post(f"{base(world)}/cards/autopay", data={"csrf": session_csrf(client), "on": "1"})
        assert turned.status == 200 and "Saved." not in await turned.text()
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    client, _ = await browser(world, IVANOV, language_code="en")
    async with client:
        page = await (await client.get(f"{base(world)}/cards")).text()
        turned = await client.post(f"{base(world)}/cards/autopay", data={"csrf": csrf_of(page), "on": "1"})
        assert "Saved." in await turned.text()  # his are saved, and said so


def sample_words() -> set[str]:
    """Every word of the sample files: the data a page shows as it was imported (names, clinics, services)."""
    return {
        word.casefold()
        for path in SAMPLE_DATA.glob("*.csv")
        for word in WORD.findall(path.read_text(encoding="utf-8-sig"))
    }


async def test_every_page_for_an_english_user_has_no_russian_but_the_data(world) -> None:
    """Иванов in English, every page of his with data on it: any Cyrillic word is one of the samples'."""
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    own, son = await person_id(world.harness.engine, "123/14"), await person_id(world.harness.engine, "АМ012345683/13")
    invoice = await invoice_id(world, "2026/10/3")
    paths = [
        "/invoices",
        f"/invoices/{invoice}",
        f"/invoices/{invoice}/dispute",
        "/payments",
        "/cards",
        "/requests",
        "/disputes",
        "/policies",
        f"/policies/{own}",
        f"/policies/{own}/clinics",
        f"/policies/{own}/clinics?q=zzz",
        "/franchise",
        "/services",
        f"/services?person={son}",
        "/registration/check",
        "/no-such-page",
    ] + [f"/requests/new/{kind}" for kind in ("callback", "curator", "add_clinic", "personal_data")]
    data = sample_words()
    client, _ = await browser(world, IVANOV, language_code="en")
    async with client:
        for path in paths:
            page = page_text(await (await client.get(f"{base(world)}{path}")).text())
            russian = {word for word in WORD.findall(page) if CYRILLIC.search(word) and word.casefold() not in data}
            assert not russian, (path, russian)
    client, _ = await browser(world, IVANOV, language_code="ru")
    async with client:  # the check finds the interface's words where it is Russian
        page = page_text(await (await client.get(f"{base(world)}/invoices")).text())
    assert {word for word in WORD.findall(page) if CYRILLIC.search(word) and word.casefold() not in data}
