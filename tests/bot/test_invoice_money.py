"""Invoices as a payer meets them: an unpaid invoice's details have their own Pay button, a paid one says
when and how it was paid (not what is to pay and by when), a declined payment's notice has "Pay again",
and an invoice not yet due is not called a debt. Russian and English."""

from __future__ import annotations

import re

import pytest

from tests.bot.cabinet_fixtures import IVANOV, cabinet_chat, import_samples
from tests.bot.payment_fixtures import issue_samples, paying
from tests.bot.test_payments import rub


@pytest.fixture
async def pay(emulator, sms_gateway, smtp_sink, sqlite_url):
    async with paying(emulator, sms_gateway, smtp_sink, sqlite_url) as world:
        await import_samples(world.harness.engine)
        await issue_samples(world.harness)
        yield world


async def details(chat, number: str):
    listing = (await chat.send("/invoices"))[0]
    return (await chat.press(f"📄 {number}", listing))[0]


async def test_an_unpaid_invoice_is_paid_from_its_details(pay) -> None:
    chat = await cabinet_chat(pay.harness, IVANOV)
    shown = await details(chat, "2026/10/3")
    assert rub("К оплате: 400,00 ₽") in shown.text and "Оплатить до" in shown.text
    screen = (await chat.press(rub("💳 Оплатить 400,00 ₽"), shown))[-1]
    assert "Платёж № 1" in screen.text and "Счета: 2026/10/3" in screen.text  # that invoice alone
    assert pay.the_payment()["amount"]["value"] == "400.00"

    await pay.kassa.pay(pay.the_payment()["id"])
    paid = await details(chat, "2026/10/3")
    assert "✅ Оплачено" in paid.text and "картой на странице оплаты (платёж № 1)" in paid.text
    assert "К оплате" not in paid.text and "Оплатить до" not in paid.text
    assert not any("Оплатить" in b["text"] for b in paid.buttons())


async def test_an_invoice_the_deposit_covered_says_so(pay) -> None:
    chat = await cabinet_chat(pay.harness, IVANOV)
    shown = await details(chat, "2026/10/2")  # his wife's, covered by the deposit
    assert "Платить не пришлось" in shown.text and "Оплатить до" not in shown.text
    assert not any("Оплатить" in b["text"] for b in shown.buttons())


async def test_english_details_pay_and_paid(pay) -> None:
    chat = await cabinet_chat(pay.harness, IVANOV, language_code="en")
    shown = await details(chat, "2026/10/3")
    await chat.press("💳 Pay ₽400.00", shown)
    await pay.kassa.pay(pay.the_payment()["id"])
    paid = await details(chat, "2026/10/3")
    assert "✅ Paid ₽400.00 on 21 Nov 2026, " in paid.text
    assert "payment No. 1" in paid.text and "Due by" not in paid.text


async def test_a_declined_payment_notice_has_pay_again(pay) -> None:
    chat = await cabinet_chat(pay.harness, IVANOV)
    shown = await details(chat, "2026/10/3")
    await chat.press("Оплатить", shown)
    await pay.kassa.decline(pay.the_payment()["id"], "insufficient_funds")
    await pay.deliver()
    notice = chat.last
    assert "не прошёл: на карте недостаточно денег" in notice.text
    assert [b["text"] for b in notice.buttons()] == ["💳 Оплатить снова"]
    offer = (await chat.press("Оплатить снова", notice))[-1]
    assert offer.message_id != notice.message_id  # the notice (what was declined, and why) stays
    assert "2026/10/3" in offer.text and "2026/10/1" in offer.text
    screen = (await chat.press("💳 Оплатить", offer))[-1]
    assert "Платёж № 2" in screen.text


async def test_a_declined_payment_notice_in_english(pay) -> None:
    chat = await cabinet_chat(pay.harness, IVANOV, language_code="en")
    await chat.press("English", (await chat.send("/language"))[0])  # notices follow the account's language
    await chat.press("Pay", await details(chat, "2026/10/3"))
    await pay.kassa.decline(pay.the_payment()["id"], "insufficient_funds")
    await pay.deliver()
    assert [b["text"] for b in chat.last.buttons()] == ["💳 Pay again"]


async def test_not_yet_due_is_not_a_debt(pay) -> None:
    chat = await cabinet_chat(pay.harness, IVANOV)
    card = (await chat.press("123/14", (await chat.send("/policies"))[0]))[-1]
    assert "срок ещё не наступил" in card.text and "Долг" not in card.text
    await pay.harness.container.billing.run_daily()  # past 13.11.2026: overdue
    card = (await chat.press("123/14", (await chat.send("/policies"))[0]))[-1]
    assert "Долг (срок оплаты прошёл)" in card.text and "срок ещё не наступил" not in card.text


async def test_an_english_walk_reads_dates_and_amounts_the_english_way(pay) -> None:
    """Invoices, an invoice's details, the payment and its notice: `1 Oct 2026` and `₽400.00`, never
    `01.10.2026` or `400.00 ₽` (core.readable)."""
    russian_date, russian_amount = re.compile(r"\d\d\.\d\d\.\d{4}"), re.compile(r"\d\s?₽")
    chat = await cabinet_chat(pay.harness, IVANOV, language_code="en")
    await chat.press("English", (await chat.send("/language"))[0])  # notices follow the account's language
    listing = (await chat.send("/invoices"))[0]
    assert "No. 2026/10/3, issued 1 Oct 2026 — " in listing.text
    assert "to pay: ₽400.00" in listing.text and "Due by 13 Nov 2026 · " in listing.text
    shown = await details(chat, "2026/10/3")
    assert "Invoice No. 2026/10/3, issued 1 Oct 2026" in shown.text
    assert "To pay: ₽400.00" in shown.text and "Due by: 13 Nov 2026" in shown.text
    for screen in (listing, shown):
        assert not russian_date.search(screen.text) and not russian_amount.search(screen.text), screen.text

    payment = (await chat.press("💳 Pay ₽400.00", shown))[-1]
    assert "Payment No. 1 — ₽400.00" in payment.text
    await pay.kassa.pay(pay.the_payment()["id"])
    await pay.deliver()
    notice = chat.last
    assert "Payment No. 1 for ₽400.00 received. Paid: 2026/10/3." in notice.text
    paid = await details(chat, "2026/10/3")
    assert "✅ Paid ₽400.00 on 21 Nov 2026, " in paid.text
    for screen in (payment, notice, paid):
        assert not russian_date.search(screen.text) and not russian_amount.search(screen.text), screen.text
