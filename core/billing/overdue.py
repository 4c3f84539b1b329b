"""The daily job's decisions: which invoices turn OVERDUE, whose access is restricted and whose restored.

Past its due date an unpaid (NEW) invoice is OVERDUE. An insured person with an OVERDUE invoice is
restricted by their program's `overdue_rule` (`franchise`: the franchise clinics unavailable;
`emergency`: only the clinics of `emergency_only` programs); when nothing of that person is overdue
any more (paid, cancelled, disputed), access is restored. `daily` is a pure function of the day, the
invoices and the current restrictions, so running it twice on a day gives nothing the second time,
and a run after missed days catches up (each invoice carries the day it became overdue).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from core.billing.facts import OverdueRule
from core.billing.invoices import Invoice, parse_number
from core.billing.status import Action, InvoiceStatus


@dataclass(frozen=True)
class MarkedOverdue:
    invoice: str
    person_key: str
    payer_key: str | None
    overdue_since: date  # the day after the due date, however late the job noticed


@dataclass(frozen=True)
class Restricted:
    person_key: str
    rule: OverdueRule
    invoices: tuple[str, ...]  # the person's overdue invoices, by number
    since: date  # the earliest day one of them became overdue


@dataclass(frozen=True)
class Restored:
    person_key: str
    on: date


@dataclass(frozen=True)
class DailyOutcome:
    overdue: tuple[MarkedOverdue, ...] = ()
    restricted: tuple[Restricted, ...] = ()
    restored: tuple[Restored, ...] = ()

    @property
    def events(self) -> tuple[MarkedOverdue | Restricted | Restored, ...]:
        return (*self.overdue, *self.restricted, *self.restored)


def overdue_since(invoice: Invoice) -> date:
    return invoice.due_on + timedelta(days=1)


def becomes_overdue(invoice: Invoice, today: date) -> bool:
    return invoice.status == InvoiceStatus.NEW and today > invoice.due_on


def mark_overdue(invoice: Invoice) -> Invoice:
    return invoice.moved(Action.BECAME_OVERDUE, InvoiceStatus.OVERDUE)


def overdue_people(invoices: Iterable[Invoice]) -> set[str]:
    """The insured people with an OVERDUE invoice: the ones whose access is restricted."""
    return {invoice.person_key for invoice in invoices if invoice.status == InvoiceStatus.OVERDUE}


def restorations(invoices: Iterable[Invoice], restricted: Iterable[str], on: date) -> tuple[Restored, ...]:
    """The restricted people with nothing overdue any more (after a payment, at once; or by the job)."""
    return restored(restricted, overdue_people(invoices), on)


def restored(restricted: Iterable[str], still_overdue: Iterable[str], on: date) -> tuple[Restored, ...]:
    """The restricted people not among those still overdue: their access comes back `on` that day."""
    return tuple(Restored(person, on) for person in sorted(set(restricted) - set(still_overdue)))


def daily(
    today: date,
    invoices: Iterable[Invoice],
    restricted: Iterable[str],
    rules: Mapping[str, OverdueRule],
) -> DailyOutcome:
    """What the daily job does on `today`. `restricted`: the people restricted now; `rules`: each
    insured person's program `overdue_rule` (needed only for people about to be restricted)."""
    current = []
    marked = []
    for invoice in invoices:
        if becomes_overdue(invoice, today):
            invoice = mark_overdue(invoice)
            marked.append(MarkedOverdue(invoice.number, invoice.person_key, invoice.payer_key, overdue_since(invoice)))
        current.append(invoice)
    restricted = set(restricted)
    overdue_by_person: dict[str, list[Invoice]] = {}
    for invoice in current:
        if invoice.status == InvoiceStatus.OVERDUE:
            overdue_by_person.setdefault(invoice.person_key, []).append(invoice)
    restrictions = tuple(
        Restricted(
            person,
            OverdueRule(rules[person]),
            tuple(sorted((inv.number for inv in own), key=parse_number)),
            min(overdue_since(inv) for inv in own),
        )
        for person, own in sorted(overdue_by_person.items())
        if person not in restricted
    )
    return DailyOutcome(tuple(marked), restrictions, restorations(current, restricted, today))
