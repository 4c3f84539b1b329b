"""Billing rules the product does not run, kept as the tests' oracles: the invoices of the lines themselves
(`issue_invoices`; the product issues from each person's co-pay sum, `issue_totals`, which it rests on),
a line's outcome and rejection one `BillLine` at a time, a line's content key computed the plain way, and
a percentage of an amount in exact fractions (`line_copay` computes it in integers).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from core.billing.deposits import Deposit, DepositUse
from core.billing.facts import Insured, ProgramTerms
from core.billing.invoices import Invoice, InvoicedLine, issue_totals
from core.billing.lines import (
    BillLine,
    LineOutcome,
    LineRejection,
    classify_contents,
    line_copay,
    service_date_rejection,
)


def line_rejection(
    line: BillLine,
    *,
    valid_from: date,
    valid_to: date,
    issued_on: date,
    removed_on: date | None = None,
) -> LineRejection | None:
    """`service_date_rejection` of this line."""
    return service_date_rejection(
        line.service_date, valid_from=valid_from, valid_to=valid_to, issued_on=issued_on, removed_on=removed_on
    )


def key_of_content(content: tuple) -> str:
    """What `content_keys` computes, the plain way: the MD5 of the content's repr."""
    return hashlib.md5(repr(content).encode(), usedforsecurity=False).hexdigest()


def content_key(line: BillLine) -> str:
    return key_of_content(line.content())


def import_outcome(stored: BillLine | None, line: BillLine) -> LineOutcome:
    """One line against the stored line of its id, if any."""
    return classify_contents(
        {} if stored is None else {line.line_id: stored.content()}, [(line.line_id, line.content())]
    )[0]


def classify(stored: Mapping[str, BillLine], incoming: Iterable[BillLine]) -> list[tuple[BillLine, LineOutcome]]:
    """`classify_contents` over whole lines."""
    incoming = list(incoming)
    outcomes = classify_contents(
        {line_id: line.content() for line_id, line in stored.items()},
        ((line.line_id, line.content()) for line in incoming),
    )
    return list(zip(incoming, outcomes, strict=True))


@dataclass(frozen=True)
class Issue:
    invoices: tuple[Invoice, ...]  # in numbering order
    deposit_uses: tuple[DepositUse, ...]
    zero_copay: tuple[str, ...]  # ids of lines kept for the history, never invoiced


def issue_invoices(
    lines: Iterable[BillLine],
    *,
    people: Mapping[str, Insured],
    programs: Mapping[str, ProgramTerms],
    issued_on: date,
    last_number: int = 0,
    invoiced: Collection[str] = frozenset(),
    deposits: Iterable[Deposit] = (),
    deposits_used: Mapping[str, int] | None = None,
) -> Issue:
    """The invoices to issue on `issued_on` for the lines not invoiced yet (`invoiced`: ids already on
    an invoice, or already kept as zero co-pay). `last_number`: the highest N issued in that month so far.
    Every line must belong to a known person and pass `line_rejection` (the importer rejected the others);
    ValueError otherwise. The invoices themselves are `issue_totals` of each person's co-pay sum."""
    by_person: dict[str, list[InvoicedLine]] = {}
    zero: list[str] = []
    seen = set(invoiced)
    for line in lines:
        if line.line_id in seen:
            continue
        seen.add(line.line_id)
        person = people.get(line.policy_key)
        if person is None:
            raise ValueError(f"line {line.line_id}: unknown policy")
        reason = line_rejection(
            line,
            valid_from=person.valid_from,
            valid_to=person.valid_to,
            issued_on=issued_on,
            removed_on=person.removed_on,
        )
        if reason is not None:
            raise ValueError(f"line {line.line_id}: {reason}")
        cost = line.cost
        copay = line_copay(cost, programs[person.program_code].franchise_bp)
        if copay == 0:
            zero.append(line.line_id)
        else:
            by_person.setdefault(person.policy_key, []).append(InvoicedLine(line.line_id, cost, copay))

    totals = issue_totals(
        {key: sum(line.copay for line in person_lines) for key, person_lines in by_person.items()},
        people=people,
        programs=programs,
        issued_on=issued_on,
        last_number=last_number,
        deposits=deposits,
        deposits_used=deposits_used,
    )
    invoices = tuple(
        Invoice(
            number=total.number,
            issued_on=total.issued_on,
            due_on=total.due_on,
            person_key=total.person_key,
            payer_key=total.payer_key,
            lines=tuple(by_person[total.person_key]),
            status=total.status,
            deposit_used=total.deposit_used,
        )
        for total in totals.invoices
    )
    return Issue(invoices, totals.deposit_uses, tuple(zero))


def percent_of(kopecks: int, percent: Decimal | int) -> int:
    """`percent` % of an amount, rounded half-up (half away from zero) to the kopeck:
    20 % of 1299999 → 260000."""
    if isinstance(percent, float):
        raise TypeError("percent must be Decimal or int, not float")
    share = Fraction(kopecks) * Fraction(percent) / 100
    rounded = int(abs(share) + Fraction(1, 2))  # int() truncates: floor for a non-negative value
    return rounded if share >= 0 else -rounded
