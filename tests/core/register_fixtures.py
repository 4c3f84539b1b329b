"""A database with known rows of every register (`fill`), and the rows each export must give since SINCE
(`EXPECTED`), as typed cells: the oracle the CSV and XLSX files are read back against.

SINCE is 01.10.2026; in Moscow that day starts at 2026-09-30 21:00 UTC, so a timestamp from then is in.
Each kind has rows entirely before it (left out), a row kept by one late moment only (a payment created
before and settled after; a refund or request changed after), and text that looks like a formula."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from core.db.models import (
    AccessRestriction,
    Account,
    BillLine,
    Clinic,
    Dispute,
    FranchiseActivation,
    InsuredPerson,
    Invoice,
    Payment,
    PaymentInvoice,
    Program,
    Refund,
    RefundInvoice,
    UserRequest,
)

SINCE = date(2026, 10, 1)
STAFF = 9001
D = date.fromisoformat
M = Decimal


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _person(pid: int, policy: str, last: str, category: str = "employee") -> InsuredPerson:
    return InsuredPerson(
        id=pid,
        policy_key=policy.replace("/", "").replace("-", ""),
        policy_number=policy,
        last_name=last,
        first_name="Анна",
        last_name_key=last.lower(),
        first_name_key="анна",
        birth_date=D("1980-01-01"),
        category=category,
        program_code="STD",
        valid_from=D("2026-01-01"),
        valid_to=D("2026-12-31"),
        row_hash="0" * 32,
    )


def _invoice(
    iid: int,
    number: str,
    person: int,
    payer: int | None,
    issued: str,
    due: str,
    copay: int,
    status: str,
    created: str,
    updated: str,
    **values: object,
) -> Invoice:
    return Invoice(
        id=iid,
        number=number,
        month=number[:7],
        sequence=int(number[8:]),
        person_id=person,
        payer_person_id=payer,
        issued_on=D(issued),
        due_on=D(due),
        copay_kopecks=copay,
        status=status,
        created_at=t(created),
        updated_at=t(updated),
        **values,
    )


def _payment(
    pid: int,
    provider: str | None,
    payer: int,
    amount: int,
    status: str,
    created: str,
    updated: str,
    settled: str | None = None,
    refunded: int = 0,
    kind: str = "invoices",
) -> Payment:
    return Payment(
        id=pid,
        idempotence_key=f"key-{pid}",
        invoice_set=f"set-{pid}",
        attempt=1,
        payer_person_id=payer,
        telegram_id=5001,
        amount_kopecks=amount,
        status=status,
        provider_id=provider,
        refunded_kopecks=refunded,
        created_at=t(created),
        updated_at=t(updated),
        settled_at=t(settled) if settled else None,
        kind=kind,
    )


def _refund(
    rid: int,
    payment: int,
    provider: str | None,
    amount: int,
    reason: str,
    status: str,
    created: str,
    updated: str,
    staff: int | None = None,
) -> Refund:
    return Refund(
        id=rid,
        payment_id=payment,
        idempotence_key=f"refund-{rid}",
        provider_id=provider,
        amount_kopecks=amount,
        reason=reason,
        status=status,
        requested_by_telegram_id=staff,
        created_at=t(created),
        updated_at=t(updated),
    )


def rows() -> list[list[object]]:
    """Every stored row, in the order their foreign keys need (each list flushed before the next)."""
    people = [
        _person(1, "123/14", "Иванова"),
        _person(2, "-77/1", "Петрова", "relative"),
        _person(3, "555/5", "Сидоров"),
    ]
    invoices = [
        _invoice(
            1,
            "2026/09/1",
            1,
            1,
            "2026-09-01",
            "2026-10-13",
            150050,
            "paid",
            "2026-09-01T07:00",
            "2026-10-01T09:00",
            paid_kopecks=150050,
            paid_at=t("2026-10-01T09:00"),
            paid_how="yookassa",
        ),
        _invoice(
            2,
            "2026/09/2",
            2,
            1,
            "2026-09-01",
            "2026-10-13",
            50000,
            "paid",
            "2026-09-01T07:00",
            "2026-10-02T10:00",
            deposit_used_kopecks=20000,
            credited_kopecks=5000,
            paid_at=t("2026-10-02T10:00"),
            paid_how="offline",
            offline_reference='=HYPERLINK("http://x")',
        ),
        _invoice(
            3,
            "2026/09/3",
            3,
            None,
            "2026-09-01",
            "2026-10-13",
            10000,
            "cancelled",
            "2026-09-01T07:00",
            "2026-10-03T08:00",
            cancelled_at=t("2026-10-03T08:00"),
            cancel_reason="-duplicate bill",
        ),
        _invoice(
            4,
            "2026/08/1",
            2,
            1,
            "2026-08-03",
            "2026-09-14",
            30000,
            "paid",
            "2026-08-03T06:00",
            "2026-08-03T06:00",
            deposit_used_kopecks=30000,
            paid_at=t("2026-08-03T06:00"),
            paid_how="deposit",
        ),
        _invoice(
            5, "2026/10/1", 1, 1, "2026-10-01", "2026-11-13", 70000, "pending", "2026-09-30T21:05", "2026-09-30T21:30"
        ),
    ]
    payments = [
        _payment(1, "pay-1", 1, 175050, "succeeded", "2026-09-30T20:00", "2026-10-01T09:00", "2026-10-01T09:00", 20000),
        _payment(2, "pay-2", 2, 70000, "canceled", "2026-09-20T10:00", "2026-10-02T10:00"),  # cancelled after
        _payment(3, None, 1, 70000, "pending", "2026-09-30T21:30", "2026-09-30T21:30"),  # 00:30 in Moscow
        _payment(4, "pay-4", 1, 30000, "succeeded", "2026-09-10T10:00", "2026-09-10T10:05", "2026-09-10T10:05"),
        _payment(5, "bind-5", 1, 100, "canceled", "2026-10-02T10:00", "2026-10-02T10:00", kind="binding"),
    ]
    links = [
        PaymentInvoice(payment_id=1, invoice_id=2, amount_kopecks=25000),  # stored before the older invoice
        PaymentInvoice(payment_id=1, invoice_id=1, amount_kopecks=150050),
        PaymentInvoice(payment_id=2, invoice_id=5, amount_kopecks=70000),
        PaymentInvoice(payment_id=3, invoice_id=5, amount_kopecks=70000),
        PaymentInvoice(payment_id=4, invoice_id=4, amount_kopecks=30000),
    ]
    refunds = [
        _refund(1, 1, "ref-1", 20000, "requested", "succeeded", "2026-09-30T22:00", "2026-10-03T09:00", STAFF),
        _refund(2, 4, None, 5000, "double_payment", "pending", "2026-09-15T10:00", "2026-09-15T10:00"),
        _refund(3, 1, "ref-3", 1000, "double_payment", "canceled", "2026-09-29T10:00", "2026-10-04T10:00"),
    ]
    refunded = [
        RefundInvoice(refund_id=1, invoice_id=1, amount_kopecks=20000),
        RefundInvoice(refund_id=2, invoice_id=4, amount_kopecks=5000),
        RefundInvoice(refund_id=3, invoice_id=2, amount_kopecks=500),
        RefundInvoice(refund_id=3, invoice_id=1, amount_kopecks=500),
    ]
    account = Account(id=10, telegram_id=5001, insured_person_id=1, created_at=t("2026-09-01T08:00"))
    clinic = Clinic(id="C1", name="Клиника", city="Москва", address="ул. 1", search_key="клиника москва")
    lines = [
        BillLine(
            id=f"B-{n}",
            person_id=n,
            clinic_id="C1",
            service_date=D("2026-08-20"),
            service_name="Приём",
            quantity=1,
            unit_price_kopecks=100,
            cost_kopecks=100,
            copay_kopecks=20,
            content_hash="0" * 32,
            invoice_id=n,
            imported_at=t("2026-09-01T07:00"),
        )
        for n in (1, 2)
    ]
    activations = [
        FranchiseActivation(
            person_id=1,
            consented_by_account_id=10,
            consented_by_telegram_id=5001,
            consented_at=t("2026-09-30T22:10"),
            effective_from=D("2026-10-01"),
            terms_version="v1",
        ),
        FranchiseActivation(
            person_id=2,
            consented_by_account_id=10,
            consented_by_telegram_id=5001,
            consented_at=t("2026-09-10T10:00"),
            effective_from=D("2026-09-11"),
            terms_version="v1",
        ),
        FranchiseActivation(
            person_id=3,
            consented_by_account_id=None,
            consented_by_telegram_id=5002,
            consented_at=t("2026-10-05T10:00"),
            effective_from=D("2026-10-06"),
            terms_version="@v2",
        ),
    ]
    restrictions = [
        AccessRestriction(
            id=1,
            person_id=1,
            rule="franchise",
            since=D("2026-09-15"),
            restored_on=D("2026-10-02"),
            invoice_numbers="2026/08/1",
        ),
        AccessRestriction(
            id=2,
            person_id=2,
            rule="emergency",
            since=D("2026-08-20"),
            restored_on=D("2026-09-01"),
            invoice_numbers="2026/08/1",
        ),
        AccessRestriction(id=3, person_id=3, rule="franchise", since=D("2026-10-14"), invoice_numbers="2026/09/3"),
    ]
    disputes = [
        Dispute(
            id=1,
            invoice_id=1,
            bill_line_id="B-1",
            opened_by_telegram_id=5001,
            reason="=1+2 wrong",
            opened_at=t("2026-09-20T10:00"),
            opened_on=D("2026-09-20"),
            deadline=D("2026-10-05"),
            status="accepted",
            answered_at=t("2026-10-02T11:00"),
            answered_on=D("2026-10-02"),
            answer="Верно",
        ),
        Dispute(
            id=2,
            invoice_id=2,
            bill_line_id="B-2",
            opened_by_telegram_id=5001,
            reason="Не было",
            opened_at=t("2026-09-01T10:00"),
            opened_on=D("2026-09-01"),
            deadline=D("2026-10-16"),
            status="rejected",
            answered_at=t("2026-09-05T10:00"),
            answered_on=D("2026-09-05"),
            answer="Было",
        ),
        Dispute(
            id=3,
            invoice_id=5,
            bill_line_id="B-1",
            opened_by_telegram_id=5001,
            reason="Дважды",
            opened_at=t("2026-10-05T10:00"),
            opened_on=D("2026-10-05"),
            deadline=D("2026-10-20"),
            status="open",
        ),
    ]
    requests = [
        UserRequest(
            id=1,
            account_id=10,
            person_id=1,
            kind="callback",
            status="new",
            created_at=t("2026-09-28T10:00"),
            updated_at=t("2026-10-01T12:00"),
            replied_at=t("2026-09-29T10:00"),
        ),  # reopened after
        UserRequest(
            id=2,
            account_id=10,
            person_id=None,
            kind="support",
            status="closed",
            created_at=t("2026-09-01T10:00"),
            updated_at=t("2026-09-02T10:00"),
            replied_at=t("2026-09-02T10:00"),
        ),
        UserRequest(
            id=3,
            account_id=10,
            person_id=None,
            kind="support",
            status="new",
            created_at=t("2026-10-02T10:00"),
            updated_at=t("2026-10-02T10:00"),
        ),
    ]
    program = Program(code="STD", name="Стандарт")
    return [
        [program, clinic],
        people,
        [account, *invoices],
        [*payments, *lines],
        [*links, *refunds],
        [*refunded, *activations, *restrictions, *disputes, *requests],
    ]


async def fill(engine: AsyncEngine) -> None:
    async with AsyncSession(engine) as session:
        for group in rows():
            session.add_all(group)
            await session.flush()
        await session.commit()


# What each export holds since SINCE: typed cells (text as stored, before neutralising), in file order.
EXPECTED: dict[str, list[tuple]] = {
    "payments": [
        (
            1,
            "pay-1",
            t("2026-09-30T20:00"),
            "succeeded",
            t("2026-10-01T09:00"),
            M("1750.50"),
            M("200.00"),
            "2026/09/1 2026/09/2",
            "123/14",
        ),
        (2, "pay-2", t("2026-09-20T10:00"), "canceled", None, M("700.00"), M("0.00"), "2026/10/1", "-77/1"),
        (3, None, t("2026-09-30T21:30"), "pending", None, M("700.00"), M("0.00"), "2026/10/1", "123/14"),
    ],
    "refunds": [
        (
            1,
            "ref-1",
            1,
            t("2026-09-30T22:00"),
            t("2026-10-03T09:00"),
            "succeeded",
            M("200.00"),
            "2026/09/1",
            "staff",
            STAFF,
        ),
        (
            3,
            "ref-3",
            1,
            t("2026-09-29T10:00"),
            None,
            "canceled",
            M("10.00"),
            "2026/09/1 2026/09/2",
            "double_payment",
            None,
        ),
    ],
    "invoices": [
        (
            "2026/09/1",
            D("2026-09-01"),
            "123/14",
            "123/14",
            M("1500.50"),
            M("0.00"),
            M("1500.50"),
            D("2026-10-13"),
            "paid",
            t("2026-10-01T09:00"),
            "yookassa",
            None,
            None,
            None,
        ),
        (
            "2026/09/2",
            D("2026-09-01"),
            "-77/1",
            "123/14",
            M("500.00"),
            M("200.00"),
            M("250.00"),
            D("2026-10-13"),
            "paid",
            t("2026-10-02T10:00"),
            "offline",
            '=HYPERLINK("http://x")',
            None,
            None,
        ),
        (
            "2026/09/3",
            D("2026-09-01"),
            "555/5",
            None,
            M("100.00"),
            M("0.00"),
            M("100.00"),
            D("2026-10-13"),
            "cancelled",
            None,
            None,
            None,
            t("2026-10-03T08:00"),
            "-duplicate bill",
        ),
        (
            "2026/10/1",
            D("2026-10-01"),
            "123/14",
            "123/14",
            M("700.00"),
            M("0.00"),
            M("700.00"),
            D("2026-11-13"),
            "pending",
            None,
            None,
            None,
            None,
            None,
        ),
    ],
    "activations": [
        (t("2026-09-30T22:10"), "123/14", D("2026-10-01"), "123/14", "v1"),
        (t("2026-10-05T10:00"), "555/5", D("2026-10-06"), None, "@v2"),
    ],
    "suspensions": [
        (D("2026-09-15"), "123/14", "franchise", "2026/08/1", D("2026-10-02")),
        (D("2026-10-14"), "555/5", "franchise", "2026/09/3", None),
    ],
    "disputes": [
        (
            t("2026-09-20T10:00"),
            1,
            "2026/09/1",
            "B-1",
            "=1+2 wrong",
            D("2026-10-05"),
            "accepted",
            t("2026-10-02T11:00"),
            "Верно",
        ),
        (t("2026-10-05T10:00"), 3, "2026/10/1", "B-1", "Дважды", D("2026-10-20"), "open", None, None),
    ],
    "requests": [
        (t("2026-09-28T10:00"), 1, "callback", "123/14", "new", t("2026-09-29T10:00")),
        (t("2026-10-02T10:00"), 3, "support", None, "new", None),
    ],
}
