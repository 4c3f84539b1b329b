"""Billing stored (core/services/billing.py): the sample bills issue the invoices the pure rules expect,
re-importing issues nothing, numbering is gap-free with concurrent imports on PostgreSQL, the payers'
notices go to the outbox, the daily job marks, restricts, restores and is idempotent; the commands."""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.commands import importing, jobs
from core.billing.invoices import parse_number
from core.bootstrap import Container
from core.db.models import (
    AccessRestriction,
    Account,
    BillLine,
    Consent,
    DepositUse,
    InsuredPerson,
    Invoice,
    NotificationSetting,
    OutboxMessage,
)
from core.money import from_kopecks
from core.normalize import canonical_policy
from core.settings import Settings
from tests.core.import_fixtures import DATA, root_with_samples
from tests.core.test_billing_samples import EXPECTED
from tests.roots import container, settings_for

ISSUED_ON = date(2026, 10, 1)
DUE_ON = date(2026, 11, 13)  # 30 working days after 01.10.2026


def bills(prefix: str = "", only: tuple[str, ...] | None = None, **changes: dict[str, str]) -> bytes:
    """The sample bills, ids prefixed; `only` keeps those sample ids; `changes` edits cells of a sample id."""
    with open(DATA / "bills.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        if only is not None and row["bill_line_id"] not in only:
            continue
        row = {**row, **changes.get(row["bill_line_id"].replace("-", "_"), {})}
        writer.writerow({**row, "bill_line_id": prefix + row["bill_line_id"]})
    return out.getvalue().encode()


async def invoices(engine: AsyncEngine) -> list[tuple]:
    query = (
        select(
            Invoice.number,
            InsuredPerson.policy_key,
            Invoice.payer_person_id,
            Invoice.copay_kopecks,
            Invoice.deposit_used_kopecks,
            Invoice.status,
            Invoice.due_on,
        )
        .join(InsuredPerson, InsuredPerson.id == Invoice.person_id)
        .order_by(Invoice.month, Invoice.sequence)
    )
    async with engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(query)]


async def person_id(engine: AsyncEngine, policy: str) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(select(InsuredPerson.id).where(InsuredPerson.policy_key == canonical_policy(policy)))


async def register(engine: AsyncEngine, telegram_id: int, policy: str) -> int:
    """An account linked to the person of `policy`; its id."""
    now = datetime(2026, 9, 1, tzinfo=UTC)
    person = await person_id(engine, policy)
    async with engine.begin() as conn:
        result = await conn.execute(
            insert(Account).values(telegram_id=telegram_id, insured_person_id=person, created_at=now, registered_at=now)
        )
        return result.inserted_primary_key[0]


async def outbox(engine: AsyncEngine) -> list[tuple]:
    async with engine.connect() as conn:
        query = select(OutboxMessage.telegram_id, OutboxMessage.kind, OutboxMessage.payload).order_by(OutboxMessage.id)
        return [tuple(row) for row in await conn.execute(query)]


@pytest.fixture
async def root(sqlite_url: str) -> AsyncIterator[Container]:
    async with root_with_samples(sqlite_url, ISSUED_ON) as root:
        yield root


@pytest.fixture
def engine(root: Container) -> AsyncEngine:
    return root.engine


async def test_the_sample_bills_issue_the_expected_invoices(root: Container, engine: AsyncEngine) -> None:
    report = await root.billing.issue_from_bills(DATA / "bills.csv", ISSUED_ON)
    assert report.summary() == "imported 8, updated 0, unchanged 0, rejected 0, invoices issued 5"
    assert report.invoices == tuple(number for number, *_ in EXPECTED)
    ivanov = await person_id(engine, "123/14")
    payers = {
        "12314": ivanov,
        "AM01234567813": await person_id(engine, "AM012345678/13"),
        "AM01234568113": await person_id(engine, "AM012345681/13"),
    }
    assert await invoices(engine) == [
        (number, person, payers[payer], int(Decimal(copay) * 100), int(Decimal(deposit) * 100), str(status), due)
        for number, person, payer, copay, deposit, _total, status, due in EXPECTED
    ]
    async with engine.connect() as conn:
        uses = (
            await conn.execute(
                select(DepositUse.deposit_reference, Invoice.number, DepositUse.amount_kopecks).join(
                    Invoice, Invoice.id == DepositUse.invoice_id
                )
            )
        ).all()
        lines = dict((await conn.execute(select(BillLine.id, BillLine.copay_kopecks))).all())
        kuznetsov = (
            await conn.execute(select(BillLine.invoice_id, BillLine.cost_kopecks).where(BillLine.id == "B-0008"))
        ).one()
    assert uses == [("D-2026-0001", "2026/10/2", 50000)]  # the wife's invoice, PAID from the deposit
    assert lines["B-0006"] == 260000 and from_kopecks(lines["B-0005"]) == Decimal("400.00")
    assert kuznetsov == (None, 250000)  # kept for the history, never invoiced


async def test_reimport_issues_nothing_and_a_changed_line_is_rejected(root: Container, engine: AsyncEngine) -> None:
    billing = root.billing
    await billing.issue_from_bills(DATA / "bills.csv", ISSUED_ON)
    again = await billing.issue_from_bills(DATA / "bills.csv", date(2026, 10, 20))
    assert again.summary() == "imported 0, updated 0, unchanged 8, rejected 0, invoices issued 0"
    assert await billing.issue_from_bills(DATA / "bills.csv", date(2027, 1, 15)) is not None

    changed = bills(only=("B-0001", "B-0002"), B_0001={"quantity": "2"})
    report = await billing.issue_from_bills(changed, date(2026, 10, 20), filename="bills.csv")
    assert report.lines() == ["line 2: bill_line_id: already billed: a correction comes as a new line"]
    assert report.summary() == "imported 0, updated 0, unchanged 1, rejected 1, invoices issued 0"
    assert report.exit_code == 1

    # A correction comes as a new line: a new invoice, numbered on in the month.
    correction = bills(prefix="FIX-", only=("B-0001",))
    report = await billing.issue_from_bills(correction, date(2026, 10, 20), filename="bills.csv")
    assert report.invoices == ("2026/10/6",)
    assert len(await invoices(engine)) == 6


async def test_bad_lines_are_rejected_with_reasons(root: Container, engine: AsyncEngine) -> None:
    text = bills(
        only=("B-0001", "B-0002", "B-0003", "B-0004", "B-0006"),
        B_0001={"policy_number": "NOPE/1"},
        B_0002={"clinic_id": "C999"},
        B_0003={"service_date": "05.10.2026"},
        B_0004={"service_date": "01.01.2025"},
        B_0006={"quantity": "0"},
    )
    report = await root.billing.issue_from_bills(text, ISSUED_ON, filename="bills.csv")
    assert report.lines() == [
        "line 2: policy_number: unknown policy NOPE1",
        "line 3: clinic_id: unknown clinic C999",
        "line 4: service_date: service date 05.10.2026 after the issue date 01.10.2026",
        "line 5: service_date: service date 01.01.2025 outside the policy's validity",
        "line 6: quantity: 0 is out of range 1–100000",
    ]
    assert report.summary() == "imported 0, updated 0, unchanged 0, rejected 5, invoices issued 0"
    assert await invoices(engine) == []


async def test_invoice_notices_go_to_registered_payers_by_their_settings(root: Container, engine: AsyncEngine) -> None:
    ivanov = await register(engine, 5001, "123/14")
    shmolina = await register(engine, 5002, "AM012345678/13")
    async with engine.begin() as conn:  # Шмолина switched invoice notices off
        await conn.execute(insert(NotificationSetting).values(account_id=shmolina, kind="invoices", enabled=False))
    await root.billing.issue_from_bills(DATA / "bills.csv", ISSUED_ON)
    wife, son = await person_id(engine, "АМ012345682/13"), await person_id(engine, "АМ012345683/13")
    own = await person_id(engine, "123/14")
    # Семёнова has no account: no notice. Иванов pays his, his wife's (PAID from the deposit) and his son's.
    assert await outbox(engine) == [
        (
            5001,
            "invoice_issued",
            {"invoice": "2026/10/1", "person_id": own, "total": 80, "due_on": "2026-11-13", "status": "new"},
        ),
        (
            5001,
            "invoice_issued",
            {"invoice": "2026/10/2", "person_id": wife, "total": 0, "due_on": "2026-11-13", "status": "paid"},
        ),
        (
            5001,
            "invoice_issued",
            {"invoice": "2026/10/3", "person_id": son, "total": 40000, "due_on": "2026-11-13", "status": "new"},
        ),
    ]

    # "No" to the notifications consent turns invoice notices off.
    async with engine.begin() as conn:
        await conn.execute(
            insert(Consent).values(
                account_id=ivanov, kind="notifications", version="1", granted=False, at=datetime(2026, 9, 2, tzinfo=UTC)
            )
        )
    report = await root.billing.issue_from_bills(bills(prefix="N-", only=("B-0001",)), ISSUED_ON, filename="b.csv")
    assert report.invoices == ("2026/10/6",)
    assert len(await outbox(engine)) == 3


async def test_daily_job_marks_restricts_restores_and_is_idempotent(root: Container, engine: AsyncEngine) -> None:
    await register(engine, 5001, "123/14")
    billing = root.billing
    await billing.issue_from_bills(DATA / "bills.csv", ISSUED_ON)
    own, son = await person_id(engine, "123/14"), await person_id(engine, "АМ012345683/13")
    shmolina = await person_id(engine, "AM012345678/13")

    nothing = await billing.run_daily(DUE_ON)  # the due date is the last day to pay
    assert (nothing.overdue, nothing.restricted, nothing.restored) == ((), (), ())

    day = date(2026, 11, 14)
    first = await billing.run_daily(day)
    assert first.overdue == ("2026/10/1", "2026/10/3", "2026/10/4")
    assert sorted(first.restricted) == sorted([own, son, shmolina]) and first.restored == ()
    assert first.summary() == "2026-11-14: overdue 3, restricted 3, restored 0, notices 2"
    assert await billing.overdue_people([own, son, shmolina]) == {own, son, shmolina}
    second = await billing.run_daily(day)
    assert (second.overdue, second.restricted, second.restored, second.notices) == ((), (), (), 0)
    restricted = [(n[1], n[2]) for n in await outbox(engine) if n[1] == "access_restricted"]
    assert restricted == [
        (
            "access_restricted",
            {"person_id": own, "rule": "franchise", "since": "2026-11-14", "invoices": ["2026/10/1"]},
        ),
        (
            "access_restricted",
            {"person_id": son, "rule": "franchise", "since": "2026-11-14", "invoices": ["2026/10/3"]},
        ),
    ]

    # The son's invoice settled (the payments issue will do this): restored by the next run, with a notice.
    async with engine.begin() as conn:
        await conn.execute(update(Invoice).where(Invoice.number == "2026/10/3").values(status="paid"))
    later = await billing.run_daily(date(2026, 11, 20))
    assert later.restored == (son,) and later.overdue == () and later.restricted == ()
    assert (await outbox(engine))[-1] == (5001, "access_restored", {"person_id": son, "on": "2026-11-20"})
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                select(AccessRestriction.person_id, AccessRestriction.since, AccessRestriction.restored_on).order_by(
                    AccessRestriction.id
                )
            )
        ).all()
    assert sorted(rows) == sorted([(own, day, None), (son, day, date(2026, 11, 20)), (shmolina, day, None)])
    assert (await billing.run_daily(date(2026, 11, 20))).notices == 0


async def test_numbering_is_gap_free_with_two_imports_at_once_on_postgres(postgres_url: str) -> None:
    async with (
        root_with_samples(postgres_url, ISSUED_ON) as first,
        container(settings_for(postgres_url, bot_today=ISSUED_ON)) as second,
    ):
        for month in (10, 11, 12):
            issued_on = date(2026, month, 1)
            # One invoice first: the month's counter row exists, so only its row lock orders the two below.
            opening = bills(prefix=f"{month}-", only=("B-0007",))
            assert (await first.billing.issue_from_bills(opening, issued_on, filename="o.csv")).invoices_issued == 1
            family = bills(prefix=f"{month}A-", only=("B-0001", "B-0002", "B-0003", "B-0004", "B-0005"))
            others = bills(prefix=f"{month}B-", only=("B-0006",))
            reports = await asyncio.gather(
                first.billing.issue_from_bills(family, issued_on, filename="a.csv"),
                second.billing.issue_from_bills(others, issued_on, filename="b.csv"),
            )
            assert [r.invoices_issued for r in reports] == [3, 1]
        numbers = [row[0] for row in await invoices(first.engine)]
        assert len(set(numbers)) == len(numbers) == 15
        for month in (10, 11, 12):
            assert sorted(parse_number(n)[2] for n in numbers if parse_number(n)[1] == month) == [1, 2, 3, 4, 5]
        # The deposit is used once, whichever import came first.
        async with first.engine.connect() as conn:
            assert (await conn.execute(select(DepositUse.amount_kopecks))).scalars().all() == [50000]


def parse(command, *argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    command.add_parser(parser.add_subparsers())
    return parser.parse_args([*map(str, argv)])


async def test_the_commands(engine: AsyncEngine, sqlite_url: str, capsys: pytest.CaptureFixture) -> None:
    settings = Settings(database_url=sqlite_url, bot_today=date(2026, 10, 5))
    args = parse(importing, "import", "bills", DATA / "bills.csv", "--issued-on", "2026-10-01")
    assert await importing.run(args, settings) == 0
    assert await importing.run(parse(importing, "import", "bills", DATA / "bills.csv"), settings) == 0
    assert await jobs.run_daily(parse(jobs, "jobs", "run-daily", "--today", "2026-11-14"), settings) == 0
    assert await jobs.run_daily(parse(jobs, "jobs", "run-daily", "--today", "2026-11-14"), settings) == 0
    assert capsys.readouterr().out.splitlines() == [
        "imported 8, updated 0, unchanged 0, rejected 0, invoices issued 5",
        "imported 0, updated 0, unchanged 8, rejected 0, invoices issued 0",
        "2026-11-14: overdue 3, restricted 3, restored 0, notices 0",
        "2026-11-14: overdue 0, restricted 0, restored 0, notices 0",
    ]
    assert (await invoices(engine))[0][:2] == ("2026/10/1", "12314")
