"""The sample bills (emulators/data/bills.csv, deposits.csv) through the billing rules, against the figures
the samples state: docs/domain.md "Billing". Registry and program facts are given here as plain data."""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.billing.deposits import Deposit
from core.billing.due import DueDayKind
from core.billing.facts import Insured, OverdueRule, ProgramTerms
from core.billing.lines import BillLine, LineOutcome
from core.billing.status import InvoiceStatus
from core.money import from_kopecks, parse_money, to_kopecks
from core.normalize import parse_date
from core.normalize.policy import canonical_policy
from tests.core.billing_oracles import classify, issue_invoices, line_rejection

DATA = Path(__file__).parents[2] / "emulators" / "data"
ISSUED_ON = date(2026, 10, 1)  # a Thursday; the latest sample service date is 26.09.2026

PROGRAMS = {
    "STD": ProgramTerms("STD", 0),
    "FR20": ProgramTerms("FR20", 2000),
    "FR30C": ProgramTerms("FR30C", 3000, 90, DueDayKind.CALENDAR, OverdueRule.EMERGENCY),
    "EMG": ProgramTerms("EMG", 0, emergency_only=True),
}
Y2026 = (date(2026, 1, 1), date(2027, 12, 31))
# The rows of registry.csv the bills name, as billing sees them.
PEOPLE = {
    p.policy_key: p
    for p in (
        Insured("12314", "FR20", date(1985, 3, 15), *Y2026),
        Insured("AM01234567813", "FR20", date(1979, 7, 2), *Y2026),
        Insured("AM01234568113", "FR30C", date(1992, 5, 30), *Y2026),
        Insured("AM01234568213", "FR20", date(1987, 9, 4), *Y2026, is_relative=True, holder_key="12314"),
        Insured("AM01234568313", "FR20", date(2015, 6, 12), *Y2026, is_relative=True, holder_key="12314"),
        Insured("AM01234568413", "STD", date(1980, 2, 20), date(2025, 1, 1), date(2025, 12, 31)),
    )
}


def rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def sample_lines() -> list[BillLine]:
    return [
        BillLine(
            line_id=row["bill_line_id"],
            policy_key=canonical_policy(row["policy_number"]),
            clinic_id=row["clinic_id"],
            service_date=parse_date(row["service_date"]),
            service_code=row["service_code"],
            service_name=row["service_name"],
            quantity=int(row["quantity"]),
            unit_price=to_kopecks(parse_money(row["unit_price"])),
        )
        for row in rows("bills.csv")
    ]


def sample_deposits() -> list[Deposit]:
    return [
        Deposit(
            row["reference"],
            canonical_policy(row["holder_policy_number"]),
            to_kopecks(parse_money(row["amount"])),
            parse_date(row["paid_on"]),
        )
        for row in rows("deposits.csv")
    ]


@pytest.fixture(scope="module")
def issue():
    lines = sample_lines()
    for line in lines:
        person = PEOPLE[line.policy_key]
        assert line_rejection(line, valid_from=person.valid_from, valid_to=person.valid_to, issued_on=ISSUED_ON) is None
    return issue_invoices(lines, people=PEOPLE, programs=PROGRAMS, issued_on=ISSUED_ON, deposits=sample_deposits())


def rub(text: str) -> int:
    return to_kopecks(Decimal(text))


# number, insured, payer, co-pay, deposit used, total, status, due date
EXPECTED = [
    ("2026/10/1", "12314", "12314", "0.80", "0.00", "0.80", InvoiceStatus.NEW, date(2026, 11, 13)),
    ("2026/10/2", "AM01234568213", "12314", "500.00", "500.00", "0.00", InvoiceStatus.PAID, date(2026, 11, 13)),
    ("2026/10/3", "AM01234568313", "12314", "400.00", "0.00", "400.00", InvoiceStatus.NEW, date(2026, 11, 13)),
    (
        "2026/10/4",
        "AM01234567813",
        "AM01234567813",
        "2600.00",
        "0.00",
        "2600.00",
        InvoiceStatus.NEW,
        date(2026, 11, 13),
    ),
    (
        "2026/10/5",
        "AM01234568113",
        "AM01234568113",
        "234.15",
        "0.00",
        "234.15",
        InvoiceStatus.NEW,
        date(2026, 12, 30),
    ),  # 90 calendar days
]


def test_sample_invoices(issue) -> None:
    got = [
        (
            i.number,
            i.person_key,
            i.payer_key,
            from_kopecks(i.copay),
            from_kopecks(i.deposit_used),
            from_kopecks(i.total),
            i.status,
            i.due_on,
        )
        for i in issue.invoices
    ]
    want = [(n, p, pay, Decimal(c), Decimal(d), Decimal(t), s, due) for n, p, pay, c, d, t, s, due in EXPECTED]
    assert got == want


def test_the_alfa_invoice_lines(issue) -> None:
    # The manual's invoice: eye drops, temperature, a home visit ×2, at 1.00 each; 20 % of every line.
    own = issue.invoices[0]
    assert [(line.line_id, line.cost, line.copay) for line in own.lines] == [
        ("B-0001", 100, 20),
        ("B-0002", 100, 20),
        ("B-0003", 200, 40),
    ]


def test_rounding_per_line(issue) -> None:
    (line,) = issue.invoices[3].lines
    assert line.cost == rub("12999.99")  # 3 × 4333.33
    assert line.copay == rub("2600.00")  # 2599.998 rounded half-up


def test_deposit_covers_the_wife_and_not_the_child(issue) -> None:
    assert [(u.reference, u.invoice, u.amount) for u in issue.deposit_uses] == [
        ("D-2026-0001", "2026/10/2", rub("500"))
    ]
    child = issue.invoices[2]
    assert child.copay == rub("400.00") and child.total == rub("400.00")  # 1999.99 × 20 % = 399.998


def test_kuznetsov_zero_copay_kept_not_invoiced(issue) -> None:
    assert issue.zero_copay == ("B-0008",)
    assert all(i.person_key != "AM01234568413" for i in issue.invoices)


def test_reimport_issues_nothing(issue) -> None:
    lines = sample_lines()
    stored = {line.line_id: line for line in lines}
    assert {outcome for _, outcome in classify(stored, lines)} == {LineOutcome.UNCHANGED}
    done = {line.line_id for i in issue.invoices for line in i.lines} | set(issue.zero_copay)
    again = issue_invoices(
        lines,
        people=PEOPLE,
        programs=PROGRAMS,
        issued_on=date(2026, 10, 20),
        last_number=5,
        invoiced=done,
        deposits=sample_deposits(),
        deposits_used={"D-2026-0001": rub("500")},
    )
    assert again.invoices == () and again.deposit_uses == () and again.zero_copay == ()
