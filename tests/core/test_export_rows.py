"""The registers' rules (core/exports.py, core/desk/exports.py): the columns the back office reads, each
row built from stored values, where --since starts, what an admin may type after /export; and the file
written off the event loop, chunk by chunk (core/files)."""

from __future__ import annotations

import csv
import threading
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.desk.exports import BadExportAsk, ExportAsk, parse_export_ask
from core.exports import KINDS, build_row, columns, file_name, refund_reason, since_moment
from core.files import write_table_off_loop

AT = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def test_the_kinds_and_their_columns_in_order() -> None:
    assert list(KINDS) == ["payments", "refunds", "invoices", "activations", "suspensions", "disputes", "requests"]
    assert columns("payments") == (
        "payment_id", "provider_payment_id", "created_at", "status", "succeeded_at", "amount", "refunded_amount",
        "invoice_numbers", "payer_policy_number",
    )  # fmt: skip
    assert columns("refunds") == (
        "refund_id", "provider_refund_id", "payment_id", "created_at", "succeeded_at", "status", "amount",
        "invoice_numbers", "reason", "staff_id",
    )  # fmt: skip
    assert columns("invoices") == (
        "invoice_number", "issued_on", "insured_policy_number", "payer_policy_number", "copay", "deposit_used",
        "total", "due_on", "status", "paid_at", "paid_how", "offline_reference", "cancelled_at", "cancel_reason",
    )  # fmt: skip
    assert columns("activations") == (
        "consented_at",
        "policy_number",
        "effective_from",
        "activated_by_policy_number",
        "terms_version",
    )
    assert columns("suspensions") == ("restricted_on", "policy_number", "rule", "invoice_numbers", "restored_on")
    assert columns("disputes") == (
        "opened_at", "dispute_id", "invoice_number", "bill_line_id", "reason", "deadline", "status", "answered_at",
        "answer",
    )  # fmt: skip
    assert columns("requests") == ("opened_at", "request_id", "kind", "policy_number", "status", "answered_at")


def test_money_in_roubles_and_the_refund_reason_in_the_back_offices_words() -> None:
    payment = build_row("payments")((7, "p-7", AT, "succeeded", AT, 150050, 5, "2026/09/1", "123/14"))
    assert payment == (7, "p-7", AT, "succeeded", AT, Decimal("1500.50"), Decimal("0.05"), "2026/09/1", "123/14")
    refund = build_row("refunds")((1, None, 7, AT, None, "pending", 100, "2026/09/1", "requested", 9001))
    assert refund[6] == Decimal("1.00") and refund[8] == "staff" and refund[9] == 9001
    assert refund_reason("double_payment") == "double_payment" and refund_reason("requested") == "staff"


@pytest.mark.parametrize(
    ("copay", "deposit", "credited", "total"),
    [(50000, 0, 0, "500.00"), (50000, 20000, 5000, "250.00"), (50000, 60000, 0, "0.00"), (100, 0, 100, "0.00")],
)
def test_an_invoices_total_is_what_its_payer_is_asked(copay: int, deposit: int, credited: int, total: str) -> None:
    stored = ("2026/09/1", date(2026, 9, 1), "1", None, copay, deposit, credited, date(2026, 10, 13), "new",
              None, None, None, None, None)  # fmt: skip
    row = build_row("invoices")(stored)
    assert len(row) == len(columns("invoices"))
    assert row[4:7] == (Decimal(copay) / 100, Decimal(deposit) / 100, Decimal(total))
    assert row[3] is None and row[7] == date(2026, 10, 13)


def test_since_starts_at_midnight_in_the_operators_zone() -> None:
    start = since_moment(date(2026, 10, 1), ZoneInfo("Europe/Moscow"))
    assert start == datetime(2026, 9, 30, 21, 0, tzinfo=UTC)
    assert since_moment(date(2026, 10, 1), ZoneInfo("UTC")) == datetime(2026, 10, 1, tzinfo=UTC)


def test_file_names() -> None:
    assert file_name("payments", date(2026, 10, 1), False) == "payments-since-2026-10-01.csv"
    assert file_name("refunds", date(2026, 10, 1), True) == "refunds-since-2026-10-01.xlsx"


@pytest.mark.parametrize(
    ("text", "ask"),
    [
        ("payments --since 2026-10-01", ExportAsk("payments", date(2026, 10, 1))),
        ("Invoices --since=2026-10-01 xlsx", ExportAsk("invoices", date(2026, 10, 1), xlsx=True)),
        ("refunds xlsx —since 2026-01-31", ExportAsk("refunds", date(2026, 1, 31), xlsx=True)),  # a phone's dash
        ("requests --since 2026-10-01 CSV", ExportAsk("requests", date(2026, 10, 1))),
    ],
)
def test_what_an_admin_types(text: str, ask: ExportAsk) -> None:
    assert parse_export_ask(text) == ask


@pytest.mark.parametrize(
    ("text", "reason", "value"),
    [
        ("", "no-kind", ""),
        ("paymnts --since 2026-10-01", "unknown-kind", "paymnts"),
        ("payments", "no-since", ""),
        ("payments xlsx", "no-since", ""),
        ("payments --since", "bad-date", ""),
        ("payments --since 01.10.2026", "bad-date", "01.10.2026"),
        ("payments --since 2026-10-01 pdf", "unknown-option", "pdf"),
    ],
)
def test_what_is_wrong_with_a_request(text: str, reason: str, value: str) -> None:
    with pytest.raises(BadExportAsk) as caught:
        parse_export_ask(text)
    assert (caught.value.reason, caught.value.value) == (reason, value)


async def test_rows_are_built_and_written_off_the_event_loop(tmp_path: Path) -> None:
    loop_thread = threading.get_ident()
    builders: set[int] = set()

    async def chunks():
        for start in range(0, 2500, 1000):
            yield [(n,) for n in range(start, min(start + 1000, 2500))]

    def build(row):
        builders.add(threading.get_ident())
        return (row[0], "=x")

    count = await write_table_off_loop(tmp_path / "t.csv", ["n", "text"], chunks(), build)
    assert count == 2500 and loop_thread not in builders
    with (tmp_path / "t.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["n", "text"] and rows[1] == ["0", "'=x"] and rows[-1] == ["2499", "'=x"] and len(rows) == 2501


async def test_a_failed_export_leaves_no_file(tmp_path: Path) -> None:
    async def chunks():
        yield [(1,)]
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        await write_table_off_loop(tmp_path / "t.xlsx", ["n"], chunks(), tuple)
    assert list(tmp_path.iterdir()) == []
