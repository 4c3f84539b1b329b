"""Property tests of the billing rules (core.billing): sums, deposits, re-import, numbering, statuses."""

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from core.billing.deposits import Deposit
from core.billing.disputes import DisputeRefused, accept_dispute, open_dispute, reject_dispute
from core.billing.facts import Insured, OverdueRule, ProgramTerms
from core.billing.invoices import Invoice, InvoicedLine, parse_number
from core.billing.lines import BillLine, line_copay
from core.billing.overdue import daily, overdue_people
from core.billing.settlement import (
    PaymentItem,
    RefundRefused,
    cancel,
    mark_paid_offline,
    payment_canceled,
    record_refund,
    settle_payment,
    start_payment,
)
from core.billing.status import EDGES, InvoiceStatus, TransitionRefused
from tests.core.billing_oracles import issue_invoices, percent_of

FEW = settings(max_examples=60, deadline=None)
START = date(2026, 1, 1)
PROGRAMS = {
    "FR20": ProgramTerms("FR20", 2000),
    "FR125": ProgramTerms("FR125", 1250, 90, "calendar", OverdueRule.EMERGENCY),
    "STD": ProgramTerms("STD", 0),
}


@given(st.integers(0, 10**12), st.integers(0, 10_000))
@settings(max_examples=300)
def test_line_copay_is_percent_of_half_up(cost, bp) -> None:
    assert line_copay(cost, bp) == percent_of(cost, Decimal(bp) / 100)


@st.composite
def registries(draw):
    """Employees E0…, relatives naming one of them, adult relatives and minors with no holder."""
    employees = draw(st.integers(1, 4))
    people = {}
    for i in range(employees):
        people[f"E{i}"] = Insured(
            f"E{i}", draw(st.sampled_from(sorted(PROGRAMS))), date(1980, 1, 1), START, date(2027, 12, 31)
        )
    for i in range(draw(st.integers(0, 5))):
        holder = draw(st.sampled_from([None, *sorted(people)[:employees]]))
        born = draw(st.sampled_from([date(1985, 5, 5), date(2015, 5, 5)]))
        people[f"R{i}"] = Insured(
            f"R{i}",
            draw(st.sampled_from(sorted(PROGRAMS))),
            born,
            START,
            date(2027, 12, 31),
            is_relative=True,
            holder_key=holder,
        )
    deposits = [
        Deposit(
            f"D{j}",
            draw(st.sampled_from(sorted(people)[:employees])),
            draw(st.integers(0, 50_000)),
            START + timedelta(days=draw(st.integers(0, 300))),
        )
        for j in range(draw(st.integers(0, 4)))
    ]
    return people, deposits


@st.composite
def scenarios(draw):
    people, deposits = draw(registries())
    keys = sorted(people)
    lines = []
    for n in range(draw(st.integers(0, 25))):
        lines.append(
            BillLine(
                f"L{n}",
                draw(st.sampled_from(keys)),
                "C1",
                START + timedelta(days=draw(st.integers(0, 60))),
                "",
                "услуга",
                draw(st.integers(1, 5)),
                draw(st.integers(0, 2_000_000)),
            )
        )
    # Batches: each imports a prefix of the lines (so earlier lines come again) on a later day.
    days = sorted(draw(st.lists(st.integers(61, 200), min_size=1, max_size=5)))
    cuts = sorted(draw(st.lists(st.integers(0, len(lines)), min_size=len(days), max_size=len(days))))
    return people, deposits, lines, [(START + timedelta(days=d), cut) for d, cut in zip(days, cuts, strict=True)]


def run(people, deposits, lines, batches):
    """Issue every batch in turn, keeping what storage would keep."""
    invoiced: set[str] = set()
    last: dict[tuple[int, int], int] = defaultdict(int)
    used: dict[str, int] = defaultdict(int)
    invoices: list[Invoice] = []
    uses = []
    zero: list[str] = []
    for issued_on, cut in batches:
        month = (issued_on.year, issued_on.month)
        issue = issue_invoices(
            lines[:cut],
            people=people,
            programs=PROGRAMS,
            issued_on=issued_on,
            last_number=last[month],
            invoiced=invoiced,
            deposits=deposits,
            deposits_used=used,
        )
        last[month] += len(issue.invoices)
        for use in issue.deposit_uses:
            used[use.reference] += use.amount
        invoiced |= {ln.line_id for inv in issue.invoices for ln in inv.lines} | set(issue.zero_copay)
        invoices += issue.invoices
        uses += issue.deposit_uses
        zero += issue.zero_copay
    return invoices, uses, zero, invoiced, last, used


@given(scenarios())
@FEW
def test_issuing(scenario) -> None:
    people, deposits, lines, batches = scenario
    invoices, uses, zero, invoiced, last, _ = run(people, deposits, lines, batches)
    by_id = {line.line_id: line for line in lines}

    # Sums: each line's co-pay recomputed from the bill line; the invoice co-pay is their sum.
    for inv in invoices:
        program = PROGRAMS[people[inv.person_key].program_code]
        copays = [line_copay(by_id[ln.line_id].cost, program.franchise_bp) for ln in inv.lines]
        assert [ln.copay for ln in inv.lines] == copays and all(c > 0 for c in copays)
        assert inv.copay == sum(copays)
        assert {by_id[ln.line_id].policy_key for ln in inv.lines} == {inv.person_key}
        assert 0 <= inv.total == max(0, inv.copay - inv.deposit_used)
        assert inv.status == (InvoiceStatus.PAID if inv.total == 0 else InvoiceStatus.NEW)

    # Every line billed once: on one invoice, or kept as zero co-pay.
    on_invoices = [ln.line_id for inv in invoices for ln in inv.lines]
    assert len(on_invoices) == len(set(on_invoices)) and not set(on_invoices) & set(zero)
    assert set(on_invoices) | set(zero) == {ln.line_id for ln in lines[: max((c for _, c in batches), default=0)]}

    # Deposits: never beyond the amount, never twice, only a relative's invoice paid by the holder.
    deposit = {d.reference: d for d in deposits}
    spent = defaultdict(int)
    by_number = {inv.number: inv for inv in invoices}
    for use in uses:
        assert use.amount > 0
        spent[use.reference] += use.amount
        inv = by_number[use.invoice]
        assert inv.payer_key == deposit[use.reference].holder_key != inv.person_key
    assert all(spent[ref] <= deposit[ref].amount for ref in spent)
    per_invoice = defaultdict(int)
    for use in uses:
        per_invoice[use.invoice] += use.amount
    assert all(inv.deposit_used == per_invoice[inv.number] <= inv.copay for inv in invoices)

    # Numbers: unique and gap-free per month.
    months = defaultdict(list)
    for inv in invoices:
        year, month, n = parse_number(inv.number)
        assert (year, month) == (inv.issued_on.year, inv.issued_on.month)
        months[(year, month)].append(n)
    assert {m: sorted(ns) for m, ns in months.items()} == {m: list(range(1, last[m] + 1)) for m in months}

    # Issuing again over the same lines, on any day, issues nothing new.
    again = issue_invoices(
        lines[: batches[-1][1]],
        people=people,
        programs=PROGRAMS,
        issued_on=batches[-1][0] + timedelta(days=40),
        invoiced=invoiced,
        deposits=deposits,
    )
    assert again.invoices == again.deposit_uses == again.zero_copay == ()


ACTIONS = [
    "start",
    "cancel_payment",
    "succeed",
    "daily",
    "dispute",
    "accept",
    "reject",
    "offline",
    "staff_cancel",
    "refund_part",
    "refund_all",
]


@given(
    st.lists(st.integers(1, 50_000), min_size=1, max_size=3),
    st.integers(0, 30_000),
    st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 20), st.integers(0, 2)), max_size=30),
)
@FEW
def test_transitions_never_leave_the_graph(copays, deposit, steps) -> None:
    lines = tuple(InvoicedLine(f"L{i}", c * 5, c) for i, c in enumerate(copays))
    deposit = min(deposit, sum(copays))
    inv = Invoice("2026/10/1", date(2026, 10, 1), date(2026, 10, 20), "P", "P", lines, deposit_used=deposit)
    if inv.total == 0:
        inv = replace(inv, status=InvoiceStatus.PAID)
    today = date(2026, 10, 1)
    dispute = None
    for action, days, pick in steps:
        today += timedelta(days=days)
        before = inv
        try:
            if action == "start":
                inv = start_payment(inv)
            elif action == "cancel_payment":
                inv = payment_canceled(inv, today)
            elif action == "succeed":
                settled = settle_payment([PaymentItem(inv.number, inv.total)], {inv.number: inv})
                inv = settled.paid[0] if settled.paid else inv
                assert settled.paid or settled.refunds or inv.total == 0
            elif action == "daily":
                outcome = daily(today, [inv], set(), {"P": OverdueRule.FRANCHISE})
                if outcome.overdue:
                    inv = inv.moved("became_overdue", InvoiceStatus.OVERDUE)
                assert daily(today, [inv], overdue_people([inv]), {"P": OverdueRule.FRANCHISE}).events == ()
            elif action == "dispute":
                inv, dispute = open_dispute(inv, f"L{pick % len(lines)}", "причина", today)
            elif action in ("accept", "reject") and dispute is not None:
                answer = accept_dispute if action == "accept" else reject_dispute
                inv, dispute = answer(inv, dispute, today)
            elif action == "offline":
                inv = mark_paid_offline(inv, inv.total)
            elif action == "staff_cancel":
                inv = cancel(inv)
            elif action == "refund_part":
                inv = record_refund(inv, max(1, inv.paid // 2))
            elif action == "refund_all":
                inv = record_refund(inv, inv.paid - inv.refunded)
        except (TransitionRefused, DisputeRefused, RefundRefused):
            assert inv == before
        if inv.status != before.status:
            assert (before.status, inv.status) in EDGES
        assert inv.total >= 0 and 0 <= inv.refunded <= inv.paid
        assert inv.credited <= inv.copay


@st.composite
def invoice_sets(draw):
    invoices = []
    for n in range(1, draw(st.integers(0, 12)) + 1):
        invoices.append(
            Invoice(
                f"2026/10/{n}",
                date(2026, 10, 1),
                date(2026, 10, 1) + timedelta(days=draw(st.integers(0, 60))),
                draw(st.sampled_from(["A", "B", "C"])),
                None,
                (InvoicedLine("L", 100, 20),),
                draw(st.sampled_from(list(InvoiceStatus))),
            )
        )
    return invoices


@given(invoice_sets(), st.integers(0, 90), st.sets(st.sampled_from(["A", "B", "C"])))
@FEW
def test_daily_job_is_idempotent(invoices, offset, restricted) -> None:
    today = date(2026, 10, 1) + timedelta(days=offset)
    rules = {"A": OverdueRule.FRANCHISE, "B": OverdueRule.EMERGENCY, "C": OverdueRule.FRANCHISE}
    outcome = daily(today, invoices, restricted, rules)
    marked = {e.invoice for e in outcome.overdue}
    after = [inv.moved("became_overdue", InvoiceStatus.OVERDUE) if inv.number in marked else inv for inv in invoices]
    now = (restricted | {r.person_key for r in outcome.restricted}) - {r.person_key for r in outcome.restored}
    assert now == overdue_people(after)
    assert daily(today, after, now, rules).events == ()
    assert all(inv.status != InvoiceStatus.NEW or inv.due_on >= today for inv in after)
