"""Property tests of what a big bills import relies on: invoices issued from each person's co-pay sum
(`issue_totals`) are the invoices of the lines themselves (`issue_invoices`, and the line-by-line
algorithm it replaced), content keys computed with remembered reprs are the digests of the content, a file
classified part by part is classified as a whole, prices read without a Decimal are read the same."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.billing.deposits import DepositClaim, consume
from core.billing.due import due_date
from core.billing.invoices import (
    Invoice,
    InvoicedLine,
    invoice_number,
    invoice_payer,
    issue_totals,
    numbering_key,
)
from core.billing.lines import (
    BillLine,
    LineOutcome,
    classify_contents,
    content_keys,
    line_copay,
)
from core.billing.status import InvoiceStatus
from core.errors import InputError
from core.money import parse_money, to_kopecks
from core.services.billing.bills import price_kopecks
from tests.core.billing_oracles import classify, content_key, issue_invoices, key_of_content, line_rejection
from tests.core.test_billing_properties import FEW, PROGRAMS, scenarios


def reference_issue(lines, *, people, programs, issued_on, last_number, invoiced, deposits, deposits_used):
    """`issue_invoices` as it was written line by line, before `issue_totals`."""
    by_person: dict[str, list[InvoicedLine]] = {}
    zero: list[str] = []
    seen = set(invoiced)
    for line in lines:
        if line.line_id in seen:
            continue
        seen.add(line.line_id)
        person = people[line.policy_key]
        assert (
            line_rejection(
                line,
                valid_from=person.valid_from,
                valid_to=person.valid_to,
                issued_on=issued_on,
                removed_on=person.removed_on,
            )
            is None
        )
        copay = line_copay(line.cost, programs[person.program_code].franchise_bp)
        if copay == 0:
            zero.append(line.line_id)
        else:
            by_person.setdefault(person.policy_key, []).append(InvoicedLine(line.line_id, line.cost, copay))
    drafts = sorted(
        (
            numbering_key(invoice_payer(people[key], issued_on), key),
            people[key],
            invoice_payer(people[key], issued_on),
            tuple(person_lines),
        )
        for key, person_lines in by_person.items()
    )
    invoices = [
        Invoice(
            invoice_number(issued_on, last_number + n),
            issued_on,
            due_date(issued_on, programs[person.program_code].due_days, programs[person.program_code].due_day_kind),
            person.policy_key,
            payer,
            person_lines,
        )
        for n, (_, person, payer, person_lines) in enumerate(drafts, start=1)
    ]
    claims = [DepositClaim(i.number, i.issued_on, i.sequence, i.payer_key, i.person_key, i.copay) for i in invoices]
    uses = consume(claims, deposits, deposits_used)
    used: dict[str, int] = defaultdict(int)
    for use in uses:
        used[use.invoice] += use.amount
    issued = []
    for invoice in invoices:
        invoice = replace(invoice, deposit_used=used[invoice.number])
        issued.append(replace(invoice, status=InvoiceStatus.PAID) if invoice.total == 0 else invoice)
    return issued, uses, zero


@given(scenarios())
@FEW
def test_invoices_from_copay_sums_are_the_invoices_of_the_lines(scenario) -> None:
    people, deposits, lines, batches = scenario
    invoiced: set[str] = set()
    last: dict[tuple[int, int], int] = defaultdict(int)
    used: dict[str, int] = defaultdict(int)
    for issued_on, cut in batches:
        month = (issued_on.year, issued_on.month)
        common = dict(
            people=people,
            programs=PROGRAMS,
            issued_on=issued_on,
            last_number=last[month],
            deposits=deposits,
            deposits_used=dict(used),
        )
        by_lines = issue_invoices(lines[:cut], invoiced=frozenset(invoiced), **common)

        # What a big import keeps: each person's co-pay sum over the lines new to it.
        sums: dict[str, int] = defaultdict(int)
        new = {}
        for line in lines[:cut]:
            if line.line_id not in invoiced and line.line_id not in new:
                new[line.line_id] = line
                terms = PROGRAMS[people[line.policy_key].program_code]
                sums[line.policy_key] += line_copay(line.cost, terms.franchise_bp)
        by_sums = issue_totals(sums, **common)

        assert [
            (i.number, i.issued_on, i.due_on, i.person_key, i.payer_key, i.copay, i.deposit_used, i.status, i.total)
            for i in by_lines.invoices
        ] == [
            (t.number, t.issued_on, t.due_on, t.person_key, t.payer_key, t.copay, t.deposit_used, t.status, t.total)
            for t in by_sums.invoices
        ]
        assert by_lines.deposit_uses == by_sums.deposit_uses
        reference = reference_issue(lines[:cut], invoiced=frozenset(invoiced), **common)
        assert (list(by_lines.invoices), list(by_lines.deposit_uses), list(by_lines.zero_copay)) == reference

        last[month] += len(by_sums.invoices)
        for use in by_sums.deposit_uses:
            used[use.reference] += use.amount
        invoiced |= set(new)


def test_totals_skip_zero_and_refuse_negative_sums() -> None:
    assert issue_totals({}, people={}, programs=PROGRAMS, issued_on=date(2026, 10, 1)).invoices == ()
    assert issue_totals({"P": 0}, people={}, programs=PROGRAMS, issued_on=date(2026, 10, 1)).invoices == ()
    with pytest.raises(ValueError):
        issue_totals({"P": -1}, people={}, programs=PROGRAMS, issued_on=date(2026, 10, 1))


CONTENT = st.tuples(
    st.text(max_size=12),
    st.text(max_size=6),
    st.dates(date(1900, 1, 1), date(2100, 1, 1)),
    st.text(max_size=8),
    st.text(max_size=30),
    st.integers(1, 100_000),
    st.integers(0, 10**14),
)


@given(st.lists(CONTENT, max_size=40), st.integers(1, 8))
@settings(max_examples=200, deadline=None)
def test_remembered_reprs_give_the_same_keys(contents, size) -> None:
    key = content_keys(size)  # a small memory: forgetting is exercised too
    for content in contents + contents:
        assert key(content) == key_of_content(content)
        line = BillLine("L", *content)
        assert content_key(line) == key_of_content(content) == key_of_content(line.content())


LINES = st.lists(
    st.builds(
        lambda n, price: BillLine(f"L{n}", "P", "C", date(2026, 1, 1), "", "s", 1, price),
        st.integers(0, 6),
        st.integers(0, 2),
    ),
    max_size=30,
)


@given(LINES, LINES, st.lists(st.integers(0, 30), max_size=4), st.sets(st.integers(0, 6)))
@settings(max_examples=300, deadline=None)
def test_a_file_classified_in_parts_is_classified_as_a_whole(stored_lines, incoming, cuts, refused) -> None:
    """Part by part, as the import does it: contents compared by key, the first occurrences kept in `seen`
    until stored; the lines the rules refuse (ids in `refused`) never stored, so kept there."""
    stored = {line.line_id: line for line in stored_lines}
    whole = [outcome for _, outcome in classify(stored, incoming)]
    keys = {line_id: content_key(line) for line_id, line in stored.items()}
    seen: dict[str, str] = {}
    parts = []
    bounds = [0, *sorted(cuts), len(incoming)]
    for start, end in itertools.pairwise(bounds):
        part = incoming[start:end]
        outcomes = classify_contents(keys, [(line.line_id, content_key(line)) for line in part], seen)
        for line, outcome in zip(part, outcomes, strict=True):
            if outcome == LineOutcome.NEW and int(line.line_id[1:]) not in refused:
                keys[line.line_id] = seen.pop(line.line_id)  # stored
        parts += outcomes
    assert parts == whole


@given(
    st.one_of(
        st.from_regex(r"\s?-?[0-9]{0,15}([.,][0-9]{0,3})?\s?", fullmatch=True),
        st.text(alphabet="0123456789.,- \u00a0٣", max_size=16),
    )
)
@settings(max_examples=500, deadline=None)
def test_prices_read_without_a_decimal_are_read_the_same(text) -> None:
    try:
        expected = to_kopecks(parse_money(text))
    except InputError as exc:
        with pytest.raises(InputError) as raised:
            price_kopecks(text)
        assert raised.value.code == exc.code
    else:
        assert price_kopecks(text) == expected


def test_billing_dates_and_prices_by_hand() -> None:
    assert [price_kopecks(t) for t in ("1", "1,5", "1.05", "0012.50", "999999999999.99")] == [
        100,
        150,
        105,
        1250,
        99999999999999,
    ]
    day = date(2026, 9, 17)
    line = BillLine("L", "P", "C", day, "", "s", 1, 1)
    assert line_rejection(line, valid_from=day, valid_to=day, issued_on=day + timedelta(days=1)) is None


CELL = {
    "bill_line_id": st.sampled_from(["B-1", " B-2 ", "", "   ", "x" * 61, "Б-3"]),
    "policy_number": st.sampled_from(["123/14", " АМ 012345682-13", "", "№ 5/26", "not a policy!", "x" * 41]),
    "clinic_id": st.sampled_from(["C001", " C002 ", "", "C" * 41]),
    "service_date": st.sampled_from(["17.09.2026", "2026-09-17", " 1.2.2026", "31.02.2026", "", "30.05.92", "xx"]),
    "service_code": st.sampled_from(["", "  ", "A02.31.001", " B01 ", "A" * 41]),
    "service_name": st.sampled_from(["Прием", " Прием ", "", "x" * 501]),
    "quantity": st.sampled_from(["1", " 2 ", "0", "100001", "1.5", "", "-1", "٣"]),
    "unit_price": st.sampled_from(["1", "1,5", "0012.50", " 3 ", "1.234", "-1", "", "1e3", "0", "9" * 13]),
}


@given(st.lists(st.fixed_dictionaries(CELL), max_size=12))
@settings(max_examples=200, deadline=None)
def test_the_quick_reading_of_cells_is_the_checked_one(rows) -> None:
    """`Bills.parse` tries the memos and a price pattern first; what it gives, issues included, is what
    checking every cell of every row (`checked`) gives."""
    from types import SimpleNamespace

    from core.services.billing.bills import COLUMNS, Bills
    from core.services.importing.report import ImportReport

    table = SimpleNamespace(picker=lambda names: tuple)
    quick, slow = (Bills(table, ImportReport("bills"), date(2026, 10, 1)) for _ in range(2))
    numbered = [(n, [row[column] for column in COLUMNS]) for n, row in enumerate(rows + rows, start=2)]
    expected = []
    for number, cells in numbered:
        line_id, content = slow.checked(number, tuple(cells))
        if line_id is None:
            expected.append((number, None, None, None, None, None, None, None, None, content))
        else:
            expected.append((number, line_id, *content, key_of_content(content)))
    assert quick.parse(iter(numbered)) == expected
