"""Two bills imports of the same lines at once on SQLite. Each reads and stages its file before it takes
the database's write lock, so the one that takes it second finds lines it staged as new stored by the
other meanwhile: it reads its file again under the lock, and finds them unchanged. One set of invoices,
no line stored twice."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from core.db.models import BillLine, Invoice
from tests.core.test_billing_storage import ISSUED_ON, bills, engine, root

__all__ = ["engine", "root"]  # the fixtures


async def test_two_imports_of_the_same_lines_at_once_issue_them_once(root, engine) -> None:
    root.billing.chunk = 2  # many turns of the event loop: the two imports read their files side by side
    file = bills()
    reports = await asyncio.gather(
        root.billing.issue_from_bills(file, ISSUED_ON, filename="a.csv"),
        root.billing.issue_from_bills(file, ISSUED_ON, filename="b.csv"),
    )
    assert sorted(report.summary() for report in reports) == [
        "imported 0, updated 0, unchanged 8, rejected 0, invoices issued 0",
        "imported 8, updated 0, unchanged 0, rejected 0, invoices issued 5",
    ]
    async with engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(BillLine)) == 8
        assert await conn.scalar(select(func.count()).select_from(Invoice)) == 5
