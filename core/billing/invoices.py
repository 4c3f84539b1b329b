"""Issuing invoices: one per insured person per import, for that person's new lines with a co-pay.

- The payer is fixed at issue: the holder for a relative whose row names one; the parent who added a
  child; a minor relative with neither has no payer until a parent adds the child (`adopt_unpaid`);
  anyone else pays their own.
- Numbers are `YYYY/MM/N`, one running sequence per month of issue across all invoices, assigned in
  order of the payer's, then the insured person's canonical policy number, compared as plain Python
  strings (code point by code point, never a database collation). A person with no payer yet sorts by
  their own number.
- Deposits of the payer are consumed by the relatives' invoices (`core.billing.deposits`); total to
  pay = co-pay − deposit used (− co-pay credited by an accepted dispute), never below zero; an invoice
  issued with nothing to pay is PAID at once.
- An issued invoice never changes its lines; issuing again over the same lines issues nothing.

`issue_totals` takes each person's co-pay sum over their new lines, all an import of a million lines
needs to keep of them (the tests hold it against the invoices of the lines themselves).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from core.billing.deposits import Deposit, DepositClaim, DepositUse, consume
from core.billing.due import due_date
from core.billing.facts import Insured, ProgramTerms
from core.billing.status import PAID_BY, Action, InvoiceStatus, PaidHow, transition
from core.matching import ADULT_AGE
from core.normalize import age_on

_NUMBER = re.compile(r"([0-9]{4})/([0-9]{2})/([1-9][0-9]*)")


@dataclass(frozen=True)
class InvoicedLine:
    line_id: str
    cost: int  # kopecks
    copay: int  # kopecks, > 0


@dataclass(frozen=True)
class Invoice:
    number: str
    issued_on: date
    due_on: date
    person_key: str  # the insured person
    payer_key: str | None  # fixed at issue; None: a minor waiting for a parent
    lines: tuple[InvoicedLine, ...]
    status: InvoiceStatus = InvoiceStatus.NEW
    deposit_used: int = 0
    credited_lines: frozenset[str] = frozenset()  # lines whose co-pay an accepted dispute credited
    paid: int = 0  # received for it, by payment or offline
    refunded: int = 0
    paid_how: PaidHow | None = None  # set when it becomes PAID

    @property
    def copay(self) -> int:
        return sum(line.copay for line in self.lines)

    @property
    def credited(self) -> int:
        return sum(line.copay for line in self.lines if line.line_id in self.credited_lines)

    def line(self, line_id: str) -> InvoicedLine | None:
        return next((line for line in self.lines if line.line_id == line_id), None)

    @property
    def total(self) -> int:
        return left_to_pay(self.copay, self.deposit_used, self.credited)

    @property
    def sequence(self) -> int:
        return parse_number(self.number)[2]

    def moved(self, action: Action, target: InvoiceStatus, **changes) -> Invoice:
        """This invoice in `target`, when `action` may take it there (else TransitionRefused)."""
        status = transition(self.status, action, target)
        if status == InvoiceStatus.PAID:
            changes.setdefault("paid_how", PAID_BY[action])
        return replace(self, status=status, **changes)


def invoice_number(issued_on: date, sequence: int) -> str:
    if sequence < 1:
        raise ValueError("invoice sequence starts at 1")
    return f"{issued_on.year:04d}/{issued_on.month:02d}/{sequence}"


def parse_number(number: str) -> tuple[int, int, int]:
    """`2026/10/3` → (2026, 10, 3); ValueError for anything else."""
    match = _NUMBER.fullmatch(number)
    if not match:
        raise ValueError("not an invoice number")
    year, month, sequence = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise ValueError("not an invoice number")
    return year, month, sequence


def invoice_payer(person: Insured, issued_on: date) -> str | None:
    """Who pays this person's invoices issued on that day (fixed on the invoice)."""
    if person.holder_key:
        return person.holder_key
    if person.parent_key:
        return person.parent_key
    if person.is_relative and age_on(person.birth_date, issued_on) < ADULT_AGE:
        return None  # until a parent adds the child
    return person.policy_key


def numbering_key(payer_key: str | None, person_key: str) -> tuple[str, str]:
    """Plain string comparison, code point by code point."""
    return (payer_key if payer_key is not None else person_key, person_key)


@dataclass(frozen=True)
class InvoiceTotal:
    """An invoice as `issue_totals` issues it: without its lines, their co-pay summed."""

    number: str
    issued_on: date
    due_on: date
    person_key: str
    payer_key: str | None
    copay: int  # kopecks, > 0: the sum of the person's new lines' co-pays
    status: InvoiceStatus = InvoiceStatus.NEW
    deposit_used: int = 0
    paid_how: PaidHow | None = None  # DEPOSIT when the deposit covers it

    @property
    def total(self) -> int:
        """What is left to pay: co-pay − deposit used, never below zero (nothing is credited yet)."""
        return max(0, self.copay - self.deposit_used)

    @property
    def sequence(self) -> int:
        return parse_number(self.number)[2]


@dataclass(frozen=True)
class TotalsIssue:
    invoices: tuple[InvoiceTotal, ...]  # in numbering order
    deposit_uses: tuple[DepositUse, ...]


def issue_totals(
    copays: Mapping[str, int],
    *,
    people: Mapping[str, Insured],
    programs: Mapping[str, ProgramTerms],
    issued_on: date,
    last_number: int = 0,
    deposits: Iterable[Deposit] = (),
    deposits_used: Mapping[str, int] | None = None,
) -> TotalsIssue:
    """The invoices of one import from each insured person's co-pay sum (policy key → kopecks) over their
    new lines (`line_copay` of each, rounded per line): one per person with a sum above zero, numbered
    on from `last_number`, the payer fixed, the payers' deposits consumed, PAID at once when nothing is
    left to pay."""
    drafts = []
    for person_key, copay in copays.items():
        if copay < 0:
            raise ValueError(f"{person_key}: a negative co-pay")
        if copay == 0:
            continue
        person = people[person_key]
        payer = invoice_payer(person, issued_on)
        drafts.append((numbering_key(payer, person_key), person, payer, copay))
    drafts.sort(key=lambda draft: draft[0])

    due_on: dict[ProgramTerms, date] = {}  # the same for every invoice of a program
    invoices = []
    for offset, (_, person, payer, copay) in enumerate(drafts, start=1):
        terms = programs[person.program_code]
        if terms not in due_on:
            due_on[terms] = due_date(issued_on, terms.due_days, terms.due_day_kind)
        invoices.append(
            InvoiceTotal(
                number=invoice_number(issued_on, last_number + offset),
                issued_on=issued_on,
                due_on=due_on[terms],
                person_key=person.policy_key,
                payer_key=payer,
                copay=copay,
            )
        )

    deposits = list(deposits)
    holders = {deposit.holder_key for deposit in deposits}  # only their invoices can take from a deposit
    claims = [
        DepositClaim(inv.number, inv.issued_on, last_number + offset, inv.payer_key, inv.person_key, inv.copay)
        for offset, inv in enumerate(invoices, start=1)
        if inv.payer_key in holders
    ]
    uses = consume(claims, deposits, deposits_used)
    used_by: dict[str, int] = {}
    for use in uses:
        used_by[use.invoice] = used_by.get(use.invoice, 0) + use.amount
    issued = []
    for invoice in invoices:
        if invoice.number in used_by:
            invoice = replace(invoice, deposit_used=used_by[invoice.number])
        if invoice.total == 0:
            invoice = replace(invoice, status=InvoiceStatus.PAID, paid_how=PaidHow.DEPOSIT)  # at once
        issued.append(invoice)
    return TotalsIssue(tuple(issued), tuple(uses))


def adopt_unpaid(invoices: Iterable[Invoice], person_key: str, parent_key: str) -> list[Invoice]:
    """A parent has added the child: the child's invoices still waiting for a payer, and not settled,
    are the parent's to pay from now on. Returns only the invoices that changed."""
    return [
        replace(invoice, payer_key=parent_key)
        for invoice in invoices
        if invoice.person_key == person_key
        and invoice.payer_key is None
        and invoice.status not in (InvoiceStatus.PAID, InvoiceStatus.CANCELLED, InvoiceStatus.REFUNDED)
    ]


def service_names_visible(
    viewer_key: str,
    *,
    person_key: str,
    payer_key: str | None,
    person_birth_date: date,
    allowed_by_person: bool,
    today: date,
) -> bool:
    """May this viewer read the service names of a person's lines (an invoice's: its person and payer; a
    line never invoiced: whoever pays the person's invoices now)? The insured person always; the payer for
    their own lines and a minor's, and an adult relative's only once that relative, registered, has allowed
    it in settings (`allowed_by_person`; False for a relative without an account). Otherwise the lines read
    "medical services", with their amounts; anyone else sees nothing of them."""
    if viewer_key == person_key:
        return True
    if viewer_key != payer_key:
        return False
    if age_on(person_birth_date, today) < ADULT_AGE:
        return True
    return allowed_by_person


def left_to_pay(copay: int, deposit_used: int, credited: int) -> int:
    """What is left to pay of an invoice: co-pay − deposit used − credited, never below zero."""
    return max(0, copay - deposit_used - credited)
