"""Reminders: the rules (core.billing.reminders) and the job (core.services.reminders) on the sample
bills (issued 01.10.2026, due 13.11.2026 — a Friday; 04.11 is a holiday), each reminder sent once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from core.actors import Role
from core.billing.reminders import (
    Reminder,
    StaffReminder,
    daytime,
    dispute_reminder,
    invoice_reminder,
    working_days_left,
)
from core.billing.status import InvoiceStatus
from core.bootstrap import Container
from core.db.models import Account, InsuredPerson, Invoice, NotificationSetting, OutboxMessage
from core.services.viewers import Viewer
from tests.core.import_fixtures import DATA, import_samples
from tests.core.test_billing_storage import ISSUED_ON, person_id, register
from tests.roots import SetClock, container, settings_for

NEW, OVERDUE = InvoiceStatus.NEW, InvoiceStatus.OVERDUE
DUE = date(2026, 11, 13)
ADMIN, SUPPORT = 9001, 9002  # the staff the dispute reminders go to


@pytest.mark.parametrize(
    ("status", "today", "expected"),
    [
        (NEW, date(2026, 11, 5), None),  # 6 working days left (04.11 a holiday)
        (NEW, date(2026, 11, 6), Reminder.DUE_SOON),  # 9, 10, 11, 12, 13 November
        (NEW, date(2026, 11, 10), Reminder.DUE_SOON),  # missed days caught up before the due date
        (NEW, DUE, Reminder.DUE_TODAY),
        (NEW, date(2026, 11, 14), None),  # past due and not yet marked OVERDUE: the daily job's
        (OVERDUE, date(2026, 11, 15), None),
        (OVERDUE, date(2026, 11, 16), Reminder.OVERDUE),
        (OVERDUE, date(2026, 12, 20), Reminder.OVERDUE),
        (InvoiceStatus.DISPUTED, date(2026, 11, 6), None),
        (InvoiceStatus.PENDING, DUE, None),
        (InvoiceStatus.PAID, DUE, None),
    ],
)
def test_invoice_reminder(status: InvoiceStatus, today: date, expected: Reminder | None) -> None:
    assert invoice_reminder(status, DUE, today) == expected


def test_working_days_left_across_the_new_year() -> None:
    assert working_days_left(date(2026, 12, 30), date(2027, 1, 12)) == 2  # 31.12 and 11.01 (holidays to 10.01)
    assert working_days_left(DUE, DUE) == 0


def test_dispute_reminder_and_daytime() -> None:
    deadline = date(2026, 11, 25)
    assert dispute_reminder(deadline, date(2026, 11, 22)) is None
    assert dispute_reminder(deadline, date(2026, 11, 23)) == StaffReminder.DEADLINE_SOON
    assert dispute_reminder(deadline, deadline) == StaffReminder.DEADLINE_SOON
    assert dispute_reminder(deadline, date(2026, 11, 26)) == StaffReminder.LATE
    assert daytime(datetime(2026, 11, 6, 9, 0)) and not daytime(datetime(2026, 11, 6, 21, 0))
    assert not daytime(datetime(2026, 11, 6, 8, 59))


def at(root: Container, day: date, hour_msk: int = 12) -> Container:
    """`root` at `hour_msk` o'clock (Moscow) on `day`: its clock is the test's."""
    root.clock.instant = datetime(day.year, day.month, day.day, hour_msk - 3, 0, tzinfo=UTC)
    return root


async def notices(engine: AsyncEngine, kind: str) -> list[tuple[int, dict]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(OutboxMessage.telegram_id, OutboxMessage.payload)
            .where(OutboxMessage.kind == kind)
            .order_by(OutboxMessage.id)
        )
        return [(telegram_id, payload) for telegram_id, payload in rows]


@pytest.fixture
async def root(sqlite_url: str) -> AsyncIterator[Container]:
    settings = settings_for(sqlite_url, admin_ids=[ADMIN], support_ids=[SUPPORT])
    async with container(settings, clock=SetClock(datetime(2026, 10, 1, 9, 0, tzinfo=UTC))) as root:  # ISSUED_ON
        await import_samples(root.engine)
        await root.billing.issue_from_bills(DATA / "bills.csv", ISSUED_ON)
        await register(root.engine, 5001, "123/14")  # Иванов pays 2026/10/1 and his son's 2026/10/3
        await register(root.engine, 5002, "AM012345678/13")  # Шмолина: 2026/10/4
        yield root


@pytest.fixture
def engine(root: Container) -> AsyncEngine:
    return root.engine


async def test_each_invoice_reminder_once_in_the_daytime(root: Container, engine: AsyncEngine) -> None:
    assert (await at(root, date(2026, 11, 5)).reminders.run()).invoices == 0
    assert (await at(root, date(2026, 11, 6), hour_msk=22).reminders.run()).skipped_night
    assert (await at(root, date(2026, 11, 6)).reminders.run()).invoices == 3
    assert (await at(root, date(2026, 11, 6)).reminders.run()).invoices == 0  # the same day again: nothing
    assert (await at(root, date(2026, 11, 9)).reminders.run()).invoices == 0  # due_soon was sent already
    sent = await notices(engine, "invoice_reminder")
    assert sorted((telegram_id, p["invoice"], p["reminder"]) for telegram_id, p in sent) == [
        (5001, "2026/10/1", "due_soon"),
        (5001, "2026/10/3", "due_soon"),
        (5002, "2026/10/4", "due_soon"),
    ]
    assert {p["total"] for _, p in sent} == {80, 40000, 260000}

    assert (await at(root, DUE).reminders.run()).invoices == 3
    await at(root, date(2026, 11, 14)).billing.run_daily(date(2026, 11, 14))
    assert (await at(root, date(2026, 11, 15)).reminders.run()).invoices == 0
    assert (await at(root, date(2026, 11, 16)).reminders.run()).invoices == 3
    assert (await at(root, date(2026, 11, 17)).reminders.run()).invoices == 0
    kinds = [p["reminder"] for _, p in await notices(engine, "invoice_reminder")]
    assert kinds.count("due_soon") == kinds.count("due_today") == kinds.count("overdue") == 3


async def test_reminders_switched_off_are_not_sent_nor_sent_later(root: Container, engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        account_id = await conn.scalar(select(Account.id).where(Account.telegram_id == 5002))
        await conn.execute(
            NotificationSetting.__table__.insert().values(account_id=account_id, kind="reminders", enabled=False)
        )
    assert (await at(root, date(2026, 11, 6)).reminders.run()).invoices == 2
    assert {telegram_id for telegram_id, _ in await notices(engine, "invoice_reminder")} == {5001}
    async with engine.begin() as conn:  # switched on again: the reminder of that day is not sent late
        await conn.execute(NotificationSetting.__table__.delete())
    assert (await at(root, date(2026, 11, 9)).reminders.run()).invoices == 0


async def test_staff_hear_of_disputes_near_and_past_their_deadline_once(root: Container, engine: AsyncEngine) -> None:
    ivanov = Viewer(telegram_id=5001, account_id=1, person_id=await person_id(engine, "123/14"))
    await root.staff_roles.grant(ADMIN, 9003, Role.SUPPORT)  # granted in the bot: told as well
    async with engine.connect() as conn:
        son = await conn.scalar(select(Invoice.id).where(Invoice.number == "2026/10/3"))
    opened = await at(root, date(2026, 11, 10)).disputes.open(ivanov, son, "B-0005", "Не был")
    assert opened.dispute.deadline == date(2026, 11, 25)
    assert (await at(root, date(2026, 11, 22)).reminders.run()).disputes == 0
    assert (await at(root, date(2026, 11, 23)).reminders.run()).disputes == 1
    assert (await at(root, date(2026, 11, 24)).reminders.run()).disputes == 0
    assert (await at(root, date(2026, 11, 26)).reminders.run()).disputes == 1
    assert (await at(root, date(2026, 11, 27)).reminders.run()).disputes == 0
    sent = await notices(engine, "dispute_deadline")
    assert [(t, p["reminder"]) for t, p in sent] == [
        (9001, "deadline_soon"),
        (9002, "deadline_soon"),
        (9003, "deadline_soon"),
        (9001, "late"),
        (9002, "late"),
        (9003, "late"),
    ]


async def test_a_policy_ended_by_an_import_is_told_once(root: Container, engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            update(InsuredPerson)
            .where(InsuredPerson.id == await person_id(engine, "AM012345678/13"))
            .values(removed_on=date(2026, 11, 20))
        )
    assert (await at(root, date(2026, 11, 21)).reminders.run()).policies == 1
    assert (await at(root, date(2026, 11, 21)).reminders.run()).policies == 0
    assert [t for t, _ in await notices(engine, "policy_ended")] == [5002]
