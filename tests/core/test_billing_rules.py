"""Billing rules against hand-computed cases (core.billing)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from core.billing.deposits import Deposit, DepositClaim, DepositUse, consume
from core.billing.disputes import (
    DisputeRefusal,
    DisputeRefused,
    DisputeStatus,
    accept_dispute,
    answer_deadline,
    is_late,
    open_dispute,
    reject_dispute,
)
from core.billing.due import DueDayKind, due_date
from core.billing.facts import Insured, OverdueRule, ProgramTerms
from core.billing.invoices import (
    Invoice,
    InvoicedLine,
    adopt_unpaid,
    invoice_number,
    invoice_payer,
    parse_number,
    service_names_visible,
)
from core.billing.lines import (
    BillLine,
    LineOutcome,
    LineRejection,
    line_copay,
)
from core.billing.overdue import MarkedOverdue, Restored, daily, overdue_people, restorations
from core.billing.settlement import (
    PaymentItem,
    RefundRefusal,
    RefundRefused,
    cancel,
    mark_paid_offline,
    payment_canceled,
    record_refund,
    settle_payment,
    start_payment,
)
from core.billing.status import EDGES, TRANSITIONS, Action, InvoiceStatus, TransitionRefused, transition
from core.cabinet.clinics import ClinicAccess, clinic_access
from core.cabinet.franchise import franchise_state
from core.cabinet.policies import policy_status
from core.errors import InputError
from core.normalize.policy import canonical_policy
from tests.core.billing_oracles import classify, import_outcome, issue_invoices, line_rejection

S = InvoiceStatus
VALID = (date(2026, 1, 1), date(2027, 12, 31))


def line(line_id="L1", key="P1", day=date(2026, 9, 17), quantity=1, price=100_00, name="Прием врача"):
    return BillLine(line_id, key, "C001", day, "B01", name, quantity, price)


def invoice(status=S.NEW, due=date(2026, 11, 13), lines=((("L1", 1000_00, 200_00)),), **kw) -> Invoice:
    return Invoice(
        "2026/10/1",
        date(2026, 10, 1),
        due,
        kw.pop("person", "P1"),
        kw.pop("payer", "P1"),
        tuple(InvoicedLine(*ln) for ln in lines),
        status,
        **kw,
    )


# ---- lines ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cost, bp, copay",
    [
        (3 * 433333, 2000, 260000),  # 12999.99 × 20 % = 2599.998 → 2600.00
        (199999, 2000, 40000),  # 1999.99 × 20 % = 399.998 → 400.00
        (250000, 2000, 50000),
        (78050, 3000, 23415),
        (100, 2000, 20),
        (250, 1000, 25),
        (5, 1000, 1),  # 0.005 → 0.01: half-up
        (4, 1000, 0),  # 0.004 → 0.00
        (15, 5000, 8),  # 0.075 → 0.08
        (250000, 0, 0),  # no franchise
        (250000, 10000, 250000),
        (333, 1250, 42),  # 12.5 % of 3.33 = 0.41625 → 0.42
    ],
)
def test_line_copay(cost, bp, copay) -> None:
    assert line_copay(cost, bp) == copay


def test_rounding_is_per_line_not_per_invoice() -> None:
    people = {"P1": Insured("P1", "FR20", date(1980, 1, 1), *VALID)}
    programs = {"FR20": ProgramTerms("FR20", 2000)}
    # Three lines of 0.03 at 20 % (0.006 → 0.01 each): 0.03, where 20 % of their sum 0.09 would be 0.02.
    lines = [line(f"L{i}", price=3) for i in range(3)]
    (inv,) = issue_invoices(lines, people=people, programs=programs, issued_on=date(2026, 10, 1)).invoices
    assert inv.copay == 3


@pytest.mark.parametrize(
    "day, issued, removed, reason",
    [
        (date(2026, 9, 17), date(2026, 10, 1), None, None),
        (date(2026, 1, 1), date(2026, 10, 1), None, None),  # first day of the policy
        (date(2025, 12, 31), date(2026, 10, 1), None, LineRejection.OUTSIDE_POLICY),
        (date(2028, 1, 1), date(2028, 2, 1), None, LineRejection.OUTSIDE_POLICY),
        (date(2026, 10, 1), date(2026, 10, 1), None, None),  # on the issue date
        (date(2026, 10, 2), date(2026, 10, 1), None, LineRejection.AFTER_ISSUE_DATE),
        (date(2026, 9, 17), date(2026, 10, 1), date(2026, 9, 17), LineRejection.OUTSIDE_POLICY),  # removed that day
        (date(2026, 9, 16), date(2026, 10, 1), date(2026, 9, 17), None),
    ],
)
def test_line_rejection(day, issued, removed, reason) -> None:
    got = line_rejection(line(day=day), valid_from=VALID[0], valid_to=VALID[1], issued_on=issued, removed_on=removed)
    assert got == reason


def test_a_line_is_imported_once() -> None:
    first = line()
    assert import_outcome(None, first) == LineOutcome.NEW
    assert import_outcome(first, line()) == LineOutcome.UNCHANGED
    assert import_outcome(first, line(quantity=2)) == LineOutcome.REJECTED  # already billed
    assert import_outcome(first, line(name="Прием врача-терапевта")) == LineOutcome.REJECTED
    outcomes = classify({"L1": first}, [line(), line("L2"), line("L2", price=1), line("L2")])
    assert [o for _, o in outcomes] == [
        LineOutcome.UNCHANGED,
        LineOutcome.NEW,
        LineOutcome.REJECTED,
        LineOutcome.UNCHANGED,
    ]


def test_bill_line_checks_and_repr() -> None:
    with pytest.raises(ValueError):
        line(quantity=0)
    with pytest.raises(ValueError):
        line(price=-1)
    assert "Прием" not in repr(line())  # health data stays out of logs


# ---- due dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "issued, days, kind, due",
    [
        # Mon 15.12.2025: Dec 16–19 (4), 22–26 (9), 29–30 (11); 31.12 and 1–11.01 off; Jan 12–16 (16),
        # 19–23 (21), 26–30 (26), Feb 2–5 (30).
        (date(2025, 12, 15), 30, DueDayKind.WORKING, date(2026, 2, 5)),
        # Thu 01.10.2026: Oct 2 (1), 5–9 (6), 12–16 (11), 19–23 (16), 26–30 (21), Nov 2–3 (23), 4.11 off,
        # Nov 5–6 (25), 9–13 (30).
        (date(2026, 10, 1), 30, DueDayKind.WORKING, date(2026, 11, 13)),
        # 2025: 1–4.11 off (3.11 moved from Saturday 1.11): Tue 21.10 + 30 working days = Wed 03.12.
        (date(2025, 10, 21), 30, DueDayKind.WORKING, date(2025, 12, 3)),
        (date(2026, 10, 1), 90, DueDayKind.CALENDAR, date(2026, 12, 30)),
        (date(2026, 12, 1), 90, "calendar", date(2027, 3, 1)),
        (date(2026, 10, 1), 0, DueDayKind.WORKING, date(2026, 10, 1)),
    ],
)
def test_due_date(issued, days, kind, due) -> None:
    assert due_date(issued, days, kind) == due


def test_due_date_default_is_30_working_days() -> None:
    assert due_date(date(2025, 12, 15)) == date(2026, 2, 5)


# ---- statuses ------------------------------------------------------------------------------------------

ALLOWED = {
    (S.NEW, S.PENDING),
    (S.PENDING, S.PAID),
    (S.PENDING, S.NEW),
    (S.NEW, S.OVERDUE),
    (S.OVERDUE, S.PENDING),
    (S.PENDING, S.OVERDUE),
    (S.NEW, S.DISPUTED),
    (S.OVERDUE, S.DISPUTED),
    (S.DISPUTED, S.NEW),
    (S.DISPUTED, S.OVERDUE),
    (S.DISPUTED, S.PAID),
    (S.NEW, S.PAID),
    (S.OVERDUE, S.PAID),
    (S.NEW, S.CANCELLED),
    (S.OVERDUE, S.CANCELLED),
    (S.PAID, S.REFUNDED),
}


def test_the_graph_is_exactly_the_design() -> None:
    assert EDGES == ALLOWED


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_every_transition(action, current, target) -> None:
    if (current, target) in TRANSITIONS[action]:
        assert transition(current, action, target) == target
    else:
        with pytest.raises(TransitionRefused):
            transition(current, action, target)


@pytest.mark.parametrize("status", [S.PENDING, S.PAID, S.DISPUTED, S.CANCELLED, S.REFUNDED])
def test_staff_cannot_cancel_or_mark_paid_a_settled_or_held_invoice(status) -> None:
    with pytest.raises(TransitionRefused):
        cancel(invoice(status))
    with pytest.raises(TransitionRefused):
        mark_paid_offline(invoice(status), 200_00)


def test_payment_lifecycle() -> None:
    inv = start_payment(invoice())
    assert inv.status == S.PENDING
    assert payment_canceled(inv, date(2026, 11, 13)).status == S.NEW  # on the due date
    assert payment_canceled(inv, date(2026, 11, 14)).status == S.OVERDUE  # after it
    assert start_payment(invoice(S.OVERDUE)).status == S.PENDING
    with pytest.raises(TransitionRefused):
        start_payment(inv)  # pending: not selectable again
    with pytest.raises(TransitionRefused):
        start_payment(invoice(S.DISPUTED))


# ---- payer, numbering, privacy -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "person, payer",
    [
        (Insured("E", "FR20", date(1980, 1, 1), *VALID), "E"),
        (Insured("W", "FR20", date(1987, 1, 1), *VALID, is_relative=True, holder_key="E"), "E"),
        (Insured("C", "FR20", date(2015, 1, 1), *VALID, is_relative=True, holder_key="E"), "E"),
        (Insured("A", "FR20", date(1990, 1, 1), *VALID, is_relative=True), "A"),  # adult relative, no holder
        (Insured("K", "FR20", date(2012, 3, 3), *VALID, is_relative=True), None),  # minor: waits for a parent
        (Insured("K", "FR20", date(2012, 3, 3), *VALID, is_relative=True, parent_key="E"), "E"),
        (Insured("M", "STD", date(2010, 8, 18), *VALID), "M"),  # a minor employee pays their own
    ],
)
def test_invoice_payer(person, payer) -> None:
    assert invoice_payer(person, date(2026, 10, 1)) == payer


def test_numbering_order_is_plain_string_order() -> None:
    programs = {"FR20": ProgramTerms("FR20", 2000)}
    people = {
        p.policy_key: p
        for p in (
            Insured("b1", "FR20", date(1980, 1, 1), *VALID),
            Insured("B2", "FR20", date(1980, 1, 1), *VALID),
            Insured("Z9", "FR20", date(1980, 1, 1), *VALID, is_relative=True, holder_key="b1"),
            Insured("10", "FR20", date(1980, 1, 1), *VALID),
            Insured("9", "FR20", date(1980, 1, 1), *VALID),
            Insured("K", "FR20", date(2012, 1, 1), *VALID, is_relative=True),  # no payer: by its own number
        )
    }
    lines = [line(f"L{k}", key=k) for k in people]
    issue = issue_invoices(lines, people=people, programs=programs, issued_on=date(2026, 12, 31), last_number=41)
    order = [(i.number, i.payer_key, i.person_key) for i in issue.invoices]
    assert order == [
        ("2026/12/42", "10", "10"),
        ("2026/12/43", "9", "9"),
        ("2026/12/44", "B2", "B2"),
        ("2026/12/45", None, "K"),
        ("2026/12/46", "b1", "Z9"),
        ("2026/12/47", "b1", "b1"),  # "Z" < "b"
    ]


def test_numbering_follows_the_keys_without_separators() -> None:
    """`1/9` sorted before `10` while keys kept `/` (0x2F < "0"); its key is `19` now, after `10`."""
    programs = {"FR20": ProgramTerms("FR20", 2000)}
    people = {
        p.policy_key: p
        for p in (Insured(canonical_policy(printed), "FR20", date(1980, 1, 1), *VALID) for printed in ("1/9", "10"))
    }
    lines = [line(f"L{k}", key=k) for k in people]
    issue = issue_invoices(lines, people=people, programs=programs, issued_on=date(2026, 12, 31), last_number=0)
    assert [(i.number, i.person_key) for i in issue.invoices] == [("2026/12/1", "10"), ("2026/12/2", "19")]


def test_invoice_numbers() -> None:
    assert invoice_number(date(2027, 1, 31), 7) == "2027/01/7"
    assert parse_number("2027/01/7") == (2027, 1, 7)
    for bad in ("2027/1/7", "2027/13/1", "2027/01/0", "2027/01/07", "x"):
        with pytest.raises(ValueError):
            parse_number(bad)
    with pytest.raises(ValueError):
        invoice_number(date(2027, 1, 1), 0)


def test_a_parent_adopts_the_childs_unpaid_invoices() -> None:
    waiting = [
        invoice(person="K", payer=None),
        invoice(S.OVERDUE, person="K", payer=None),
        invoice(S.CANCELLED, person="K", payer=None),
        invoice(person="X", payer=None),
    ]
    adopted = adopt_unpaid(waiting, "K", "E")
    assert [(i.status, i.payer_key) for i in adopted] == [(S.NEW, "E"), (S.OVERDUE, "E")]


@pytest.mark.parametrize(
    "viewer, person, payer, born, allowed, visible",
    [
        ("W", "W", "E", date(1987, 1, 1), False, True),  # the relative herself
        ("E", "W", "E", date(1987, 1, 1), False, False),  # the payer, an adult relative who has not allowed it
        ("E", "W", "E", date(1987, 1, 1), True, True),
        ("E", "C", "E", date(2015, 1, 1), False, True),  # a minor's
        ("E", "C", "E", date(2008, 10, 2), False, False),  # turned 18 the day before
        ("E", "E", "E", date(1980, 1, 1), False, True),  # own
        ("X", "W", "E", date(1987, 1, 1), True, False),  # someone else
    ],
)
def test_service_names_visible(viewer, person, payer, born, allowed, visible) -> None:
    got = service_names_visible(
        viewer,
        person_key=person,
        payer_key=payer,
        person_birth_date=born,
        allowed_by_person=allowed,
        today=date(2026, 10, 3),
    )
    assert got is visible


# ---- deposits ------------------------------------------------------------------------------------------


def test_deposits_oldest_first_relatives_only_in_order_of_issue() -> None:
    deposits = [
        Deposit("D2", "E", 300_00, date(2026, 2, 1)),
        Deposit("D1b", "E", 100_00, date(2026, 1, 15)),
        Deposit("D1a", "E", 100_00, date(2026, 1, 15)),
        Deposit("X", "OTHER", 1000_00, date(2025, 1, 1)),
    ]
    claims = [
        DepositClaim("2026/10/2", date(2026, 10, 1), 2, "E", "C", 350_00),
        DepositClaim("2026/10/1", date(2026, 10, 1), 1, "E", "E", 999_00),  # the holder's own: never
        DepositClaim("2026/09/9", date(2026, 9, 30), 9, "E", "W", 120_00),  # issued earlier: first
        DepositClaim("2026/10/3", date(2026, 10, 1), 3, "E", "W", 50_00),
        DepositClaim("2026/10/4", date(2026, 10, 1), 4, None, "K", 50_00),
    ]
    assert consume(claims, deposits, {"D1a": 30_00}) == [
        DepositUse("D1a", "2026/09/9", 70_00),
        DepositUse("D1b", "2026/09/9", 50_00),
        DepositUse("D1b", "2026/10/2", 50_00),
        DepositUse("D2", "2026/10/2", 300_00),
    ]


def test_a_deposit_used_beyond_its_amount_is_refused() -> None:
    with pytest.raises(ValueError):
        consume([], [Deposit("D", "E", 100, date(2026, 1, 1))], {"D": 101})


# ---- overdue -------------------------------------------------------------------------------------------

EMERGENCY_CLINIC, FRANCHISE_CLINIC, PLAIN_CLINIC = (False, True), (True, False), (False, False)


def access(restricted: bool, rule: OverdueRule, clinic) -> ClinicAccess:
    franchise_flag, emergency_flag = clinic
    status = policy_status(*VALID, None, date(2026, 11, 20), overdue=restricted)
    state = franchise_state(2000, date(2026, 2, 1), date(2026, 11, 20), overdue=restricted)
    return clinic_access(status, state, rule, franchise_clinic=franchise_flag, emergency_clinic=emergency_flag)


@pytest.mark.parametrize(
    "rule, clinic, restricted_access",
    [
        (OverdueRule.FRANCHISE, FRANCHISE_CLINIC, ClinicAccess.SUSPENDED),
        (OverdueRule.FRANCHISE, PLAIN_CLINIC, ClinicAccess.AVAILABLE),
        (OverdueRule.FRANCHISE, EMERGENCY_CLINIC, ClinicAccess.AVAILABLE),
        (OverdueRule.EMERGENCY, FRANCHISE_CLINIC, ClinicAccess.SUSPENDED),
        (OverdueRule.EMERGENCY, PLAIN_CLINIC, ClinicAccess.SUSPENDED),
        (OverdueRule.EMERGENCY, EMERGENCY_CLINIC, ClinicAccess.AVAILABLE),
    ],
)
def test_both_overdue_rules(rule, clinic, restricted_access) -> None:
    inv = invoice(due=date(2026, 11, 13), person="P1")
    day_after = date(2026, 11, 14)
    outcome = daily(day_after, [inv], restricted=set(), rules={"P1": rule})
    assert outcome.overdue == (MarkedOverdue("2026/10/1", "P1", "P1", day_after),)
    (restriction,) = outcome.restricted
    assert (restriction.person_key, restriction.rule, restriction.invoices) == ("P1", rule, ("2026/10/1",))
    assert access(False, restriction.rule, clinic) == ClinicAccess.AVAILABLE
    assert access(True, restriction.rule, clinic) == restricted_access


def test_not_overdue_on_the_due_date() -> None:
    assert daily(date(2026, 11, 13), [invoice()], set(), {"P1": OverdueRule.FRANCHISE}).events == ()


def test_daily_job_is_idempotent_and_catches_up() -> None:
    invoices = [invoice(due=date(2026, 11, 13)), replace(invoice(due=date(2026, 11, 2)), number="2026/10/10")]
    rules = {"P1": OverdueRule.EMERGENCY}
    today = date(2026, 11, 30)  # the job did not run for weeks
    first = daily(today, invoices, set(), rules)
    assert [e.overdue_since for e in first.overdue] == [date(2026, 11, 14), date(2026, 11, 3)]
    (restriction,) = first.restricted
    assert restriction.since == date(2026, 11, 3) and restriction.invoices == ("2026/10/1", "2026/10/10")
    after = [i.moved(Action.BECAME_OVERDUE, S.OVERDUE) for i in invoices]
    assert daily(today, after, {"P1"}, rules).events == ()
    assert overdue_people(after) == {"P1"}


def test_restored_when_nothing_is_overdue_any_more() -> None:
    rules = {"P1": OverdueRule.FRANCHISE}
    overdue = invoice(S.OVERDUE)
    assert daily(date(2026, 12, 1), [overdue], {"P1"}, rules).events == ()
    paid = mark_paid_offline(overdue, 200_00)
    assert daily(date(2026, 12, 1), [paid], {"P1"}, rules).restored == (Restored("P1", date(2026, 12, 1)),)
    held, _ = open_dispute(overdue, "L1", "не было приёма", date(2026, 12, 1))  # disputed: not overdue
    assert daily(date(2026, 12, 1), [held], {"P1"}, rules).restored == (Restored("P1", date(2026, 12, 1)),)
    # one of two overdue invoices paid: still restricted
    other = replace(invoice(S.OVERDUE), number="2026/10/2")
    assert daily(date(2026, 12, 1), [paid, other], {"P1"}, rules).events == ()


# ---- disputes ------------------------------------------------------------------------------------------

TWO_LINES = (("L1", 1000_00, 200_00), ("L2", 500_00, 100_00))


def test_dispute_accepted_credits_the_line() -> None:
    inv = invoice(lines=TWO_LINES, due=date(2026, 11, 13))
    held, dispute = open_dispute(inv, "L2", "  услуга не оказана ", date(2026, 11, 2))
    assert held.status == S.DISPUTED and dispute.reason == "услуга не оказана"
    assert dispute.deadline == date(2026, 11, 17)
    done, answered = accept_dispute(held, dispute, date(2026, 11, 10))
    assert (done.status, done.total, done.copay, done.due_on) == (S.NEW, 200_00, 300_00, date(2026, 11, 21))
    assert (answered.status, answered.answered_on) == (DisputeStatus.ACCEPTED, date(2026, 11, 10))


def test_dispute_accepted_on_the_last_line_pays_the_invoice() -> None:
    inv = invoice(deposit_used=50_00)
    held, dispute = open_dispute(inv, "L1", "двойной счёт", date(2026, 11, 2))
    done, _ = accept_dispute(held, dispute, date(2026, 11, 3))
    assert (done.status, done.total) == (S.PAID, 0)


def test_dispute_rejected_moves_the_due_date() -> None:
    inv = invoice(due=date(2026, 11, 13))
    held, dispute = open_dispute(inv, "L1", "дорого", date(2026, 11, 10))
    done, answered = reject_dispute(held, dispute, date(2026, 11, 20))  # held 10 days
    assert (done.status, done.due_on, done.total) == (S.NEW, date(2026, 11, 23), 200_00)
    assert answered.status == DisputeStatus.REJECTED


def test_dispute_rejected_on_an_overdue_invoice_returns_it_overdue() -> None:
    inv = invoice(S.OVERDUE, due=date(2026, 11, 13))
    held, dispute = open_dispute(inv, "L1", "дорого", date(2026, 11, 20))
    done, _ = reject_dispute(held, dispute, date(2026, 11, 25))
    assert (done.status, done.due_on) == (S.OVERDUE, date(2026, 11, 18))


def test_dispute_deadline_and_late() -> None:
    _, dispute = open_dispute(invoice(), "L1", "?", date(2026, 12, 20))
    assert answer_deadline(date(2026, 12, 20)) == dispute.deadline == date(2027, 1, 4)  # calendar days
    assert not is_late(dispute, date(2027, 1, 4))
    assert is_late(dispute, date(2027, 1, 5))
    assert not is_late(replace(dispute, status=DisputeStatus.REJECTED), date(2027, 2, 1))


@pytest.mark.parametrize("status", [S.PENDING, S.PAID, S.DISPUTED, S.CANCELLED, S.REFUNDED])
def test_only_unpaid_invoices_are_disputed(status) -> None:
    with pytest.raises(DisputeRefused) as refused:
        open_dispute(invoice(status), "L1", "?", date(2026, 11, 2))
    assert refused.value.refusal == DisputeRefusal.NOT_DISPUTABLE


def test_dispute_refusals() -> None:
    with pytest.raises(DisputeRefused) as refused:
        open_dispute(invoice(), "L9", "?", date(2026, 11, 2))
    assert refused.value.refusal == DisputeRefusal.NO_SUCH_LINE
    with pytest.raises(InputError):
        open_dispute(invoice(), "L1", " \x00 ", date(2026, 11, 2))
    credited = invoice(lines=TWO_LINES, credited_lines=frozenset({"L1"}))
    with pytest.raises(DisputeRefused) as refused:
        open_dispute(credited, "L1", "ещё раз", date(2026, 11, 2))
    assert refused.value.refusal == DisputeRefusal.ALREADY_CREDITED
    held, dispute = open_dispute(invoice(), "L1", "?", date(2026, 11, 2))
    done, answered = reject_dispute(held, dispute, date(2026, 11, 3))
    with pytest.raises(DisputeRefused):
        accept_dispute(done, answered, date(2026, 11, 4))  # answered already
    with pytest.raises(DisputeRefused):
        reject_dispute(replace(held, number="2026/10/9"), dispute, date(2026, 11, 4))
    assert "?" not in repr(dispute)


# ---- settlement and refunds ----------------------------------------------------------------------------


def test_a_settled_payment_restores_access() -> None:
    a = invoice(S.OVERDUE)
    b = replace(invoice(S.OVERDUE, person="W", payer="P1"), number="2026/10/2")
    c = replace(invoice(S.NEW), number="2026/10/3")
    pending = {i.number: start_payment(i) for i in (a, b, c)}
    assert overdue_people(pending.values()) == set()  # in a payment: neither overdue nor restored yet by the job
    settled = settle_payment([PaymentItem(n, 200_00) for n in pending], pending)
    assert [(i.number, i.status, i.paid) for i in settled.paid] == [
        ("2026/10/1", S.PAID, 200_00),
        ("2026/10/2", S.PAID, 200_00),
        ("2026/10/3", S.PAID, 200_00),
    ]
    assert settled.refunds == ()
    assert restorations(settled.paid, {"P1", "W"}, date(2026, 12, 1)) == (
        Restored("P1", date(2026, 12, 1)),
        Restored("W", date(2026, 12, 1)),
    )


def test_two_payments_for_one_invoice_refund_the_later() -> None:
    a, b = invoice(), replace(invoice(), number="2026/10/2")
    earlier = [PaymentItem("2026/10/1", 200_00)]
    later = [PaymentItem("2026/10/1", 200_00), PaymentItem("2026/10/2", 200_00)]
    first = settle_payment(earlier, {"2026/10/1": start_payment(a), "2026/10/2": b})
    now = {i.number: i for i in first.paid} | {"2026/10/2": b}
    second = settle_payment(later, now)
    assert [i.number for i in second.paid] == ["2026/10/2"]  # an unpaid one is paid through PENDING
    assert second.refunds == (PaymentItem("2026/10/1", 200_00),) and second.refund_total == 200_00


def test_refunds_per_invoice() -> None:
    paid = mark_paid_offline(invoice(), 200_00)
    part = record_refund(paid, 50_00)
    assert (part.status, part.refunded) == (S.PAID, 50_00)
    full = record_refund(part, 150_00)
    assert (full.status, full.refunded) == (S.REFUNDED, 200_00)
    for inv, amount, refusal in [
        (full, 1, RefundRefusal.NOT_PAID),
        (invoice(), 1, RefundRefusal.NOT_PAID),
        (paid, 0, RefundRefusal.NOT_POSITIVE),
        (part, 150_01, RefundRefusal.TOO_MUCH),
    ]:
        with pytest.raises(RefundRefused) as refused:
            record_refund(inv, amount)
        assert refused.value.refusal == refusal


def test_issued_paid_from_the_deposit_at_once() -> None:
    people = {
        "E": Insured("E", "FR20", date(1980, 1, 1), *VALID),
        "W": Insured("W", "FR20", date(1987, 1, 1), *VALID, is_relative=True, holder_key="E"),
    }
    programs = {"FR20": ProgramTerms("FR20", 2000)}
    issue = issue_invoices(
        [line("L1", "W", price=1000_00), line("L2", "E", price=1000_00)],
        people=people,
        programs=programs,
        issued_on=date(2026, 10, 1),
        deposits=[Deposit("D", "E", 500_00, date(2026, 1, 1))],
    )
    assert [(i.person_key, i.status, i.total, i.deposit_used) for i in issue.invoices] == [
        ("E", S.NEW, 200_00, 0),
        ("W", S.PAID, 0, 200_00),
    ]
    assert issue.deposit_uses == (DepositUse("D", "2026/10/2", 200_00),)


def test_issue_refuses_a_line_that_should_have_been_rejected() -> None:
    people = {"P1": Insured("P1", "FR20", date(1980, 1, 1), *VALID)}
    programs = {"FR20": ProgramTerms("FR20", 2000)}
    with pytest.raises(ValueError):
        issue_invoices([line(day=date(2026, 10, 2))], people=people, programs=programs, issued_on=date(2026, 10, 1))
    with pytest.raises(ValueError):
        issue_invoices([line(key="nobody")], people=people, programs=programs, issued_on=date(2026, 10, 1))


def test_overdue_since_is_the_day_after_due() -> None:
    inv = invoice(due=date(2026, 12, 30))
    assert daily(date(2026, 12, 31), [inv], set(), {"P1": OverdueRule.FRANCHISE}).overdue[0].overdue_since == (
        date(2026, 12, 30) + timedelta(days=1)
    )
