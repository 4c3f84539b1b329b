"""The daily job's restriction on the policy card: the day after the due date an unpaid invoice is
OVERDUE and the card says so; once the invoice is settled the card is unrestricted at once."""

from datetime import date

from sqlalchemy import update

from core.db.models import Invoice
from emulators import SAMPLE_DATA
from tests.bot.cabinet_fixtures import IVANOV, cabinet_chat, import_samples

RESTRICTED = "Статус: ⚠️ ограничен: клиники по франшизе недоступны до оплаты счёта"


async def test_the_day_after_due_the_policy_card_shows_the_restriction(harness) -> None:
    await import_samples(harness.engine)
    billing = harness.container.billing
    report = await billing.issue_from_bills(SAMPLE_DATA / "bills.csv", date(2026, 10, 1))
    assert report.invoices_issued == 5
    chat = await cabinet_chat(harness, IVANOV)

    await chat.send("/policies")
    card = (await chat.press("123/14"))[0]
    assert "Статус: ✅ действует" in card.text  # issued, not yet due

    assert (await billing.run_daily(date(2026, 11, 14))).overdue == ("2026/10/1", "2026/10/3", "2026/10/4")
    listing = (await chat.send("/policies"))[0]
    card = (await chat.press("123/14", listing))[0]
    assert RESTRICTED in card.text
    wife = (await chat.press("Мои полисы"))[0]
    card = (await chat.press("АМ012345682/13", wife))[0]
    assert "Статус: ✅ действует" in card.text  # her invoice was paid from the deposit

    async with harness.engine.begin() as conn:  # settled (the payments issue will do this)
        await conn.execute(update(Invoice).where(Invoice.number == "2026/10/1").values(status="paid"))
    listing = (await chat.send("/policies"))[0]
    card = (await chat.press("123/14", listing))[0]
    assert "Статус: ✅ действует" in card.text
