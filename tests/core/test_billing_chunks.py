"""A bills file read, checked and stored a chunk of rows at a time (core/services/billing.py `CHUNK`) does
exactly what one chunk would: the same report (issues in line order, to the sink too), the same lines,
invoices, deposit uses and notices, on SQLite and PostgreSQL. The repeats of a line id across chunks are
compared with their first occurrence, stored (staged) or rejected."""

from __future__ import annotations

import gc
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from core.db import bill_lines
from core.db.models import (
    AuditEvent,
    BillLine,
    ChildLink,
    DepositUse,
    InsuredPerson,
    Invoice,
    InvoiceCounter,
    OutboxMessage,
)
from core.services import billing
from core.services.billing import bills
from core.services.importing import COMMAND_LINE, RowIssue, UnreadableFile
from tests.conftest import fresh_postgres_database
from tests.core.import_fixtures import root_with_samples
from tests.core.test_billing_storage import ISSUED_ON, person_id, register

HEADER = "bill_line_id;policy_number;clinic_id;service_date;service_code;service_name;quantity;unit_price\n"
# The sample bills, with repeats and bad rows among them (line numbers as a spreadsheet shows them).
MIXED = HEADER + "".join(
    row + "\n"
    for row in (
        "B-0001;123/14;C003;17.09.2026;A02.26.004;Закапывание в глаза;1;1,00",  # 2
        "X-1;NOPE/1;C003;17.09.2026;;Прием;1;100.00",  # 3 unknown policy
        "B-0002;123/14;C003;17.09.2026;A02.31.001;Измерение температуры;1;1.00",  # 4
        "X-1;NOPE/1;C003;17.09.2026;;Прием;1;100.00",  # 5 the same as line 3: unchanged
        "B-0001;123/14;C003;17.09.2026;A02.26.004;Закапывание в глаза;1;1,00",  # 6 the same as line 2: unchanged
        "B-0002;123/14;C003;17.09.2026;A02.31.001;Измерение температуры;2;1.00",  # 7 line 4 changed: already billed
        "X-2;123/14;C003;17.09.2026;;Прием;0;1.00",  # 8 a bad cell
        "X-3;123/14;C999;17.09.2026;;Прием;1;1.00",  # 9 unknown clinic
        "X-1;123/14;C003;17.09.2026;;Прием;1;100.00",  # 10 line 3 changed: already billed
        "B-0003;123/14;C001;17.09.2026;B01.047.003;Прием врача (терапевта, педиатра), к.м.н. на дому;2;1.00",
        "B-0004;АМ012345682/13;C001;20.09.2026;B01.047.001;Прием врача-терапевта первичный;1;2500.00",
        "B-0005;АМ012345683/13;C004;21.09.2026;B01.031.001;Прием врача-педиатра первичный;1;1999.99",
        "X-4;123/14;C001;05.10.2026;;Прием;1;1.00",  # 14 after the issue date
        "B-0006;AM012345678/13;C003;25.09.2026;A16.07.002;Восстановление зуба пломбой;3;4333.33",
        "B-0007;АМ012345681/13;C001;26.09.2026;B03.016.003;Общий (клинический) анализ крови;1;780.50",
        "B-0008;АМ012345684/13;C002;01.10.2025;B01.047.001;Прием врача-терапевта первичный;1;2500.00",  # zero co-pay
        "X-5;;C001;xx.10.2026;;Прием;1;1.0.0",  # 18 three bad cells
        "B-0007;АМ012345681/13;C001;26.09.2026;B03.016.003;Общий (клинический) анализ крови;1;780.50",  # 19 unchanged
        "X-6;АМ012345684/13;C002;01.10.2026;;Прием;1;5.00",  # 20 outside the policy
        "X-7;123/14;C003;17.09.2026;;Прием;1;0",  # 21 a free service: stored, never invoiced
        "X-8;АМ012345689/13;C001;20.09.2026;;Прием;1;100.00",  # 22 a child the parent added: the parent pays
    )
)
EXPECTED_LINES = [
    "line 3: policy_number: unknown policy NOPE1",
    "line 7: bill_line_id: already billed: a correction comes as a new line",
    "line 8: quantity: 0 is out of range 1–100000",
    "line 9: clinic_id: unknown clinic C999",
    "line 10: bill_line_id: already billed: a correction comes as a new line",
    "line 14: service_date: service date 05.10.2026 after the issue date 01.10.2026",
    "line 18: policy_number: required value missing",
    "line 18: service_date: not a date xx.10.2026 (DD.MM.YYYY or YYYY-MM-DD)",
    "line 18: unit_price: not a number 1.0.0",
    "line 20: service_date: service date 01.10.2026 outside the policy's validity",
]


async def stored(engine: AsyncEngine) -> dict[str, list]:
    """What the import wrote, without the ids and instants a second database gives otherwise."""
    person = InsuredPerson
    lines = (
        select(
            BillLine.id,
            person.policy_key,
            BillLine.clinic_id,
            BillLine.service_date,
            BillLine.service_code,
            BillLine.service_name,
            BillLine.quantity,
            BillLine.unit_price_kopecks,
            BillLine.cost_kopecks,
            BillLine.copay_kopecks,
            BillLine.content_hash,
            Invoice.number,
        )
        .join(person, person.id == BillLine.person_id)
        .outerjoin(Invoice, Invoice.id == BillLine.invoice_id)
    )
    invoices = (
        select(
            Invoice.number,
            person.policy_key,
            Invoice.payer_person_id.is_not(None),
            Invoice.issued_on,
            Invoice.due_on,
            Invoice.copay_kopecks,
            Invoice.deposit_used_kopecks,
            Invoice.status,
        )
        .join(person, person.id == Invoice.person_id)
        .order_by(Invoice.id)
    )
    uses = select(DepositUse.deposit_reference, Invoice.number, DepositUse.amount_kopecks).join(
        Invoice, Invoice.id == DepositUse.invoice_id
    )
    counters = select(InvoiceCounter.month, InvoiceCounter.last_number).order_by(InvoiceCounter.month)
    outbox = select(OutboxMessage.kind, OutboxMessage.payload).order_by(OutboxMessage.id)
    audit = select(AuditEvent.details).where(AuditEvent.action == "bills.import").order_by(AuditEvent.id)
    async with engine.connect() as conn:
        return {
            "lines": sorted(tuple(row) for row in await conn.execute(lines)),
            "invoices": [tuple(row) for row in await conn.execute(invoices)],
            "uses": sorted(tuple(row) for row in await conn.execute(uses)),
            "counters": [tuple(row) for row in await conn.execute(counters)],
            "outbox": [(kind, payload["invoice"]) for kind, payload in await conn.execute(outbox)],
            "audit": list((await conn.execute(audit)).scalars()),
        }


async def run(url: str, chunk: int, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], str, tuple, dict]:
    monkeypatch.setattr(billing, "CHUNK", chunk)
    async with root_with_samples(url, ISSUED_ON) as root:
        engine = root.engine
        account = await register(engine, 5001, "123/14")
        child, parent = await person_id(engine, "АМ012345689/13"), await person_id(engine, "123/14")
        async with engine.begin() as conn:  # Иванов added his son Алексей (no holder on his row)
            await conn.execute(
                insert(ChildLink).values(
                    child_person_id=child,
                    parent_person_id=parent,
                    added_by_account_id=account,
                    added_at=datetime(2026, 9, 2, tzinfo=UTC),
                )
            )
        sunk: list[RowIssue] = []
        report = await root.billing.issue_from_bills(MIXED.encode(), ISSUED_ON, filename="b.csv", sink=sunk.append)
        assert [issue.line for issue in sunk] == sorted(issue.line for issue in sunk)  # in line order
        assert [issue.render() for issue in sunk] == report.lines()
        again = await root.billing.issue_from_bills(MIXED.encode(), ISSUED_ON, filename="b.csv")
        assert (again.invoices, again.imported, again.unchanged, again.rejected) == ((), 0, 13, 8)
        # Later, the line served after the first issue date may be billed: that one alone.
        later = await root.billing.issue_from_bills(MIXED.encode(), date(2026, 12, 1), filename="b.csv")
        assert (later.invoices, later.imported, later.rejected) == (("2026/12/1",), 1, 7)
        return report.lines(), report.summary(), report.invoices, await stored(engine)


@asynccontextmanager
async def fresh_sqlite(template: Path, path: Path) -> AsyncIterator[str]:
    shutil.copy(template, path)
    yield f"sqlite+aiosqlite:///{path}"


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_chunks_change_nothing(
    database: str, sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = []
    for chunk in (1, 2, 3, 5000):
        fresh = (
            fresh_sqlite(sqlite_template, tmp_path / f"{chunk}.sqlite3")
            if database == "sqlite"
            else (fresh_postgres_database())
        )
        with monkeypatch.context() as small:
            if chunk == 3:  # a chunk read in several slices, its lines staged by several INSERTs (SQLite)
                small.setattr(bills, "SLICE", 2)
                small.setattr(bill_lines, "SQLITE_VARIABLES", 2 * len(bill_lines.BillLineWriter.COLUMNS))
            async with fresh as url:
                results.append(await run(url, chunk, monkeypatch))
    lines, summary, invoices, rows = results[-1]
    assert lines == EXPECTED_LINES
    assert summary == "imported 10, updated 0, unchanged 3, rejected 8, invoices issued 6"
    assert invoices == ("2026/10/1", "2026/10/2", "2026/10/3", "2026/10/4", "2026/10/5", "2026/10/6")
    assert rows["counters"] == [("2026/10", 6), ("2026/12", 1)]
    assert rows["uses"] == [("D-2026-0001", "2026/10/2", 50000)]
    invoice_of = {line[0]: line[-1] for line in rows["lines"]}
    assert invoice_of.pop("X-4") == "2026/12/1"
    assert invoice_of == {
        "B-0001": "2026/10/1",
        "B-0002": "2026/10/1",
        "B-0003": "2026/10/1",
        "X-7": None,  # a free service
        "B-0004": "2026/10/2",
        "B-0005": "2026/10/3",
        "X-8": "2026/10/4",
        "B-0006": "2026/10/5",
        "B-0007": "2026/10/6",
        "B-0008": None,  # zero co-pay: stored, never invoiced
    }
    # Иванов, registered, pays his own invoice, his wife's, his sons': each told of; later, X-4's.
    assert rows["outbox"] == [
        ("invoice_issued", n) for n in ("2026/10/1", "2026/10/2", "2026/10/3", "2026/10/4", "2026/12/1")
    ]
    assert [audit["imported"] for audit in rows["audit"]] == [10, 0, 1]
    for other in results[:-1]:
        assert other == results[-1]


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_a_file_found_unreadable_after_some_chunks_leaves_nothing(
    database: str, sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows limit is passed (or the file turns out unreadable) after chunks were staged: the one
    transaction is rolled back, counter row included, and the connection serves the next import."""
    monkeypatch.setattr(billing, "CHUNK", 2)
    fresh = (
        fresh_sqlite(sqlite_template, tmp_path / "t.sqlite3") if database == "sqlite" else (fresh_postgres_database())
    )
    async with fresh as url, root_with_samples(url, ISSUED_ON) as root:
        engine = root.engine
        before = await stored(engine)
        with pytest.raises(UnreadableFile, match="rows limit"):
            await root.billing.issue_from_bills(
                MIXED.encode(), ISSUED_ON, filename="b.csv", limits=replace(COMMAND_LINE, rows=9)
            )
        assert await stored(engine) == before
        assert gc.isenabled()  # the collector, paused while the file was read, is back on
        report = await root.billing.issue_from_bills(MIXED.encode(), ISSUED_ON, filename="b.csv")
        assert report.summary() == "imported 10, updated 0, unchanged 3, rejected 8, invoices issued 6"
        assert gc.isenabled()


# Each line's id again on the very next row: the same (unchanged), then changed (already billed). A
# chunk's lookups run before the chunk just read is staged, so with one row a chunk the repeat is found
# among the lines kept in memory, not in the database.
NEXT_ROW_REPEATS = HEADER + "".join(
    row + "\n"
    for row in (
        "R-1;123/14;C003;17.09.2026;;Прием;1;10.00",  # 2
        "R-1;123/14;C003;17.09.2026;;Прием;1;10.00",  # 3 unchanged
        "R-1;123/14;C003;17.09.2026;;Прием;2;10.00",  # 4 already billed
        "R-2;123/14;C003;18.09.2026;;Прием;1;20.00",  # 5
        "R-2;123/14;C003;18.09.2026;;Прием;1;21.00",  # 6 already billed
        "R-3;123/14;C003;19.09.2026;;Прием;1;30.00",  # 7
        "R-3;123/14;C003;19.09.2026;;Прием;1;30.00",  # 8 unchanged
    )
)


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
@pytest.mark.parametrize("chunk", [1, 2])
async def test_a_line_repeated_on_the_next_row(
    database: str, chunk: int, sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(billing, "CHUNK", chunk)
    fresh = (
        fresh_sqlite(sqlite_template, tmp_path / "repeats.sqlite3")
        if database == "sqlite"
        else fresh_postgres_database()
    )
    async with fresh as url, root_with_samples(url, ISSUED_ON) as root:
        report = await root.billing.issue_from_bills(NEXT_ROW_REPEATS.encode(), ISSUED_ON, filename="b.csv")
        assert report.summary() == "imported 3, updated 0, unchanged 2, rejected 2, invoices issued 1"
        assert report.lines() == [
            "line 4: bill_line_id: already billed: a correction comes as a new line",
            "line 6: bill_line_id: already billed: a correction comes as a new line",
        ]
        async with root.engine.connect() as conn:
            rows = (await conn.execute(select(BillLine.id, BillLine.unit_price_kopecks).order_by(BillLine.id))).all()
        assert [tuple(row) for row in rows] == [("R-1", 1000), ("R-2", 2000), ("R-3", 3000)]
