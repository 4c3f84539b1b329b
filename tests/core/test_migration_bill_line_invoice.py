"""Migration 0030: on PostgreSQL the foreign key from a bill line to its invoice becomes deferrable, so
that a transaction may write a line before its invoice (what a bills import does), and the check still
holds at the commit; before it, and after its downgrade, it cannot be deferred. SQLite needs no change:
`PRAGMA defer_foreign_keys` defers any key for one transaction."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, create_async_engine

from core.db.bill_lines import INVOICE_FK
from core.db.migrate import alembic_config, upgrade
from core.db.models import Clinic, InsuredPerson, Program
from tests.conftest import fresh_postgres_database

AT = datetime(2026, 10, 1, 6, 0, tzinfo=UTC)


async def _person_and_clinic(url: str) -> None:
    engine = create_async_engine(url)
    async with AsyncSession(engine) as session:
        session.add_all(
            [Program(code="STD", name="S"), Clinic(id="C1", name="К", city="М", address="А", search_key="к")]
        )
        await session.flush()
        session.add(InsuredPerson(id=1, policy_key="12314", policy_number="123/14", last_name="И", first_name="И",
                                  last_name_key="и", first_name_key="и", birth_date=date(1980, 1, 1),
                                  program_code="STD", valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31),
                                  row_hash="0" * 32))  # fmt: skip
        await session.commit()
    await engine.dispose()


async def _line_then_invoice(conn: AsyncConnection, invoice_id: int, *, write_invoice: bool) -> None:
    """In the caller's transaction: a line of invoice `invoice_id`, then (or never) that invoice."""
    await conn.execute(text(f"SET CONSTRAINTS {INVOICE_FK} DEFERRED"))
    await conn.execute(
        text("INSERT INTO bill_lines (id, person_id, clinic_id, service_date, service_code, service_name, quantity, "
             "unit_price_kopecks, cost_kopecks, copay_kopecks, content_hash, invoice_id, imported_at) VALUES "
             "(:id, 1, 'C1', :day, '', 's', 1, 100, 100, 20, :hash, :invoice, :at)"),
        {"id": f"B-{invoice_id}", "day": date(2026, 9, 1), "hash": "0" * 32, "invoice": invoice_id, "at": AT},
    )  # fmt: skip
    if write_invoice:
        await conn.execute(
            text("INSERT INTO invoices (id, number, month, sequence, person_id, issued_on, due_on, copay_kopecks, "
                 "deposit_used_kopecks, credited_kopecks, paid_kopecks, refunded_kopecks, status, created_at, "
                 "updated_at) VALUES (:id, :number, '2026/10', :id, 1, :on, :on, 20, 0, 0, 0, 0, 'new', :at, :at)"),
            {"id": invoice_id, "number": f"2026/10/{invoice_id}", "on": date(2026, 10, 1), "at": AT},
        )  # fmt: skip


@pytest.fixture
async def before() -> AsyncIterator[str]:
    async with fresh_postgres_database("0029") as url:
        yield url


async def test_a_line_may_come_before_its_invoice_only_after_0030(before: str) -> None:
    engine = create_async_engine(before)
    try:
        await _person_and_clinic(before)
        with pytest.raises(DBAPIError, match="not deferrable"):
            async with engine.begin() as conn:
                await _line_then_invoice(conn, 1, write_invoice=True)

        await upgrade(before, "0030")
        async with engine.begin() as conn:
            await _line_then_invoice(conn, 1, write_invoice=True)
        with pytest.raises(IntegrityError, match=INVOICE_FK):  # checked at the commit all the same
            async with engine.begin() as conn:
                await _line_then_invoice(conn, 2, write_invoice=False)
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT id, invoice_id FROM bill_lines"))).all() == [("B-1", 1)]

        await asyncio.to_thread(command.downgrade, alembic_config(before), "0029")
        with pytest.raises(DBAPIError, match="not deferrable"):
            async with engine.begin() as conn:
                await _line_then_invoice(conn, 3, write_invoice=True)
    finally:
        await engine.dispose()
