"""/find end to end: every form a person can be found by, the masked list, paging, the usage and the
"nothing found" answers, in both languages; anyone but staff gets the unknown-command answer."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, select

from core.db.models import AuditEvent, Invoice, Payment, PaymentInvoice
from tests.bot.cabinet_fixtures import IVANOV, SHMOLINA, cabinet_chat, import_samples, person_id

ADMIN, SUPPORT, USER = 9001, 9002, 7001
PAYMENT_ID = "2ff1d1c5-000f-5000-8000-1a2b3c4d5e6f"


async def _money(engine) -> None:
    """An invoice of Иванов's wife (he pays) and a YooKassa payment of it."""
    wife = await person_id(engine, "АМ012345682/13")
    ivanov = await person_id(engine, "123/14")
    now = datetime(2026, 11, 20, 9, tzinfo=UTC)
    async with engine.begin() as conn:
        invoice = (
            await conn.execute(
                insert(Invoice)
                .values(
                    number="2026/11/3",
                    month="2026/11",
                    sequence=3,
                    person_id=wife,
                    payer_person_id=ivanov,
                    issued_on=date(2026, 11, 20),
                    due_on=date(2026, 12, 31),
                    copay_kopecks=150000,
                    status="paid",
                    paid_kopecks=150000,
                    created_at=now,
                    updated_at=now,
                )
                .returning(Invoice.id)
            )
        ).scalar_one()
        payment = (
            await conn.execute(
                insert(Payment)
                .values(
                    idempotence_key="k1",
                    invoice_set="s1",
                    attempt=1,
                    payer_person_id=ivanov,
                    telegram_id=IVANOV,
                    amount_kopecks=150000,
                    status="succeeded",
                    provider_id=PAYMENT_ID,
                    created_at=now,
                    updated_at=now,
                )
                .returning(Payment.id)
            )
        ).scalar_one()
        await conn.execute(insert(PaymentInvoice).values(payment_id=payment, invoice_id=invoice, amount_kopecks=150000))


def _names(message) -> list[str]:
    return [b["text"] for b in message.buttons()]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("+7 916 100-00-02", "Шмолина Е. В."),
        ("8 (916) 100 00 02", "Шмолина Е. В."),
        ("9161000002", "Шмолина Е. В."),
        ("AM012345678/13", "Шмолина Е. В."),
        ("ам 012345678-13", "Шмолина Е. В."),
        ("T-1002", "Шмолина Е. В."),
        ("t 1002", "Шмолина Е. В."),
        ("Шмолина", "Шмолина Е. В."),
        ("шмолина елена", "Шмолина Е. В."),
        ("Шмолина Елена Вениаминовна 02.07.1979", "Шмолина Е. В."),
        ("Shmolina Elena 02.07.1979", "Шмолина Е. В."),
        ("SHMOLINA@example.ru", "Шмолина Е. В."),
        (str(SHMOLINA), "Шмолина Е. В."),
        ("Салтыков-Щедрин", "Салтыков-Щедрин М."),
        ("Алиев Рашид Гасан оглы", "Алиев Р. Г."),
    ],
)
async def test_find_by_every_form(harness, query: str, expected: str) -> None:
    await import_samples(harness.engine)
    await cabinet_chat(harness, SHMOLINA)
    staff = harness.chat(SUPPORT)
    listed = (await staff.send(f"/find {query}"))[0]
    assert listed.text.startswith("Найдено: 1"), listed.text
    assert _names(listed) == [f"1. {expected}"]


async def test_find_by_invoice_and_payment_id(harness) -> None:
    await import_samples(harness.engine)
    await _money(harness.engine)
    staff = harness.chat(ADMIN, language_code="en")
    for query in ("2026/11/3", PAYMENT_ID, PAYMENT_ID.upper()):
        listed = (await staff.send(f"/find {query}"))[0]
        assert listed.text.startswith("Found: 2"), listed.text  # the insured wife and her payer
        assert _names(listed) == ["1. Иванов И. И.", "2. Иванова М. С."]


async def test_the_list_is_masked(harness) -> None:
    await import_samples(harness.engine)
    await cabinet_chat(harness, IVANOV)
    listed = (await harness.chat(SUPPORT).send("/find 123/14"))[0]
    text = listed.text
    assert "Иванов И. И." in text and "зарегистрирован" in text
    assert "**3/14" in text and "+7 916 ***-**-01" in text and "i***@example.ru" in text and "1985" in text
    for secret in ("Иван ", "Иванович", "123/14", "1000001", "ivanov@", "15.03"):
        assert secret not in text
    async with harness.engine.connect() as conn:
        query = select(AuditEvent.actor_telegram_id, AuditEvent.reason, AuditEvent.details)
        row = (await conn.execute(query.where(AuditEvent.action == "desk.find"))).one()
    assert tuple(row) == (SUPPORT, "number", {"listed": 1})


async def test_a_long_list_is_paged(harness) -> None:
    await import_samples(harness.engine)
    staff = harness.chat(ADMIN)
    first = (await staff.send("/find Иванов"))[0]
    assert first.text.startswith("Найдено: 3")
    rows = "\n".join(
        f"Z{n}/1;Зайцев;Пётр;;01.01.1980;;;employee;;;К-1;ООО;STD;01.01.2026;31.12.2027" for n in range(12)
    )
    header = (
        "policy_number;last_name;first_name;patronymic;birth_date;phone;email;category;holder_policy_number;"
        "personnel_number;contract_number;employer;program_code;valid_from;valid_to\n"
    )
    await import_samples(harness.engine, ("registry", (header + rows).encode()))
    page = (await staff.send("/find Зайцев"))[0]
    assert page.text.startswith("Найдено: 12") and "Страница 1 из 2" in page.text
    assert len([b for b in page.buttons() if b["text"][0].isdigit()]) == 8
    second = (await staff.press("Дальше", page))[0]
    assert second.message_id == page.message_id
    assert [b["text"][:3] for b in second.buttons() if b["text"][0].isdigit()] == ["9. ", "10.", "11.", "12."]


async def test_usage_and_nothing_found(harness) -> None:
    await import_samples(harness.engine)
    staff = harness.chat(SUPPORT)
    usage = (await staff.send("/find"))[0].text
    assert "/find ТЕКСТ" in usage and "2026/11/3" in usage and "09.04.1984" in usage
    nothing = (await staff.send("/find Неизвестнов"))[0].text
    assert nothing.startswith("Никого не нашлось") and "/find 456/78" in nothing
    english = harness.chat(ADMIN, language_code="en")
    assert "/find TEXT" in (await english.send("/find   "))[0].text
    assert (await english.send("/find nobody@nowhere.example"))[0].text.startswith("Nobody found")


async def test_a_user_gets_the_unknown_command_answer(harness) -> None:
    await import_samples(harness.engine)
    user = await cabinet_chat(harness, IVANOV)
    typo = (await user.send("/fnid 123/14"))[0].text
    assert (await user.send("/find 123/14"))[0].text == typo == "Такой команды нет. Список команд — /help."
    assert (await harness.chat(USER).send("/find"))[0].text == typo
