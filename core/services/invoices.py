"""The invoices a registered person sees in the chat: the table ("Мои счета"), one invoice's details,
and the invoices they may select for payment.

- A viewer sees the invoices they pay (their own and their relatives' and children's, the payer fixed at
  issue) and the invoices of which they are the insured person (a relative with an account sees their
  own). Nobody else's: a forged id finds nothing, and the answer is None, as for no such invoice.
- The lines of an adult relative's invoice read "medical services" for the payer until that relative
  allows otherwise in /settings (`core.billing.invoices.service_names_visible`, `core.cabinet.sharing`):
  `service_name` is None then. Her permission comes with the invoice's row (one statement).
- Selectable for payment: an unpaid invoice (`core.billing.status.SELECTABLE`) that the viewer pays.

Amounts are integer kopecks (`core.money.from_kopecks` at the edges). One unit of work per call.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Row

from core.billing.invoices import service_names_visible
from core.billing.payments import MAX_INVOICES
from core.billing.status import SELECTABLE, UNPAID, InvoiceStatus, PaidHow
from core.cabinet.paging import Page, page_of
from core.cabinet.sharing import shared_with_payer
from core.calendar import Clock
from core.db.models import InsuredPerson, Invoice
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.services.policies import full_name
from core.services.services_history import ServicesPage, services_page
from core.services.viewers import Viewer

PER_PAGE = 8
PAID_STATES = frozenset({InvoiceStatus.PAID, InvoiceStatus.REFUNDED})


class Category(StrEnum):
    OWN = "own"  # the viewer is the insured person
    RELATIVE = "relative"  # an adult the viewer pays for
    CHILD = "child"  # a minor the viewer pays for


@dataclass(frozen=True)
class InvoiceSummary:
    """A row of the invoice table."""

    invoice_id: int
    number: str
    issued_on: date
    due_on: date
    person_id: int
    insured_name: str
    category: Category
    copay: int  # kopecks
    deposit_used: int
    credited: int
    total: int  # left to pay: co-pay − deposit used − credited, never below zero
    status: InvoiceStatus
    selectable: bool  # unpaid, and the viewer pays it

    @property
    def disputable(self) -> bool:
        """A line of it may be disputed now (the dispute's own rules then decide: core.billing.disputes)."""
        return self.status in UNPAID


@dataclass(frozen=True)
class InvoicePage:
    invoices: tuple[InvoiceSummary, ...]
    page: Page
    total_count: int


@dataclass(frozen=True)
class InvoiceLine:
    service_date: date
    clinic_name: str
    service_name: str | None  # None: hidden from this viewer ("medical services")
    quantity: int
    cost: int  # kopecks
    copay: int
    line_id: str = ""  # the clinic's bill_line_id (what a dispute names)


@dataclass(frozen=True)
class PaidBy:
    """How a paid invoice was paid: by a payment (through the provider's page, or charged automatically to
    a saved card), or with nothing left to pay (the deposit and what disputes took off covered it)."""

    payment_id: int | None = None  # None: nothing was left to pay, or paid outside the bot (`offline`)
    paid_at: datetime | None = None  # in the operator's time zone
    automatic: bool = False
    offline: bool = False  # staff marked it paid: at the clinic's desk, by a bank transfer
    card: str | None = None  # the last digits of the saved card an automatic charge used


@dataclass(frozen=True)
class InvoiceDetails:
    invoice: InvoiceSummary
    lines: tuple[InvoiceLine, ...]
    paid: PaidBy | None = None  # for a paid (or refunded) invoice


@dataclass(frozen=True)
class Selection:
    """The selected invoices still selectable (a status may have changed since), and their total."""

    invoices: tuple[InvoiceSummary, ...]
    more: int = 0  # selectable ones left out: one payment takes at most MAX_INVOICES

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(invoice.invoice_id for invoice in self.invoices)

    @property
    def total(self) -> int:
        return sum(invoice.total for invoice in self.invoices)


class InvoiceService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

    async def table(
        self, viewer: Viewer, selected_ids: Iterable[int], page: int, per_page: int = PER_PAGE
    ) -> tuple[InvoicePage, Selection]:
        """The viewer's invoices, newest first, one page (clamped into range); and of `selected_ids`, the
        invoices the viewer may still select, with their total. One unit of work for both."""
        if viewer.person_id is None:
            return InvoicePage((), page_of(0, 0, per_page), 0), Selection(())
        today = self.clock.today()
        async with self.uow.reading() as uow:
            selected = await uow.invoices.of_viewer(viewer.person_id, selected_ids)
            count = await uow.invoices.count(viewer.person_id)
            shown = page_of(count, page, per_page)
            rows = await uow.invoices.page(viewer.person_id, shown.start, shown.end - shown.start)
        summaries = tuple(_summary(row, viewer.person_id, today) for row in rows)
        selectable = (s for s in (_summary(row, viewer.person_id, today) for row in selected) if s.selectable)
        return InvoicePage(summaries, shown, count), Selection(tuple(selectable))

    async def all(self, viewer: Viewer) -> list[InvoiceSummary]:
        """Every invoice the viewer sees, newest first (the export of the whole table)."""
        if viewer.person_id is None:
            return []
        today = self.clock.today()
        async with self.uow() as uow:
            rows = await uow.invoices.page(viewer.person_id)
        return [_summary(row, viewer.person_id, today) for row in rows]

    async def details(self, viewer: Viewer, invoice_id: int) -> InvoiceDetails | None:
        """The invoice with its lines when the viewer may see it; else None (someone else's, or no such id)."""
        if viewer.person_id is None:
            return None
        today = self.clock.today()
        async with self.uow() as uow:
            rows = await uow.invoices.of_viewer(viewer.person_id, [invoice_id])
            if not rows:
                return None
            row = rows[0]
            viewer_key = await uow.invoices.policy_key(viewer.person_id)
            lines = await uow.invoices.lines([invoice_id])
            summary = _summary(row, viewer.person_id, today)
            paid = await self._paid_by(uow, summary, row.Invoice) if summary.status in PAID_STATES else None
        visible = _names_visible(row, viewer_key, today)
        return InvoiceDetails(
            summary,
            tuple(
                InvoiceLine(
                    service_date=line.BillLine.service_date,
                    clinic_name=line.clinic_name,
                    service_name=line.BillLine.service_name if visible else None,
                    quantity=line.BillLine.quantity,
                    cost=line.BillLine.cost_kopecks,
                    copay=line.BillLine.copay_kopecks,
                    line_id=line.BillLine.id,
                )
                for line in lines
            ),
            paid,
        )

    async def _paid_by(self, uow: UnitOfWork, invoice: InvoiceSummary, stored: Invoice) -> PaidBy:
        if stored.paid_how == PaidHow.OFFLINE:
            return PaidBy(paid_at=self.clock.local(stored.paid_at) if stored.paid_at else None, offline=True)
        found = await uow.payments.paid_by(invoice.invoice_id)
        if found is None:
            return PaidBy()
        at = found.settled_at.astimezone(self.clock.zone) if found.settled_at else None
        return PaidBy(found.id, at, automatic=found.kind == "autopay", card=found.last4)

    async def summary(self, viewer: Viewer, invoice_id: int) -> InvoiceSummary | None:
        """One row of the viewer's table, or None when the viewer does not see that invoice."""
        found = await self.summaries(viewer, [invoice_id])
        return found[0] if found else None

    async def summaries(self, viewer: Viewer, invoice_ids: Iterable[int]) -> list[InvoiceSummary]:
        """The rows of these ids the viewer sees (the others left out), newest first."""
        if viewer.person_id is None:
            return []
        today = self.clock.today()
        async with self.uow.reading() as uow:
            rows = await uow.invoices.of_viewer(viewer.person_id, invoice_ids)
        return [_summary(row, viewer.person_id, today) for row in rows]

    async def payable(self, viewer: Viewer) -> Selection:
        """What /pay offers: the unpaid invoices the viewer pays, due first, as many as one payment takes."""
        if viewer.person_id is None:
            return Selection(())
        today = self.clock.today()
        async with self.uow() as uow:
            rows = await uow.invoices.page(viewer.person_id)
        owed = [s for s in (_summary(row, viewer.person_id, today) for row in rows) if s.selectable and s.total > 0]
        owed.sort(key=lambda s: (s.due_on, s.number))
        return Selection(tuple(owed[:MAX_INVOICES]), more=max(0, len(owed) - MAX_INVOICES))

    async def services(self, viewer: Viewer, person_id: int, page: int) -> ServicesPage | None:
        """Services rendered (`core.services.services_history`): one page of the history of `person_id`,
        newest first; None when that person's policy is not the viewer's to see."""
        if viewer.person_id is None:
            return None
        async with self.uow() as uow:
            return await services_page(uow, viewer.person_id, person_id, page, self.clock.today())


def total_to_pay(copay: int, deposit_used: int, credited: int) -> int:
    """As `core.billing.invoices.Invoice.total`: never below zero."""
    return max(0, copay - deposit_used - credited)


def _category(person: InsuredPerson, viewer_person_id: int) -> Category:
    """The same word as the policy list's (`core.services.policies.Relation`): a relative is named so by the
    registry (it names a holder), whatever the age; a child is one the viewer added (no holder)."""
    if person.id == viewer_person_id:
        return Category.OWN
    return Category.RELATIVE if person.holder_policy_key is not None else Category.CHILD


def _summary(row: Row, viewer_person_id: int, today: date) -> InvoiceSummary:
    invoice, person = row.Invoice, row.InsuredPerson
    status = InvoiceStatus(invoice.status)
    return InvoiceSummary(
        invoice_id=invoice.id,
        number=invoice.number,
        issued_on=invoice.issued_on,
        due_on=invoice.due_on,
        person_id=person.id,
        insured_name=full_name(person),
        category=_category(person, viewer_person_id),
        copay=invoice.copay_kopecks,
        deposit_used=invoice.deposit_used_kopecks,
        credited=invoice.credited_kopecks,
        total=total_to_pay(invoice.copay_kopecks, invoice.deposit_used_kopecks, invoice.credited_kopecks),
        status=status,
        selectable=status in SELECTABLE and invoice.payer_person_id == viewer_person_id,
    )


def _names_visible(row: Row, viewer_key: str | None, today: date) -> bool:
    person = row.InsuredPerson
    allowed = shared_with_payer(row.shared_with, person.holder_policy_key, row.payer_key)
    return viewer_key is not None and service_names_visible(
        viewer_key,
        person_key=person.policy_key,
        payer_key=row.payer_key,
        person_birth_date=person.birth_date,
        allowed_by_person=allowed,
        today=today,
    )


__all__ = [
    "PER_PAGE",
    "Category",
    "InvoiceDetails",
    "InvoiceLine",
    "InvoicePage",
    "InvoiceService",
    "InvoiceSummary",
    "Selection",
    "total_to_pay",
]
