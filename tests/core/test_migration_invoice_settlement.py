"""Migration 0021: invoices paid before it learn when and how from what is stored — a succeeded payment
(yookassa, its earliest settlement), else an accepted dispute (credit, its latest answer), else the deposit
(deposit, the issue time); a cancelled invoice its cancellation time. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import BigInteger, Date, Integer, String, column, insert, select, table
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from core.db.migrate import upgrade
from core.db.models import BillLine, Clinic, Dispute, InsuredPerson, Payment, PaymentInvoice, Program, UtcDateTime
from tests.conftest import fresh_postgres_database

BEFORE = "0020"
CREATED, UPDATED = datetime(2026, 9, 1, 7, 0, tzinfo=UTC), datetime(2026, 9, 20, 12, 0, tzinfo=UTC)

# invoices as revision 0020 has them (no settlement columns yet)
OLD_INVOICES = table(
    "invoices",
    column("id", Integer),
    column("number", String),
    column("month", String),
    column("sequence", Integer),
    column("person_id", Integer),
    column("payer_person_id", Integer),
    column("issued_on", Date),
    column("due_on", Date),
    column("copay_kopecks", BigInteger),
    column("deposit_used_kopecks", BigInteger),
    column("credited_kopecks", BigInteger),
    column("paid_kopecks", BigInteger),
    column("refunded_kopecks", BigInteger),
    column("status", String),
    column("created_at", UtcDateTime()),
    column("updated_at", UtcDateTime()),
)
SETTLEMENT = table(
    "invoices",
    column("id", Integer),
    column("paid_at", UtcDateTime()),
    column("paid_how", String),
    column("cancelled_at", UtcDateTime()),
)
STATUSES = {1: "paid", 2: "refunded", 3: "paid", 4: "paid", 5: "cancelled", 6: "new", 7: "paid"}


def at(hour: int, day: int = 10) -> datetime:
    return datetime(2026, 9, day, hour, 0, tzinfo=UTC)


@pytest.fixture
async def old_sqlite(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}"
    await upgrade(url, BEFORE)
    return url


@pytest.fixture
async def old_postgres() -> AsyncIterator[str]:
    async with fresh_postgres_database(BEFORE) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def old_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue({"sqlite": "old_sqlite", "postgres": "old_postgres"}[request.param])


def _payment(pid: int, status: str, settled: datetime | None) -> Payment:
    return Payment(id=pid, idempotence_key=f"k{pid}", invoice_set=f"s{pid}", attempt=1, payer_person_id=1,
                   telegram_id=5001, amount_kopecks=100, status=status, created_at=CREATED, updated_at=UPDATED,
                   settled_at=settled)  # fmt: skip


def _dispute(did: int, invoice: int, status: str, answered: datetime | None) -> Dispute:
    return Dispute(id=did, invoice_id=invoice, bill_line_id=f"B-{invoice}", opened_by_telegram_id=5001, reason="r",
                   opened_at=CREATED, opened_on=date(2026, 9, 1), deadline=date(2026, 9, 16), status=status,
                   answered_at=answered)  # fmt: skip


async def fill_before(url: str) -> None:
    engine = create_async_engine(url)
    async with AsyncSession(engine) as session:
        session.add_all([Program(code="STD", name="Стандарт"), Clinic(id="C1", name="К", city="М", address="А",
                                                                       search_key="к м")])  # fmt: skip
        await session.flush()
        session.add(InsuredPerson(id=1, policy_key="12314", policy_number="123/14", last_name="Иванов",
                                  first_name="Иван", last_name_key="иванов", first_name_key="иван",
                                  birth_date=date(1980, 1, 1), program_code="STD", valid_from=date(2026, 1, 1),
                                  valid_to=date(2026, 12, 31), row_hash="0" * 32))  # fmt: skip
        await session.flush()
        await session.execute(
            insert(OLD_INVOICES),
            [
                {"id": n, "number": f"2026/09/{n}", "month": "2026/09", "sequence": n, "person_id": 1,
                 "payer_person_id": 1, "issued_on": date(2026, 9, 1), "due_on": date(2026, 10, 13),
                 "copay_kopecks": 100, "deposit_used_kopecks": 0, "credited_kopecks": 0, "paid_kopecks": 0,
                 "refunded_kopecks": 0, "status": status, "created_at": CREATED, "updated_at": UPDATED}
                for n, status in STATUSES.items()
            ],
        )  # fmt: skip
        session.add_all(
            [
                _payment(1, "succeeded", at(10)),
                _payment(2, "succeeded", at(9)),  # the earlier of two payments of invoice 1
                _payment(3, "canceled", at(8)),
                _payment(4, "succeeded", None),  # settled before the time was kept
                _payment(5, "canceled", None),
                _payment(6, "succeeded", at(11, day=12)),
                *[BillLine(id=f"B-{n}", person_id=1, clinic_id="C1", service_date=date(2026, 8, 20),
                           service_name="s", quantity=1, unit_price_kopecks=100, cost_kopecks=100, copay_kopecks=20,
                           content_hash="0" * 32, invoice_id=n, imported_at=CREATED) for n in (3, 4, 7)],
            ]
        )  # fmt: skip
        await session.flush()
        session.add_all(
            [
                PaymentInvoice(payment_id=1, invoice_id=1, amount_kopecks=100),
                PaymentInvoice(payment_id=2, invoice_id=1, amount_kopecks=100),
                PaymentInvoice(payment_id=3, invoice_id=1, amount_kopecks=100),
                PaymentInvoice(payment_id=4, invoice_id=2, amount_kopecks=100),
                PaymentInvoice(payment_id=5, invoice_id=4, amount_kopecks=100),  # cancelled: not how it was paid
                PaymentInvoice(payment_id=6, invoice_id=7, amount_kopecks=100),
                _dispute(1, 3, "accepted", at(10, day=5)),
                _dispute(2, 3, "accepted", at(10, day=6)),
                _dispute(3, 3, "rejected", at(10, day=7)),
                _dispute(4, 4, "rejected", at(10, day=8)),
                _dispute(5, 7, "accepted", at(10, day=3)),  # paid by a payment too: the payment says how
            ]
        )
        await session.commit()
    await engine.dispose()


async def test_paid_invoices_read_how_and_when_back(old_url: str) -> None:
    await fill_before(old_url)
    await upgrade(old_url, "0021")
    engine = create_async_engine(old_url)
    async with engine.connect() as conn:
        rows = (await conn.execute(select(SETTLEMENT).order_by(SETTLEMENT.c.id))).all()
    await engine.dispose()
    assert [tuple(row) for row in rows] == [
        (1, at(9), "yookassa", None),
        (2, UPDATED, "yookassa", None),  # no settlement time stored: its last change
        (3, at(10, day=6), "credit", None),
        (4, CREATED, "deposit", None),
        (5, None, None, UPDATED),
        (6, None, None, None),
        (7, at(11, day=12), "yookassa", None),
    ]
