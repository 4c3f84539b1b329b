"""Feedback on every press: "I paid — check" says what the bank says now (still waiting, paid, declined and
why), and a press whose screen comes out as it was says so, in Russian and English."""

from __future__ import annotations

import pytest

from bot.callbacks.common import MenuCb
from tests.bot.cabinet_fixtures import IVANOV, IVANOVA, cabinet_chat, import_samples
from tests.bot.payment_fixtures import issue_samples, paying
from tests.bot.test_payments import select_and_pay


@pytest.fixture
async def pay(emulator, sms_gateway, smtp_sink, sqlite_url):
    async with paying(emulator, sms_gateway, smtp_sink, sqlite_url) as world:
        await import_samples(world.harness.engine)
        await issue_samples(world.harness)
        yield world


def popup(world) -> dict:
    return world.harness.emulator.callback_answers[-1]


async def test_check_while_the_bank_has_not_answered_says_so(pay) -> None:
    chat, screen = await select_and_pay(pay, "2026/10/3")
    assert await chat.press("Я оплатил", screen) == []  # nothing changes on the screen …
    answer = popup(pay)
    assert answer["show_alert"] is True and "Банк ещё не подтвердил платёж" in answer["text"]  # … but said
    assert len(answer["text"]) <= 200

    pay.kassa.notify_url = None
    await pay.kassa.pay(pay.the_payment()["id"])
    screen = (await chat.press("Я оплатил", screen))[-1]
    assert "Платёж получен" in screen.text and "Оплачено" in popup(pay)["text"]


async def test_check_of_a_declined_payment_names_the_reason(pay) -> None:
    chat, screen = await select_and_pay(pay, "2026/10/3")
    pay.kassa.notify_url = None
    await pay.kassa.decline(pay.the_payment()["id"], "insufficient_funds")
    await chat.press("Я оплатил", screen)
    answer = popup(pay)
    assert answer["show_alert"] is True
    assert answer["text"] == "✖️ Платёж не прошёл: на карте недостаточно денег."


async def test_check_in_english(pay) -> None:
    chat = await cabinet_chat(pay.harness, IVANOV, language_code="en")
    listing = (await chat.send("/invoices"))[0]
    listing = (await chat.press("Select 2026/10/3", listing))[0]
    screen = (await chat.press("Pay", listing))[-1]
    await chat.press("I have paid — check", screen)
    assert "The bank has not confirmed the payment yet" in popup(pay)["text"]
    pay.kassa.notify_url = None
    await pay.kassa.decline(pay.the_payment()["id"], "card_expired")
    await chat.press("I have paid — check", screen)
    assert popup(pay)["text"].startswith("✖️ The payment did not go through:")


async def test_a_press_that_changes_nothing_says_so(harness) -> None:
    await import_samples(harness.engine)
    await issue_samples(harness)
    chat = await cabinet_chat(harness, IVANOV)
    listing = (await chat.send("/invoices"))[0]
    # A double tap: the second press of a button that shows the screen already there.
    answer = await chat.press_forged(listing, MenuCb(section="invoices").pack())
    assert answer["text"] == "Без изменений: на экране уже то, что есть сейчас." and not answer.get("show_alert")
    english = await cabinet_chat(harness, IVANOVA, language_code="en")
    listing = (await english.send("/invoices"))[0]
    answer = await english.press_forged(listing, MenuCb(section="invoices").pack())
    assert answer["text"] == "Nothing has changed: the screen is up to date."
    # A press that changes the screen says nothing extra.
    await english.press("📄", listing)
    assert not harness.emulator.callback_answers[-1].get("text")
