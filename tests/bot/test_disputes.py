"""Disputes end to end on the sample bills (see tests/bot/test_invoices.py), today 21.11.2026: from an
invoice's details Иванов disputes a line with a reason (bad input explained), sees the dispute and its
deadline (15 calendar days: 06.12.2026) in the invoice and in /requests, the invoice no longer selectable;
a dispute past its deadline reads "late"; forged callbacks for someone else's invoice or line are refused.
In Russian and English. The answer's notice as the outbox sender renders it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.callbacks.disputes import DisputeLineCb, DisputeStartCb
from bot.i18n import create_i18n_core
from bot.views.notices import render_notice
from core.calendar import Clock
from core.db.models import Dispute, Invoice
from core.notices import read_notice
from core.services.viewers import Viewer
from tests.bot.cabinet_fixtures import IVANOV, cabinet_chat, person_id
from tests.bot.test_invoices import invoice_id, issue_samples, rub
from tests.roots import container


async def invoice_status(harness, number: str) -> str:
    async with harness.engine.connect() as conn:
        return await conn.scalar(select(Invoice.status).where(Invoice.number == number))


async def test_a_dispute_from_the_details_in_russian(harness) -> None:
    await issue_samples(harness)
    chat = await cabinet_chat(harness, IVANOV)
    listing = (await chat.send("/invoices"))[0]
    own = (await chat.press("📄 2026/10/1", listing))[0]
    lines = (await chat.press("Оспорить услугу", own))[0]
    assert "Спор по счёту № 2026/10/1" in lines.text
    labels = [b["text"] for b in lines.buttons()]
    assert labels[:3] == [
        rub("1. 17.09.2026 · Закапывание в глаза · 0,20 ₽"),
        rub("2. 17.09.2026 · Измерение температуры · 0,20 ₽"),
        rub("3. 17.09.2026 · Прием врача (терапевта, педиатра), к.м.… · 0,40 ₽"),  # a long name shortened
    ]
    prompt = (await chat.press("3. 17.09.2026", lines))[0]
    assert "Напишите, почему вы не согласны" in prompt.text and "15 календарных дней" in prompt.text

    error = (await chat.send("я" * 2001))[0]
    assert "Приём был один, а в счёте два" in error.text  # the example
    error = (await chat.send("\u200b\u3164\u2800\ufe0f\u200f"))[0]  # shows nothing: an empty reason
    assert "Текст пустой" in error.text and "Приём был один, а в счёте два" in error.text
    assert await invoice_status(harness, "2026/10/1") == "new"
    done = (await chat.send("Приём был один, а в счёте <два>"))[0]
    assert "Спор открыт: счёт № 2026/10/1, услуга от 17.09.2026" in done.text
    assert "Страховая ответит до <b>06.12.2026</b>" in done.html
    assert "&lt;два&gt;" in done.html  # the reason escaped
    assert await invoice_status(harness, "2026/10/1") == "disputed"

    details = (await chat.press("Счёт 2026/10/1", done))[0]
    assert "Статус: ❓" in details.text
    assert "⚖️ Оспорено 21.11.2026, ответ до 06.12.2026" in details.text
    assert details.text.index("к.м.н. на дому") < details.text.index("⚖️ Оспорено")  # under its line
    assert not any("Оспорить" in b["text"] for b in details.buttons())  # held: nothing more to dispute

    listing = (await chat.send("/invoices"))[0]
    buttons = [b["text"] for b in listing.buttons()]
    assert "☐ Выбрать 2026/10/3" in buttons and not any("Выбрать 2026/10/1" in b for b in buttons)

    requests = (await chat.send("/requests"))[0]
    assert "Споры по счетам" in requests.text
    assert "Счёт № 2026/10/1, услуга от 17.09.2026 · открыт 21.11.2026 · ответ до 06.12.2026" in requests.text
    assert (await chat.press("Счёт 2026/10/1", requests))[0].text == details.text


async def test_forged_and_stale_dispute_callbacks_are_refused(harness) -> None:
    await issue_samples(harness)
    chat = await cabinet_chat(harness, IVANOV)
    listing = (await chat.send("/invoices"))[0]
    shmolina, wife = await invoice_id(harness, "2026/10/4"), await invoice_id(harness, "2026/10/2")
    son = await invoice_id(harness, "2026/10/3")
    for data in (
        DisputeStartCb(invoice_id=shmolina).pack(),
        DisputeLineCb(invoice_id=shmolina, line=0).pack(),
        DisputeLineCb(invoice_id=son, line=1).pack(),  # his son's invoice has one line
        DisputeStartCb(invoice_id=999_999).pack(),
    ):
        answer = await chat.press_forged(listing, data)
        assert answer["show_alert"] is True and "недоступно" in answer["text"], data
    for data in (DisputeStartCb(invoice_id=wife).pack(), DisputeLineCb(invoice_id=wife, line=0).pack()):  # PAID
        answer = await chat.press_forged(listing, data)
        assert answer["show_alert"] is True and "нельзя оспорить" in answer["text"], data
    assert "Шмолина" not in harness.emulator.transcript(IVANOV)

    # Cancel leaves the form: what is typed next opens nothing.
    details = (await chat.press("📄 2026/10/3", listing))[0]
    await chat.press("Оспорить услугу", details)
    prompt = (await chat.press("1. 21.09.2026"))[0]
    await chat.press("Отмена", prompt)
    await chat.send("Не был у педиатра")
    async with harness.engine.connect() as conn:
        assert (await conn.execute(select(Dispute))).all() == []
    assert await invoice_status(harness, "2026/10/3") == "new"


async def test_english_dispute_and_a_late_one(harness) -> None:
    await issue_samples(harness)
    chat = await cabinet_chat(harness, IVANOV, language_code="en")
    son = await invoice_id(harness, "2026/10/3")
    # Disputed on 01.11 (answer due 16.11): by today, 21.11, it is late.
    viewer = Viewer(telegram_id=IVANOV, account_id=None, person_id=await person_id(harness.engine, "123/14"))
    async with container(harness.settings, clock=Clock(fixed_today=date(2026, 11, 1))) as earlier:
        assert (await earlier.disputes.open(viewer, son, "B-0005", "Not at the paediatrician")).refusal is None

        listing = (await chat.send("/invoices"))[0]
        assert "❓ disputed" in listing.text
        details = (await chat.press("📄 2026/10/3", listing))[0]
        assert "⚖️ Disputed on 1 Nov 2026, answer late: it was due by 16 Nov 2026" in details.text

        own = (await chat.press("📄 2026/10/1", (await chat.send("/invoices"))[0]))[0]
        lines = (await chat.press("Dispute a service", own))[0]
        assert "Dispute over invoice No. 2026/10/1" in lines.text
        prompt = (await chat.press("1. 17 Sep 2026", lines))[0]
        assert "Write why you disagree" in prompt.text
        done = (await chat.send("No eye drops were given"))[0]
        assert "Dispute opened: invoice No. 2026/10/1, the service on 17 Sep 2026" in done.text
        assert "The insurer answers by 6 Dec 2026" in done.text

        requests = (await chat.send("/requests"))[0]
        assert "Disputes over invoices" in requests.text
        assert (
            "Invoice No. 2026/10/1, the service on 17 Sep 2026 · opened 21 Nov 2026 · answer due by 6 Dec 2026"
            in requests.text
        )
        assert (
            "Invoice No. 2026/10/3, the service on 21 Sep 2026 · opened 1 Nov 2026 · ⏰ answer late (it was due by "
            "16 Nov 2026)" in requests.text
        )

        # Answered (the staff desk will call this): rejected, the answer shown under the line.
        dispute_id = (await earlier.disputes.of_viewer(viewer, open_only=True))[-1].dispute_id
        answered = await harness.container.disputes.answer(9001, dispute_id, False, "The visit is <confirmed>")
        assert answered.dispute.status == "rejected"
        details = (await chat.press("📄 2026/10/3", (await chat.send("/invoices"))[0]))[0]
        assert "✖️ Dispute rejected on 21 Nov 2026" in details.text and "The visit is &lt;confirmed&gt;" in details.html
        labels = [b["text"] for b in details.buttons()]
        assert any("Dispute a service" in label for label in labels)  # unpaid again: disputable
        assert labels[0] == "💳 Pay ₽400.00"  # and payable from its details


def test_the_answer_notice_in_both_languages() -> None:
    core = create_i18n_core()

    def notice(language: str, **payload) -> str:
        base = {"person_id": 1, "invoice": "2026/10/1", "total": 40, "due_on": "2026-11-20"}
        return render_notice(core, read_notice("dispute_answered", base | payload, 5001), language, "Иванов <И>").text

    accepted = notice("ru", accepted=True, status="new")
    assert "решён в вашу пользу — Иванов &lt;И&gt;" in accepted and rub("0,40 ₽</b> до 20.11.2026") in accepted
    assert "платить по счёту больше ничего" in notice("ru", accepted=True, status="paid")
    assert "счёт просрочен" in notice("ru", accepted=False, status="overdue")
    rejected = notice("en", accepted=False, status="new")
    assert "is rejected" in rejected and "₽0.40</b> by 20 Nov 2026" in rejected
