"""/stats end to end through the emulated Telegram, on SQLite and on PostgreSQL: a database built with known
numbers (people registered by each way in, refusals this week and the week before, invoices in every status
with known amounts, payments, refunds, a late dispute, requests, outbox rows) shows exactly those numbers
in Russian and in English, and /metrics serves the same ones; support may see it, a plain user is told the
command does not exist. The bot's clock stands still (Saturday 21 Nov 2026, 12:00 in Moscow), so the
week is 16–22 Nov and the outbox's oldest row is exactly two hours old."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from core.audit import AuditAction
from core.db.models import Account, BillLine, Clinic, Dispute, Invoice, OutboxMessage, Payment, Refund, UserRequest
from tests.bot.cabinet_fixtures import import_samples, register
from tests.bot.desk.helpers import ADMIN, SUPPORT, UNKNOWN_EN, UNKNOWN_RU
from tests.bot.payment_fixtures import Paying, paying
from tests.bot.test_metrics import TOKEN, get_metrics, samples, value

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)  # 12:00 in Moscow, on the harness's BOT_TODAY
MONDAY = datetime(2026, 11, 15, 21, 0, tzinfo=UTC)  # 16 Nov, 00:00 in Moscow: the week's first instant
USER = 7001
NBSP = "\u00a0"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request) -> str:
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")


@pytest.fixture
async def world(database_url, emulator, sms_gateway, smtp_sink):
    async with paying(emulator, sms_gateway, smtp_sink, database_url, metrics_token=TOKEN, now=lambda: NOW) as world:
        await build(world)
        yield world


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


async def build(world: Paying) -> None:
    h = world.harness
    await import_samples(h.engine)
    people = [await register(h.engine, 7100 + n, number) for n, number in enumerate(("123/14", "AM012345678/13"))]
    people += [
        await register(h.engine, 7102 + n, number) for n, number in enumerate(("АМ012345679/13", "АМ012345680/13"))
    ]
    person = people[0]
    async with h.container.uow() as uow:
        clinic = await uow.session.scalar(select(Clinic.id).order_by(Clinic.id).limit(1))
        uow.session.add(Account(telegram_id=7105, created_at=at(20)))  # asked a question, never registered
        await uow.session.flush()
        account = await uow.session.scalar(select(Account.id).where(Account.telegram_id == 7100))
        asker = await uow.session.scalar(select(Account.id).where(Account.telegram_id == 7105))
        record_registration_events(uow)
        invoices = add_invoices(uow, person)
        await uow.session.flush()
        await add_money(uow, person)
        await add_disputes(uow, person, clinic, invoices)
        for kind, status, owner in (
            ("callback", "new", account),
            ("curator", "new", account),
            ("add_clinic", "answered", account),
            ("support", "new", asker),
            ("support", "closed", asker),
        ):
            uow.session.add(
                UserRequest(account_id=owner, kind=kind, status=status, created_at=at(19), updated_at=at(19))
            )
        for created, sent, failed in (
            (NOW - timedelta(hours=2), None, None),
            (NOW - timedelta(minutes=30), None, None),
            (NOW, None, None),
            (NOW - timedelta(hours=5), NOW - timedelta(hours=4), None),
            (NOW - timedelta(hours=6), None, NOW - timedelta(hours=5)),
        ):
            uow.session.add(
                OutboxMessage(
                    telegram_id=7100, kind="invoice_issued", created_at=created, sent_at=sent, failed_at=failed
                )
            )
        await uow.commit()


def record_registration_events(uow) -> None:
    """As the registration writes them. This week: linked 2 by policy (one at the week's very first instant),
    1 by personal data, 1 by invite; refused: not_found 2, ambiguous 1, ask_hr 1 (submissions matching no
    one), under_18 1, phone_taken 2 (after the codes). Submissions that found someone are no refusal."""
    linked, submit, refused = (
        AuditAction.REGISTRATION_LINKED,
        AuditAction.REGISTRATION_SUBMIT,
        AuditAction.REGISTRATION_REFUSED,
    )
    for when, action, reason, way in (
        (MONDAY, linked, None, "policy"),
        (at(20), linked, None, "policy"),
        (at(18), linked, None, "personal"),
        (at(19), linked, None, "invite"),
        (MONDAY - timedelta(minutes=1), linked, None, "policy"),  # Sunday 23:59 in Moscow: the week before
        (at(17), submit, "not_found", "policy"),
        (at(18), submit, "not_found", "personal"),
        (at(15, 20), submit, "not_found", "policy"),  # the week before
        (at(19), submit, "ambiguous", "personal"),
        (at(19), submit, "found", "policy"),
        (at(19), submit, "need_email", "personal"),
        (at(20), submit, "under_18", "policy"),  # found, under 18: told after the code (refused below)
        (at(20), submit, "ask_hr", "personal"),
        (at(20), refused, "under_18", "policy"),
        (at(20), refused, "phone_taken", "policy"),
        (at(20, 11), refused, "phone_taken", "personal"),
        (at(14), refused, "not_found", "policy"),  # the week before
    ):
        uow.audit.record(when, action, actor=7200, reason=reason, way=way)


# (status, co-pay, deposit used, credited, paid, refunded), kopecks
INVOICES = (
    ("new", 150_000, 50_000, 0, 0, 0),
    ("pending", 30_000, 0, 0, 0, 0),
    ("paid", 120_000, 20_000, 0, 100_000, 12_345),
    ("paid", 45_050, 0, 0, 45_050, 0),
    ("overdue", 260_000, 0, 0, 0, 0),
    ("overdue", 80_000, 10_000, 5_000, 0, 0),
    ("disputed", 33_333, 0, 0, 0, 0),
    ("cancelled", 99_999, 0, 0, 0, 0),
    ("refunded", 20_000, 0, 0, 20_000, 20_000),
)


def add_invoices(uow, person: int) -> list[Invoice]:
    invoices = [
        Invoice(
            number=f"2026/10/{n}",
            month="2026/10",
            sequence=n,
            person_id=person,
            payer_person_id=person,
            issued_on=date(2026, 10, 1),
            due_on=date(2026, 11, 12),
            copay_kopecks=copay,
            deposit_used_kopecks=deposit,
            credited_kopecks=credited,
            paid_kopecks=paid,
            refunded_kopecks=refunded,
            status=status,
            created_at=at(1),
            updated_at=at(1),
        )
        for n, (status, copay, deposit, credited, paid, refunded) in enumerate(INVOICES, 1)
    ]
    uow.session.add_all(invoices)
    return invoices


async def add_money(uow, person: int) -> None:
    """Payments: succeeded 3 (1 000,00 + 450,50 + 200,00), pending 1, canceled 2 (a card check among them),
    failed 1. Refunds: succeeded 2 (123,45 + 200,00), one still pending."""
    payments = [
        Payment(
            idempotence_key=f"key-{n}",
            invoice_set=f"set-{n}",
            attempt=1,
            payer_person_id=person,
            telegram_id=7100,
            amount_kopecks=amount,
            status=status,
            kind=kind,
            created_at=at(10),
            updated_at=at(10),
        )
        for n, (status, amount, kind) in enumerate(
            (
                ("succeeded", 100_000, "invoices"),
                ("succeeded", 45_050, "autopay"),
                ("succeeded", 20_000, "invoices"),
                ("pending", 30_000, "invoices"),
                ("canceled", 1_000, "binding"),
                ("canceled", 5_000, "invoices"),
                ("failed", 7_000, "invoices"),
            )
        )
    ]
    uow.session.add_all(payments)
    await uow.session.flush()
    for n, (payment, amount, status) in enumerate(
        ((payments[0], 12_345, "succeeded"), (payments[2], 20_000, "succeeded"), (payments[1], 5_000, "pending"))
    ):
        uow.session.add(
            Refund(
                payment_id=payment.id,
                idempotence_key=f"refund-{n}",
                amount_kopecks=amount,
                reason="requested",
                status=status,
                created_at=at(11),
                updated_at=at(11),
            )
        )


async def add_disputes(uow, person: int, clinic: str, invoices: list[Invoice]) -> None:
    """Open 3: one late (due 16 Nov), one due today (not late yet), one due in December; one answered."""
    disputed, overdue = invoices[6], invoices[5]
    for n, (invoice, opened_on, status) in enumerate(
        (
            (disputed, date(2026, 11, 1), "open"),
            (disputed, date(2026, 11, 6), "open"),
            (disputed, date(2026, 11, 20), "open"),
            (overdue, date(2026, 10, 20), "rejected"),
        )
    ):
        line = BillLine(
            id=f"line-{n}",
            person_id=person,
            clinic_id=clinic,
            service_date=date(2026, 9, 1),
            service_name="-",
            quantity=1,
            unit_price_kopecks=1_000,
            cost_kopecks=1_000,
            copay_kopecks=200,
            content_hash="-",
            invoice_id=invoice.id,
            imported_at=at(1),
        )
        uow.session.add(line)
        await uow.session.flush()
        uow.session.add(
            Dispute(
                invoice_id=invoice.id,
                bill_line_id=line.id,
                opened_by_telegram_id=7100,
                reason="-",
                opened_at=at(1),
                opened_on=opened_on,
                deadline=opened_on + timedelta(days=15),
                status=status,
            )
        )


def fig(template: str, *args: object) -> str:
    """The screen's Russian amounts keep no-break spaces: written here with plain ones."""
    return template.format(*args).replace(" ₽", f"{NBSP}₽")


async def test_stats_show_the_known_numbers(world: Paying) -> None:
    admin = (await world.harness.chat(ADMIN).send("/stats"))[0].text
    for line in (
        "Зарегистрированных пользователей: 4",
        "Неделя 16.11.2026 – 22.11.2026",
        "Регистрации: 4",
        "• по номеру полиса: 2",
        "• по личным данным, без номера: 1",
        "• по ссылке-приглашению: 1",
        "Отказы при регистрации: 7",
        "• данных нет в списке: 2",
        "• подходят несколько человек: 1",
        "• ни телефон, ни e-mail не совпали со списком: 1",
        "• младше 18 лет: 1",
        "• телефон занят другим аккаунтом: 2",
        f"Выставлено счетов: 9 на 7{NBSP}583,82{NBSP}₽",
        f"Оплачено: 2 на 1{NBSP}450,50{NBSP}₽",
        f"Просрочено: 2 на 3{NBSP}250,00{NBSP}₽",
        f"Отменено: 1 на 999,99{NBSP}₽",
        f"Платежей: 3 на 1{NBSP}650,50{NBSP}₽",
        f"Возвратов: 2 на 323,45{NBSP}₽",
        "Споров без ответа: 3, из них просрочено: 1",
        "Обращений без ответа: 2, вопросов в поддержку: 1",
        "Уведомлений в очереди на отправку: 3, самое старое — с 21.11.2026 10:00 (2 ч)",
    ):
        assert line in admin.split("\n"), (line, admin)
    assert "полис не действует" not in admin  # a reason nobody was refused for is not listed

    support = (await world.harness.chat(SUPPORT, language_code="en").send("/stats"))[0].text
    for line in (
        "Registered users: 4",
        "Week of 16 Nov 2026 – 22 Nov 2026",
        "Registrations: 4",
        "• with a policy number: 2",
        "• with personal details, no number: 1",
        "• with an invite link: 1",
        "Registration refusals: 7",
        "• details not on the list: 2",
        "• several people match: 1",
        "• neither the phone nor the e-mail matches the list: 1",
        "• under 18: 1",
        "• phone used by another account: 2",
        "Invoices issued: 9, ₽7,583.82",
        "Paid: 2, ₽1,450.50",
        "Overdue: 2, ₽3,250.00",
        "Cancelled: 1, ₽999.99",
        "Payments: 3, ₽1,650.50",
        "Refunds: 2, ₽323.45",
        "Disputes awaiting an answer: 3, of which late: 1",
        "Requests awaiting an answer: 2; questions to support: 1",
        "Notices waiting to be sent: 3; the oldest since 21 Nov 2026, 10:00 (2 h)",
    ):
        assert line in support.split("\n"), (line, support)


async def test_metrics_serve_the_same_numbers(world: Paying) -> None:
    status, _, body = await get_metrics(world)
    assert status == 200
    found = samples(body)
    expected = {
        ("dmsbot_database_up", ()): 1,
        ("dmsbot_registered_users", ()): 4,
        ("dmsbot_registrations_week", (("way", "policy"),)): 2,
        ("dmsbot_registrations_week", (("way", "personal"),)): 1,
        ("dmsbot_registrations_week", (("way", "invite"),)): 1,
        ("dmsbot_registration_refusals_week", (("reason", "not_found"),)): 2,
        ("dmsbot_registration_refusals_week", (("reason", "ambiguous"),)): 1,
        ("dmsbot_registration_refusals_week", (("reason", "ask_hr"),)): 1,
        ("dmsbot_registration_refusals_week", (("reason", "under_18"),)): 1,
        ("dmsbot_registration_refusals_week", (("reason", "phone_taken"),)): 2,
        ("dmsbot_registration_refusals_week", (("reason", "policy_not_active"),)): 0,
        ("dmsbot_invoices", (("group", "issued"),)): 9,
        ("dmsbot_invoices", (("group", "paid"),)): 2,
        ("dmsbot_invoices", (("group", "overdue"),)): 2,
        ("dmsbot_invoices", (("group", "cancelled"),)): 1,
        ("dmsbot_invoices_amount_rubles", (("group", "issued"),)): 7583.82,
        ("dmsbot_invoices_amount_rubles", (("group", "paid"),)): 1450.50,
        ("dmsbot_invoices_amount_rubles", (("group", "overdue"),)): 3250.00,
        ("dmsbot_invoices_amount_rubles", (("group", "cancelled"),)): 999.99,
        ("dmsbot_payments_succeeded", ()): 3,
        ("dmsbot_payments_succeeded_amount_rubles", ()): 1650.50,
        ("dmsbot_refunds_succeeded", ()): 2,
        ("dmsbot_refunds_succeeded_amount_rubles", ()): 323.45,
        ("dmsbot_payments", (("status", "succeeded"),)): 3,
        ("dmsbot_payments", (("status", "pending"),)): 1,
        ("dmsbot_payments", (("status", "canceled"),)): 2,
        ("dmsbot_payments", (("status", "failed"),)): 1,
        ("dmsbot_disputes_open", ()): 3,
        ("dmsbot_disputes_late", ()): 1,
        ("dmsbot_requests_open", (("kind", "request"),)): 2,
        ("dmsbot_requests_open", (("kind", "question"),)): 1,
        ("dmsbot_outbox_pending", ()): 3,
        ("dmsbot_outbox_oldest_pending_age_seconds", ()): 7200,
    }
    got = {(name, tuple(labels)): value(found, name, **dict(labels)) for name, labels in expected}
    assert got == expected
    # Every refusal reason has its series (zeros too), so a dashboard's query never meets a missing one.
    assert len(found["dmsbot_registration_refusals_week"]) == 9


async def test_a_plain_user_is_told_the_command_does_not_exist(world: Paying) -> None:
    assert (await world.harness.chat(USER).send("/stats"))[0].text == UNKNOWN_RU
    assert (await world.harness.chat(USER + 1, language_code="en").send("/stats"))[0].text == UNKNOWN_EN


async def test_an_empty_database_reads_as_zeros(harness) -> None:
    text = (await harness.chat(SUPPORT).send("/stats"))[0].text
    for line in (
        "Зарегистрированных пользователей: 0",
        "Регистрации: 0",
        "• по ссылке-приглашению: 0",
        "Отказы при регистрации: 0",
        f"Выставлено счетов: 0 на 0,00{NBSP}₽",
        f"Возвратов: 0 на 0,00{NBSP}₽",
        "Споров без ответа: 0, из них просрочено: 0",
        "Уведомлений в очереди на отправку: 0",
    ):
        assert line in text.split("\n"), (line, text)
    assert "•" not in text.split("Отказы при регистрации: 0")[1].split("\n\n")[0]  # no reason listed
