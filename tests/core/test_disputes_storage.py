"""Disputes stored (core/services/disputes.py) on the sample bills issued 01.10.2026: Иванов (123/14) pays
his own 2026/10/1 (B-0001 0.20, B-0002 0.20, B-0003 0.40), his wife's 2026/10/2 (PAID from the deposit)
and his son's 2026/10/3 (B-0005, 400.00); Шмолина's 2026/10/4 (B-0006) is not his. All due 13.11.2026.

Opening holds the invoice (DISPUTED: not selectable, left alone by the daily job); accepting credits the
line (NEW with the smaller total, PAID when nothing is left); rejecting returns it to NEW or OVERDUE with
the due date moved by the days held; refusals are data; the answer writes a notice to the payer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from core.billing.disputes import DisputeRefusal, DisputeStatus
from core.billing.status import InvoiceStatus
from core.bootstrap import Container
from core.db.models import AuditEvent, Dispute, Invoice, OutboxMessage
from core.errors import InputError
from core.services.disputes import NOT_FOUND
from core.services.viewers import Viewer
from tests.core.import_fixtures import DATA, root_with_samples
from tests.core.test_billing_storage import ISSUED_ON, person_id, register
from tests.roots import on

STAFF = 9001


async def invoice(engine: AsyncEngine, number: str) -> Invoice:
    async with engine.connect() as conn:
        return (await conn.execute(select(Invoice).where(Invoice.number == number))).one()


@asynccontextmanager
async def billed(url: str, **values: object) -> AsyncIterator[Container]:
    """The root on the samples with the sample bills issued; `values`: settings (who the staff are)."""
    async with root_with_samples(url, ISSUED_ON, **values) as root:
        await root.billing.issue_from_bills(DATA / "bills.csv", ISSUED_ON)
        yield root


@pytest.fixture
async def root(sqlite_url: str) -> AsyncIterator[Container]:
    async with billed(sqlite_url, support_ids=[STAFF]) as root:
        yield root


@pytest.fixture
def engine(root: Container) -> AsyncEngine:
    return root.engine


@pytest.fixture
async def ivanov(engine: AsyncEngine) -> Viewer:
    account = await register(engine, 5001, "123/14")
    return Viewer(telegram_id=5001, account_id=account, person_id=await person_id(engine, "123/14"))


async def test_an_open_dispute_holds_the_invoice(root: Container, engine: AsyncEngine, ivanov: Viewer) -> None:
    son = (await invoice(engine, "2026/10/3")).id
    opened = await on(root, date(2026, 11, 10)).disputes.open(ivanov, son, "B-0005", "  Приёма\x00 не было  ")
    assert opened.refusal is None and opened.invoice_status == InvoiceStatus.DISPUTED
    record = opened.dispute
    assert (record.invoice_number, record.line_id, record.status) == ("2026/10/3", "B-0005", DisputeStatus.OPEN)
    assert record.reason == "Приёма не было"  # control characters dropped, trimmed
    assert (record.opened_on, record.deadline, record.late) == (date(2026, 11, 10), date(2026, 11, 25), False)
    assert (await invoice(engine, "2026/10/3")).status == "disputed"

    summary = await on(root, date(2026, 11, 10)).invoices.summary(ivanov, son)
    assert summary.status == InvoiceStatus.DISPUTED and not summary.selectable
    report = await on(root, date(2026, 11, 20)).billing.run_daily(date(2026, 11, 20))  # past the due date
    assert "2026/10/3" not in report.overdue and "2026/10/1" in report.overdue
    assert (await invoice(engine, "2026/10/3")).status == "disputed"

    listed = await on(root, date(2026, 11, 26)).disputes.of_viewer(ivanov, open_only=True)
    assert [(d.invoice_number, d.late) for d in listed] == [("2026/10/3", True)]  # past 25.11: late
    by_line = await on(root, date(2026, 11, 25)).disputes.of_invoice(ivanov, son)
    assert by_line["B-0005"].late is False  # the deadline day itself is not late
    async with engine.connect() as conn:
        events = (
            await conn.execute(
                select(AuditEvent.action, AuditEvent.object_id, AuditEvent.details).where(
                    AuditEvent.action == "dispute.opened"
                )
            )
        ).all()
    assert events == [("dispute.opened", str(record.dispute_id), {"invoice": son})]  # no reason text


async def test_accepted_credits_the_line(root: Container, engine: AsyncEngine, ivanov: Viewer) -> None:
    own, son = (await invoice(engine, "2026/10/1")).id, (await invoice(engine, "2026/10/3")).id
    opened = await on(root, date(2026, 11, 3)).disputes.open(ivanov, own, "B-0003", "Был один приём, не два")
    first = opened.dispute.dispute_id
    answered = await on(root, date(2026, 11, 10)).disputes.answer(STAFF, first, True, "Верно")
    assert answered.refusal is None and answered.invoice_status == InvoiceStatus.NEW
    assert answered.dispute.status == DisputeStatus.ACCEPTED and answered.dispute.answer == "Верно"
    row = await invoice(engine, "2026/10/1")
    assert (row.status, row.credited_kopecks, row.due_on) == ("new", 40, date(2026, 11, 20))  # 13.11 + 7 days
    summary = await on(root, date(2026, 11, 10)).invoices.summary(ivanov, own)
    assert summary.total == 40 and summary.selectable
    # The credited line cannot be disputed again.
    again = await on(root, date(2026, 11, 11)).disputes.open(ivanov, own, "B-0003", "Ещё раз")
    assert again.refusal == DisputeRefusal.ALREADY_CREDITED

    opened = await on(root, date(2026, 11, 3)).disputes.open(ivanov, son, "B-0005", "Не был у педиатра")
    second = opened.dispute.dispute_id
    answered = await on(root, date(2026, 11, 4)).disputes.answer(STAFF, second, True, "")
    assert answered.invoice_status == InvoiceStatus.PAID  # nothing left to pay
    row = await invoice(engine, "2026/10/3")
    assert (row.status, row.credited_kopecks) == ("paid", 40000)

    async with engine.connect() as conn:
        notices = (
            await conn.execute(
                select(OutboxMessage.telegram_id, OutboxMessage.kind, OutboxMessage.payload)
                .where(OutboxMessage.kind == "dispute_answered")
                .order_by(OutboxMessage.id)
            )
        ).all()
    own_person, son_person = await person_id(engine, "123/14"), await person_id(engine, "АМ012345683/13")
    assert notices == [
        (
            5001,
            "dispute_answered",
            {
                "person_id": own_person,
                "invoice": "2026/10/1",
                "accepted": True,
                "status": "new",
                "total": 40,
                "due_on": "2026-11-20",
                "dispute_id": first,
            },
        ),
        (
            5001,
            "dispute_answered",
            {
                "person_id": son_person,
                "invoice": "2026/10/3",
                "accepted": True,
                "status": "paid",
                "total": 0,
                "due_on": "2026-11-14",
                "dispute_id": second,
            },
        ),
    ]


async def test_rejected_returns_with_the_due_date_moved(root: Container, engine: AsyncEngine, ivanov: Viewer) -> None:
    own, son = (await invoice(engine, "2026/10/1")).id, (await invoice(engine, "2026/10/3")).id
    # Held 10 days from 10.11: due 23.11, answered on 20.11 → NEW.
    opened = await on(root, date(2026, 11, 10)).disputes.open(ivanov, son, "B-0005", "Не был")
    answered = await on(root, date(2026, 11, 20)).disputes.answer(STAFF, opened.dispute.dispute_id, False, "Был")
    assert answered.invoice_status == InvoiceStatus.NEW and answered.dispute.status == DisputeStatus.REJECTED
    row = await invoice(engine, "2026/10/3")
    assert (row.status, row.due_on, row.credited_kopecks) == ("new", date(2026, 11, 23), 0)

    # Overdue first (the day after 13.11), held 5 days from 15.11: due 18.11, answered on 20.11 → OVERDUE.
    await on(root, date(2026, 11, 14)).billing.run_daily(date(2026, 11, 14))
    assert (await invoice(engine, "2026/10/1")).status == "overdue"
    opened = await on(root, date(2026, 11, 15)).disputes.open(ivanov, own, "B-0001", "Не закапывали")
    assert opened.refusal is None
    answered = await on(root, date(2026, 11, 20)).disputes.answer(STAFF, opened.dispute.dispute_id, False, "")
    assert answered.invoice_status == InvoiceStatus.OVERDUE
    row = await invoice(engine, "2026/10/1")
    assert (row.status, row.due_on) == ("overdue", date(2026, 11, 18))
    # A rejected dispute may be answered only once.
    twice = await on(root, date(2026, 11, 21)).disputes.answer(STAFF, opened.dispute.dispute_id, True, "")
    assert twice.refusal == DisputeRefusal.NOT_OPEN


async def test_refusals(root: Container, engine: AsyncEngine, ivanov: Viewer) -> None:
    today = date(2026, 11, 5)
    service_ = on(root, today).disputes
    own, wife, shmolina = [(await invoice(engine, n)).id for n in ("2026/10/1", "2026/10/2", "2026/10/4")]
    assert (await service_.open(ivanov, shmolina, "B-0006", "Чужой")).refusal == NOT_FOUND  # someone else's
    assert (await service_.open(ivanov, 999_999, "B-0001", "Нет такого")).refusal == NOT_FOUND
    assert (await service_.open(ivanov, wife, "B-0004", "Оплачен")).refusal == DisputeRefusal.NOT_DISPUTABLE
    assert (await service_.open(ivanov, own, "B-0006", "Чужая строка")).refusal == DisputeRefusal.NO_SUCH_LINE
    assert (await service_.open(ivanov, own, "B-0009", "Нет строки")).refusal == DisputeRefusal.NO_SUCH_LINE
    assert (await service_.open(Viewer(telegram_id=1), own, "B-0001", "Без полиса")).refusal == NOT_FOUND
    for reason, code in (("  \x07 ", "request.empty"), ("я" * 2001, "request.too_long")):
        with pytest.raises(InputError) as error:
            await service_.open(ivanov, own, "B-0001", reason)
        assert error.value.code == code
    assert (await invoice(engine, "2026/10/1")).status == "new"  # nothing held by a refused one

    first = await service_.open(ivanov, own, "B-0001", "Первый")
    assert first.refusal is None
    # The invoice is held: a second line of it cannot be disputed until the answer.
    assert (await service_.open(ivanov, own, "B-0002", "Второй")).refusal == DisputeRefusal.NOT_DISPUTABLE
    assert (await service_.answer(STAFF, 999_999, True, "")).refusal == NOT_FOUND
    early = await on(root, today).disputes.answer(STAFF, first.dispute.dispute_id, True, "", date(2026, 11, 1))
    assert early.refusal == "answered_early"
    async with engine.connect() as conn:
        assert await conn.scalar(select(Dispute.status).where(Dispute.id == first.dispute.dispute_id)) == "open"
        assert not (await conn.execute(select(OutboxMessage).where(OutboxMessage.kind == "dispute_answered"))).all()


async def test_on_postgres_two_disputes_of_one_invoice_at_once_give_one(postgres_url: str) -> None:
    """The invoice row is locked (`FOR UPDATE`) and moved only from the status read: one dispute wins."""
    async with billed(postgres_url, support_ids=[STAFF]) as root:
        engine = root.engine
        account = await register(engine, 5001, "123/14")
        viewer = Viewer(telegram_id=5001, account_id=account, person_id=await person_id(engine, "123/14"))
        own = (await invoice(engine, "2026/10/1")).id
        today = date(2026, 11, 5)
        results = await asyncio.gather(
            on(root, today).disputes.open(viewer, own, "B-0001", "Первый"),
            on(root, today).disputes.open(viewer, own, "B-0002", "Второй"),
        )
        outcomes = sorted(r.refusal or "opened" for r in results)
        assert outcomes[1] == "opened" and outcomes[0] in ("changed", "not_disputable"), outcomes
        opened = next(r for r in results if r.refusal is None)
        answered = await on(root, date(2026, 11, 6)).disputes.answer(STAFF, opened.dispute.dispute_id, True, "Да")
        assert answered.invoice_status == InvoiceStatus.NEW
        row = await invoice(engine, "2026/10/1")
        assert (row.status, row.credited_kopecks, row.due_on) == ("new", 20, date(2026, 11, 14))


async def test_disputing_the_last_overdue_invoice_restores_access_at_once(
    root: Container, engine: AsyncEngine, ivanov: Viewer
) -> None:
    """The son's invoice overdue (restricted); a dispute holds it, so nothing of his is overdue: restored
    there and then, not the next morning. Rejected later, past its moved due date: the next daily job
    restricts again."""
    from core.db.models import AccessRestriction

    await on(root, date(2026, 11, 14)).billing.run_daily(date(2026, 11, 14))
    son_person = await person_id(engine, "АМ012345683/13")

    async def open_restriction() -> bool:
        async with engine.connect() as conn:
            return bool(
                await conn.scalar(
                    select(AccessRestriction.id).where(
                        AccessRestriction.person_id == son_person, AccessRestriction.restored_on.is_(None)
                    )
                )
            )

    assert await open_restriction()
    son = (await invoice(engine, "2026/10/3")).id
    opened = await on(root, date(2026, 11, 16)).disputes.open(ivanov, son, "B-0005", "Не был у педиатра")
    assert opened.refusal is None and not await open_restriction()
    async with engine.connect() as conn:
        kinds = list(await conn.scalars(select(OutboxMessage.kind).where(OutboxMessage.kind == "access_restored")))
    assert len(kinds) == 1
    await on(root, date(2026, 11, 20)).disputes.answer(STAFF, opened.dispute.dispute_id, False, "Приём был")
    assert (await invoice(engine, "2026/10/3")).due_on == date(2026, 11, 17)  # 13.11 + 4 days held
    assert not await open_restriction()  # overdue again, but restriction is the daily job's
    await on(root, date(2026, 11, 21)).billing.run_daily(date(2026, 11, 21))
    assert await open_restriction()
