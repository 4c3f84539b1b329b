"""A parent takes over a child's unpaid invoices (docs/domain.md "Billing": `adopt_unpaid`): Иванов
Алексей (АМ012345689/13, born 2012, a relative naming no holder) is billed before his father adds him.
His invoice is issued with no payer and nobody sees it as payer; once Иванов adds him, in the same
transaction as the link, the unsettled invoices are Иванов's (audited), who sees and selects them. A
settled one (cancelled) stays as it was."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from bot.callbacks.invoices import InvoiceSelectCb
from bot.callbacks.services import ServicesCb
from core.db.models import AuditEvent, Invoice
from tests.bot.cabinet_fixtures import IVANOV, SHMOLINA, cabinet_chat, person_id
from tests.bot.test_children import ALEXEY, add_child
from tests.bot.test_invoices import invoice_id, issue_samples, rub

HEADER = "bill_line_id;policy_number;clinic_id;service_date;service_code;service_name;quantity;unit_price\n"


async def bill_alexey(harness) -> None:
    billing = harness.container.billing
    first = HEADER + "K-1;АМ012345689/13;C004;05.10.2026;;Прием врача-педиатра повторный;1;1500.00\n"
    report = await billing.issue_from_bills(first.encode(), date(2026, 10, 10), filename="k1.csv")
    assert report.invoices == ("2026/10/6",)
    second = HEADER + "K-2;АМ012345689/13;C004;12.10.2026;;Анализ крови;1;1000.00\n"
    report = await billing.issue_from_bills(second.encode(), date(2026, 10, 15), filename="k2.csv")
    assert report.invoices == ("2026/10/7",)


async def payers(harness) -> dict[str, int | None]:
    async with harness.engine.connect() as conn:
        rows = await conn.execute(
            select(Invoice.number, Invoice.payer_person_id).where(Invoice.number.in_(("2026/10/6", "2026/10/7")))
        )
        return dict(rows.all())


async def test_a_parent_takes_over_his_sons_unpaid_invoices(harness) -> None:
    await takes_over(harness)


async def test_the_same_on_postgres(harness_pg_redis) -> None:
    await takes_over(harness_pg_redis)


async def takes_over(harness) -> None:
    await issue_samples(harness)
    await bill_alexey(harness)
    assert await payers(harness) == {"2026/10/6": None, "2026/10/7": None}  # a minor waiting for a parent
    async with harness.engine.begin() as conn:  # the later one cancelled by staff: settled, not taken over
        await conn.execute(update(Invoice).where(Invoice.number == "2026/10/7").values(status="cancelled"))

    chat = await cabinet_chat(harness, IVANOV)
    shmolina = await cabinet_chat(harness, SHMOLINA)
    alexey = await person_id(harness.engine, ALEXEY[0])
    unpaid = await invoice_id(harness, "2026/10/6")
    for who in (chat, shmolina):  # nobody sees it as payer yet
        listing = (await who.send("/invoices"))[0]
        assert "2026/10/6" not in listing.text and "Иванов Алексей" not in listing.text
        for data in (InvoiceSelectCb(invoice_id=unpaid).pack(), ServicesCb(person_id=alexey).pack()):
            answer = await who.press_forged(listing, data)
            assert answer["show_alert"] is True and "недоступно" in answer["text"], data

    added = await add_child(chat, *ALEXEY)
    assert "добавлен" in added.text
    ivanov = await person_id(harness.engine, "123/14")
    assert await payers(harness) == {"2026/10/6": ivanov, "2026/10/7": None}
    async with harness.engine.connect() as conn:
        audited = (
            await conn.execute(
                select(AuditEvent.actor_telegram_id, AuditEvent.object_id, AuditEvent.reason).where(
                    AuditEvent.action == "invoice.payer_adopted"
                )
            )
        ).all()
    assert [tuple(row) for row in audited] == [(IVANOV, str(unpaid), "child_added")]

    listing = (await chat.send("/invoices"))[0]
    assert "№ 2026/10/6 от 10.10.2026 — Иванов Алексей Иванович (ребёнок)" in listing.text
    assert rub("Франшиза: 300,00 ₽ · из депозита: 0,00 ₽ · к оплате: 300,00 ₽") in listing.text
    assert "2026/10/7" not in listing.text  # cancelled before he was added: nobody's to pay
    listing = (await chat.press("Выбрать 2026/10/6", listing))[0]
    assert rub("Выбрано счетов: 1, к оплате 300,00 ₽") in listing.text

    people = (await chat.press("Оказанные услуги", listing))[0]
    history = (await chat.press(ALEXEY[0], people))[0]
    assert "Прием врача-педиатра повторный: 1 шт." in history.text  # a minor's: named for the parent
    assert "счёт № 2026/10/6: 🆕 не оплачен" in history.text
    assert "Анализ крови" not in history.text  # the cancelled invoice has no payer: not his

    # Шмолина still sees nothing of it.
    listing = (await shmolina.send("/invoices"))[0]
    answer = await shmolina.press_forged(listing, InvoiceSelectCb(invoice_id=unpaid).pack())
    assert "недоступно" in answer["text"]
