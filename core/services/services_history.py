"""Services rendered (the SOGAZ manual, 4.1): the history of one insured person's services, each with its
full cost, the insured's part (the co-pay) and that part's payment status, newest service first, paged.

- Whose: a person whose policy the viewer sees (`core.services.policies.linked_policy`: their own, a
  relative's whose row names them as holder, a child they added). Anyone else's id finds nothing (None).
- Which lines: all of the viewer's own; of someone else's, the lines never invoiced (a zero co-pay, kept
  for this history) and those of the invoices the viewer pays. An invoice paid by someone else stays theirs.
- Names: as the invoice details show them (`core.billing.invoices.service_names_visible`): an adult
  relative's read "medical services" (`service_name` None) for the payer until that relative allows it
  in /settings (`core.cabinet.sharing`; her permission comes with the page's rows).
- Payment status: the invoice's status, or none for a line never invoiced ("not invoiced").

Amounts are integer kopecks. One unit of work per call (`InvoiceService.services`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Row

from core.billing.invoices import service_names_visible
from core.billing.status import InvoiceStatus
from core.cabinet.paging import Page, page_of
from core.cabinet.sharing import shared_with_payer
from core.db.models import InsuredPerson
from core.db.uow import UnitOfWork
from core.services.policies import Policy, Relation, linked_policy

PER_PAGE = 8


@dataclass(frozen=True)
class ServiceEntry:
    service_date: date
    clinic_name: str
    service_name: str | None  # None: hidden from this viewer ("medical services")
    quantity: int
    cost: int  # kopecks, the full cost
    copay: int  # kopecks, the insured's part
    invoice_number: str | None  # None: never invoiced (a zero co-pay)
    status: InvoiceStatus | None  # the invoice's; None: never invoiced


@dataclass(frozen=True)
class ServicesPage:
    person_id: int
    full_name: str
    policy_number: str
    relation: Relation
    services: tuple[ServiceEntry, ...]
    page: Page
    total_count: int


async def services_page(
    uow: UnitOfWork, viewer_person_id: int, person_id: int, page: int, today: date, per_page: int = PER_PAGE
) -> ServicesPage | None:
    """One page of the history of `person_id` as `viewer_person_id` may see it; None when that policy is
    not theirs to see."""
    policy = await linked_policy(uow, viewer_person_id, person_id, today)
    if policy is None:
        return None
    count = await uow.invoices.count_services(viewer_person_id, person_id)
    shown = page_of(count, page, per_page)
    rows = await uow.invoices.services(viewer_person_id, person_id, shown.start, shown.end - shown.start)
    viewer_key = await uow.invoices.policy_key(viewer_person_id)
    person = await uow.people.get(person_id)
    entries = tuple(_entry(row, policy, viewer_key, person, today) for row in rows)
    return ServicesPage(
        person_id=policy.person_id,
        full_name=policy.full_name,
        policy_number=policy.policy_number,
        relation=policy.relation,
        services=entries,
        page=shown,
        total_count=count,
    )


def _entry(row: Row, policy: Policy, viewer_key: str | None, person: InsuredPerson, today: date) -> ServiceEntry:
    line, invoice, person_key = row.BillLine, row.Invoice, person.policy_key
    if invoice is not None:
        payer_key = row.payer_key
    else:  # never invoiced: whoever pays the person's invoices now (the viewer, for a linked policy)
        payer_key = viewer_key if policy.is_payer else person_key
    allowed = shared_with_payer(row.shared_with, person.holder_policy_key, payer_key)
    visible = viewer_key is not None and service_names_visible(
        viewer_key,
        person_key=person_key,
        payer_key=payer_key,
        person_birth_date=person.birth_date,
        allowed_by_person=allowed,
        today=today,
    )
    return ServiceEntry(
        service_date=line.service_date,
        clinic_name=row.clinic_name,
        service_name=line.service_name if visible else None,
        quantity=line.quantity,
        cost=line.cost_kopecks,
        copay=line.copay_kopecks,
        invoice_number=invoice.number if invoice is not None else None,
        status=InvoiceStatus(invoice.status) if invoice is not None else None,
    )


__all__ = ["PER_PAGE", "ServiceEntry", "ServicesPage", "services_page"]
