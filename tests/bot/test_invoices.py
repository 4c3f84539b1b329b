"""/invoices end to end: the sample bills issued on 01.10.2026 give Иванов his own invoice 2026/10/1
(3 lines, 0.80), his wife's 2026/10/2 (500.00, PAID from the deposit of 123/14) and his son's 2026/10/3
(400.00 due); Шмолина's 2026/10/4 is someone else's. The table, paging, details, selection (forged
callbacks refused) and both export documents, in Russian and English."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from bot.callbacks.common import MenuCb
from bot.callbacks.invoices import (
    ExportFormat,
    InvoiceCb,
    InvoiceExportCb,
    InvoicesCb,
    InvoiceSelectCb,
)
from core.db.models import Invoice
from emulators import SAMPLE_DATA
from tests.bot.cabinet_fixtures import IVANOV, IVANOVA, cabinet_chat, import_samples
from tests.bot.loop_pauses import loop_pauses

NBSP = "\u00a0"
ISSUED = date(2026, 10, 1)


def rub(text: str) -> str:
    """`400,00 ₽` as the bot writes it (a no-break space before the sign; no amount here reaches 1 000)."""
    return text.replace(" ₽", NBSP + "₽")


async def issue_samples(harness) -> None:
    await import_samples(harness.engine)
    report = await harness.container.billing.issue_from_bills(SAMPLE_DATA / "bills.csv", ISSUED)
    assert report.invoices == ("2026/10/1", "2026/10/2", "2026/10/3", "2026/10/4", "2026/10/5")


async def invoice_id(harness, number: str) -> int:
    async with harness.engine.connect() as conn:
        return await conn.scalar(select(Invoice.id).where(Invoice.number == number))


async def test_the_payer_sees_his_relatives_invoices_newest_first(harness) -> None:
    await issue_samples(harness)
    chat = await cabinet_chat(harness, IVANOV)

    listing = (await chat.send("/invoices"))[0]
    text = listing.text
    assert text.index("№ 2026/10/3") < text.index("№ 2026/10/2") < text.index("№ 2026/10/1")
    assert "2026/10/4" not in text and "Шмолина" not in text  # someone else's
    assert "№ 2026/10/1 от 01.10.2026 — Иванов Иван Иванович (ваш)" in text
    assert "№ 2026/10/2 от 01.10.2026 — Иванова Мария Сергеевна (родственник)" in text
    assert "№ 2026/10/3 от 01.10.2026 — Иванов Пётр Иванович (родственник)" in text
    assert rub("Франшиза: 0,80 ₽ · из депозита: 0,00 ₽ · к оплате: 0,80 ₽") in text
    # A paid invoice: neither what is to pay nor by when.
    assert rub("Франшиза: 500,00 ₽ · из депозита: 500,00 ₽ · ✅ оплачен") in text
    assert rub("Франшиза: 400,00 ₽ · из депозита: 0,00 ₽ · к оплате: 400,00 ₽") in text
    assert "Оплатить до 13.11.2026 · 🆕 не оплачен" in text and "Оплатить до 13.11.2026 · ✅" not in text
    buttons = [b["text"] for b in listing.buttons()]
    assert "☐ Выбрать 2026/10/1" in buttons and "☐ Выбрать 2026/10/3" in buttons
    assert not any("Выбрать 2026/10/2" in b for b in buttons)  # paid: not selectable
    assert not any("Оплатить" in b for b in buttons)  # nothing selected yet

    menu = (await chat.send("/menu"))[0]
    assert (await chat.press("Мои счета", menu))[0].text == text


async def test_details_hide_an_adult_relatives_services_from_the_payer(harness) -> None:
    await issue_samples(harness)
    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/invoices")

    own = (await chat.press("📄 2026/10/1"))[0]
    assert "Счёт № 2026/10/1 от 01.10.2026" in own.text and "Статус: 🆕 не оплачен" in own.text
    assert rub("Закапывание в глаза: 1 шт., стоимость 1,00 ₽, франшиза 0,20 ₽") in own.text
    assert (
        rub("Прием врача (терапевта, педиатра), к.м.н. на дому: 2 шт., стоимость 2,00 ₽, франшиза 0,40 ₽") in own.text
    )
    assert rub("К оплате: 0,80 ₽") in own.text
    listing = (await chat.press("Мои счета", own))[0]
    assert "№ 2026/10/3" in listing.text

    wife = (await chat.press("📄 2026/10/2", listing))[0]
    assert "медицинские услуги: 1 шт." in wife.text and "терапевта" not in wife.text  # an adult's health data
    assert rub("Зачтено из депозита: 500,00 ₽") in wife.text and "Платить не пришлось" in wife.text
    assert "К оплате" not in wife.text and "Оплатить до" not in wife.text  # paid: not what is to pay and by when
    listing = (await chat.press("Мои счета", wife))[0]
    son = (await chat.press("📄 2026/10/3", listing))[0]
    assert "Прием врача-педиатра первичный" in son.text  # a minor's: the payer sees them


async def test_a_relative_with_an_account_sees_her_own_invoice(harness) -> None:
    await issue_samples(harness)
    chat = await cabinet_chat(harness, IVANOVA)
    listing = (await chat.send("/invoices"))[0]
    assert "№ 2026/10/2 от 01.10.2026 — Иванова Мария Сергеевна (ваш)" in listing.text
    assert "2026/10/1" not in listing.text and "2026/10/3" not in listing.text
    details = (await chat.press("📄 2026/10/2", listing))[0]
    assert "Прием врача-терапевта первичный" in details.text  # her own services


async def test_selection_forged_callbacks_and_pay(harness) -> None:
    await issue_samples(harness)
    chat = await cabinet_chat(harness, IVANOV)
    listing = (await chat.send("/invoices"))[0]

    listing = (await chat.press("Выбрать 2026/10/3", listing))[0]
    assert rub("Выбрано счетов: 1, к оплате 400,00 ₽") in listing.text
    listing = (await chat.press("Выбрать 2026/10/1", listing))[0]
    assert rub("Выбрано счетов: 2, к оплате 400,80 ₽") in listing.text
    assert "☑️ № 2026/10/1" in listing.text and "☑️ Выбран 2026/10/3" in [b["text"] for b in listing.buttons()]

    paid, shmolina = await invoice_id(harness, "2026/10/2"), await invoice_id(harness, "2026/10/4")
    answer = await chat.press_forged(listing, InvoiceSelectCb(invoice_id=paid).pack())
    assert answer["show_alert"] is True and "нельзя выбрать" in answer["text"]
    for data in (
        InvoiceSelectCb(invoice_id=shmolina).pack(),
        InvoiceCb(invoice_id=shmolina).pack(),
        InvoiceExportCb(format=ExportFormat.CSV, invoice_id=shmolina).pack(),
        InvoiceSelectCb(invoice_id=999_999).pack(),
    ):
        answer = await chat.press_forged(listing, data)
        assert answer["show_alert"] is True and "недоступно" in answer["text"], data
    assert "Шмолина" not in harness.emulator.transcript(IVANOV)

    listing = (await chat.send("/invoices"))[0]  # the selection is kept, the forged ones are not in it
    assert rub("Выбрано счетов: 2, к оплате 400,80 ₽") in listing.text
    await chat.press(rub("Оплатить 400,80 ₽"), listing)
    assert "Оплата в боте сейчас недоступна" in harness.emulator.callback_answers[-1]["text"]

    listing = (await chat.press("Выбран 2026/10/3", listing))[0]  # unchecked
    assert rub("Выбрано счетов: 1, к оплате 0,80 ₽") in listing.text


async def test_paging(harness) -> None:
    await issue_samples(harness)
    billing = harness.container.billing
    for n in range(1, 8):  # seven more of his own invoices, issued in November: 2026/11/1 … 2026/11/7
        bills = (
            "bill_line_id;policy_number;clinic_id;service_date;service_code;service_name;quantity;unit_price\n"
            f"P-{n};123/14;C001;0{n}.11.2026;;Анализ {n};1;{n}00.00\n"
        )
        report = await billing.issue_from_bills(bills.encode(), date(2026, 11, n + 1), filename="bills.csv")
        assert report.invoices == (f"2026/11/{n}",)
    chat = await cabinet_chat(harness, IVANOV)

    first = (await chat.send("/invoices"))[0]
    assert "Страница 1 из 2" in first.text
    assert first.text.index("2026/11/7") < first.text.index("2026/11/1") < first.text.index("2026/10/3")
    assert "2026/10/2" not in first.text and "2026/10/1" not in first.text
    second = (await chat.press("Дальше", first))[0]
    assert "Страница 2 из 2" in second.text and "№ 2026/10/2" in second.text and "№ 2026/10/1" in second.text
    details = (await chat.press("📄 2026/10/2", second))[0]
    back = (await chat.press("Мои счета", details))[0]
    assert "Страница 2 из 2" in back.text  # back to the page it was opened from


def ru_csv(content: bytes) -> list[list[str]]:
    """A Russian export read as Excel in Russian reads it: `;` between the cells."""
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


async def test_exports_have_the_same_numbers(harness) -> None:
    await issue_samples(harness)
    chat = await cabinet_chat(harness, IVANOV)
    listing = (await chat.send("/invoices"))[0]

    sent = (await chat.press("CSV", listing))[-1]
    name, content = sent.document
    assert name == "invoices-2026-11-21.csv" and sent.text == "Все ваши счета"
    # As Excel in Russian opens it on a double click: a BOM, `;`, a decimal comma, dates DD.MM.YYYY.
    assert content.startswith("\ufeff".encode()) and content.decode("utf-8-sig").startswith("Номер счёта;Дата счёта;")
    rows = ru_csv(content)
    assert rows[0][:3] == ["Номер счёта", "Дата счёта", "Застрахованный"]
    table = {row[0]: row for row in rows[1:]}
    assert list(table) == ["2026/10/3", "2026/10/2", "2026/10/1"]
    assert table["2026/10/2"][2:] == [
        "Иванова Мария Сергеевна",
        "родственник",
        "500,00",
        "500,00",
        "0,00",
        "0,00",
        "13.11.2026",
        "✅ оплачен",
    ]
    assert table["2026/10/3"][7] == "400,00" and table["2026/10/1"][7] == "0,80"

    sent = (await chat.press("Excel", listing))[-1]
    assert sent.document[0] == "invoices-2026-11-21.xlsx"
    sheet = load_workbook(io.BytesIO(sent.document[1])).active
    values = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in values[1:]] == ["2026/10/3", "2026/10/2", "2026/10/1"]
    assert [Decimal(str(row[7])) for row in values[1:]] == [Decimal(400), Decimal(0), Decimal("0.8")]
    assert all(isinstance(row[4], (int, float)) for row in values[1:])  # amounts are numbers

    details = (await chat.press("📄 2026/10/1", listing))[0]
    sent = (await chat.press("Excel", details))[-1]
    assert sent.document[0] == "invoice-2026-10-1.xlsx" and sent.text == "Счёт № 2026/10/1: услуги"
    lines = list(load_workbook(io.BytesIO(sent.document[1])).active.iter_rows(values_only=True))[1:]
    assert [row[4] for row in lines] == [
        "Закапывание в глаза",
        "Измерение температуры",
        "Прием врача (терапевта, педиатра), к.м.н. на дому",
    ]
    assert sum(Decimal(str(row[7])) for row in lines) == Decimal("0.8")
    assert [row[5] for row in lines] == [1, 1, 2]
    sent = (await chat.press("CSV", details))[-1]
    lines = ru_csv(sent.document[1])[1:]
    assert [row[6:] for row in lines] == [["1,00", "0,20"], ["1,00", "0,20"], ["2,00", "0,40"]]

    listing = (await chat.press("Мои счета", details))[0]
    wife = (await chat.press("📄 2026/10/2", listing))[0]
    sent = (await chat.press("CSV", wife))[-1]
    lines = ru_csv(sent.document[1])[1:]
    assert [row[4] for row in lines] == ["медицинские услуги"]  # hidden in the export too


async def test_a_press_forged_under_an_exported_document_gets_the_stale_alert(harness) -> None:
    """No button of ours is under a document: a press there (a modified client's) gets the stale-button
    alert, and nothing is sent, edited or selected; no incident (`harness.feed` fails on one)."""
    await issue_samples(harness)
    chat = await cabinet_chat(harness, IVANOV)
    listing = (await chat.send("/invoices"))[0]
    document = (await chat.press("CSV", listing))[-1]
    assert document.kind == "document"
    own = await invoice_id(harness, "2026/10/1")
    shown = [(m.message_id, m.edits) for m in harness.emulator.messages(IVANOV)]
    for data in (
        InvoiceExportCb(format=ExportFormat.XLSX, invoice_id=own),
        InvoiceExportCb(format=ExportFormat.CSV),
        InvoiceCb(invoice_id=own),
        InvoicesCb(page=0),
        InvoiceSelectCb(invoice_id=own),
        MenuCb(section="invoices"),
    ):
        answer = await chat.press_forged(document, data.pack())
        assert answer["show_alert"] and answer["text"] == "Эта кнопка устарела. Откройте /menu.", data
    assert [(m.message_id, m.edits) for m in harness.emulator.messages(IVANOV)] == shown
    assert "Выбрано счетов" not in (await chat.send("/invoices"))[0].text


async def test_a_formula_in_a_service_name_is_neutralised(harness) -> None:
    await issue_samples(harness)
    bills = (
        "bill_line_id;policy_number;clinic_id;service_date;service_code;service_name;quantity;unit_price\n"
        'F-1;123/14;C001;02.10.2026;;=HYPERLINK("http://x");1;100.00\n'
    )
    await harness.container.billing.issue_from_bills(bills.encode(), date(2026, 10, 5), filename="bills.csv")
    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/invoices")
    details = (await chat.press("📄 2026/10/6"))[0]
    sent = (await chat.press("CSV", details))[-1]
    row = ru_csv(sent.document[1])[1]
    assert row[4] == '\'=HYPERLINK("http://x")' and row[7] == "20,00"
    sent = (await chat.press("Excel", details))[-1]
    cell = load_workbook(io.BytesIO(sent.document[1])).active["E2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'


async def test_english_invoices(harness) -> None:
    await issue_samples(harness)
    chat = await cabinet_chat(harness, IVANOV, language_code="en")
    listing = (await chat.send("/invoices"))[0]
    assert "No. 2026/10/2, issued 1 Oct 2026 — Иванова Мария Сергеевна (relative)" in listing.text
    assert "Deductible (co-payment): ₽500.00 · from the deposit: ₽500.00 · ✅ paid" in listing.text
    assert "Due by 13 Nov 2026 · ✅" not in listing.text  # paid: not by when
    assert "Due by 13 Nov 2026 · 🆕" in listing.text and "(relative)" in listing.text and "(yours)" in listing.text
    assert "franchise" not in listing.text.lower()

    listing = (await chat.press("Select 2026/10/3", listing))[0]
    assert "Invoices selected: 1, to pay ₽400.00" in listing.text
    await chat.press("Pay ₽400.00", listing)
    assert "Payment in the bot is not available" in harness.emulator.callback_answers[-1]["text"]
    answer = await chat.press_forged(listing, InvoiceSelectCb(invoice_id=await invoice_id(harness, "2026/10/2")).pack())
    assert "cannot be selected" in answer["text"]

    wife = (await chat.press("📄 2026/10/2", listing))[0]
    assert "medical services: quantity 1" in wife.text and "Nothing was left to pay" in wife.text
    assert "Covered by the deposit: ₽500.00" in wife.text
    sent = (await chat.press("CSV", wife))[-1]
    content = sent.document[1]
    assert content.decode("utf-8-sig").startswith("Invoice number,Insured person,")  # `,` and a point
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Invoice number", "Insured person"] and rows[1][7] == "500.00"
    assert rows[1][2] == "2026-09-20"  # ISO dates
    listing = (await chat.send("/invoices"))[0]
    sent = (await chat.press("CSV", listing))[-1]
    table = list(csv.reader(io.StringIO(sent.document[1].decode("utf-8-sig"))))
    assert [row[7] for row in table[1:]] == ["400.00", "0.00", "0.80"] and table[1][8] == "2026-11-13"
    sent = (await chat.press("Excel", listing))[-1]
    values = list(load_workbook(io.BytesIO(sent.document[1])).active.iter_rows(values_only=True))
    assert all(isinstance(row[7], (int, float)) for row in values[1:])  # XLSX keeps numbers as numbers


async def long_invoice_details(harness, lines: int, service: str) -> tuple:
    """After the samples, Иванов's invoice 2026/10/6 of `lines` lines (`service` and the line's number
    named), its details opened: (his chat, the details message)."""
    await issue_samples(harness)
    header = "bill_line_id;policy_number;clinic_id;service_date;service_code;service_name;quantity;unit_price\n"
    rows = "".join(f"L-{n};123/14;C001;02.10.2026;;{service}{n};1;10.00\n" for n in range(lines))
    await harness.container.billing.issue_from_bills((header + rows).encode(), date(2026, 10, 5), filename="b.csv")
    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/invoices")
    return chat, (await chat.press("📄 2026/10/6"))[0]


async def test_details_of_a_long_invoice_fit_one_message(harness) -> None:
    # the emulator refuses a message over 4,096 units
    chat, details = await long_invoice_details(harness, 60, "Очень длинная услуга 😀 " * 20)
    assert "…и ещё" in details.text and "(все услуги — в выгрузке CSV или Excel)" in details.text
    sent = (await chat.press("CSV", details))[-1]
    lines = ru_csv(sent.document[1])[1:]
    assert len(lines) == 60 and sum(Decimal(row[7].replace(",", ".")) for row in lines) == Decimal("120.00")


async def test_the_loop_keeps_turning_while_a_long_invoice_is_exported(harness) -> None:
    """An invoice of 3,000 lines as Excel takes the XLSX writer most of a second: written in a thread, so the
    bot goes on answering meanwhile (on the event loop, the loop's longest pause was the export's whole time)."""
    chat, details = await long_invoice_details(harness, 3000, "Прием врача-терапевта ")
    async with loop_pauses() as pauses:
        sent = (await chat.press("Excel", details))[-1]
    values = list(load_workbook(io.BytesIO(sent.document[1])).active.iter_rows(values_only=True))
    assert len(values) == 3001 and values[-1][0] == "2026/10/6"
    assert pauses.took > 0.1, pauses  # long enough for a pause to show
    assert pauses.longest < pauses.took / 2, pauses
