"""The invoices a person sees (`InvoiceRepository`): those they pay and their own, with what the invoice
table and its details show. Who may see what is decided by the use case (`core.services.invoices`);
every statement here is already limited to the viewer's invoices, so a forged id finds nothing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Row, Select, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.db.models import Account, BillLine, Clinic, InsuredPerson, Invoice

_PAYER = aliased(InsuredPerson)
# Whom the insured person's account lets see the names of her services (`Account.services_shared_with`):
# an outer join on the account's unique `insured_person_id`, at most one row, NULL without an account.
_SHARED_WITH = Account.services_shared_with.label("shared_with")


def _visible(viewer_person_id: int):
    """The viewer pays it, or is the insured person of it."""
    return or_(Invoice.payer_person_id == viewer_person_id, Invoice.person_id == viewer_person_id)


def _rows(viewer_person_id: int) -> Select:
    return (
        select(Invoice, InsuredPerson, _PAYER.policy_key.label("payer_key"), _SHARED_WITH)
        .join(InsuredPerson, InsuredPerson.id == Invoice.person_id)
        .outerjoin(_PAYER, _PAYER.id == Invoice.payer_person_id)
        .outerjoin(Account, Account.insured_person_id == Invoice.person_id)
        .where(_visible(viewer_person_id))
    )


class InvoiceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count(self, viewer_person_id: int) -> int:
        return await self.session.scalar(select(func.count(Invoice.id)).where(_visible(viewer_person_id)))

    async def page(self, viewer_person_id: int, offset: int | None = None, limit: int | None = None) -> list[Row]:
        """(Invoice, InsuredPerson, payer_key, shared_with) newest first (issue date, then number order); all without
        a limit."""
        query = _rows(viewer_person_id).order_by(Invoice.issued_on.desc(), Invoice.id.desc())
        if offset is not None:
            query = query.offset(offset)
        if limit is not None:
            query = query.limit(limit)
        return list(await self.session.execute(query))

    async def of_viewer(self, viewer_person_id: int, invoice_ids: Iterable[int]) -> list[Row]:
        """The rows of these ids that the viewer sees (the others are left out), newest first."""
        ids = list(set(invoice_ids))
        if not ids:
            return []
        query = _rows(viewer_person_id).where(Invoice.id.in_(ids)).order_by(Invoice.issued_on.desc(), Invoice.id.desc())
        return list(await self.session.execute(query))

    async def lines(self, invoice_ids: Iterable[int]) -> list[Row]:
        """(BillLine, clinic name) of these invoices, by service date."""
        ids = list(set(invoice_ids))
        if not ids:
            return []
        query = (
            select(BillLine, Clinic.name.label("clinic_name"))
            .join(Clinic, Clinic.id == BillLine.clinic_id)
            .where(BillLine.invoice_id.in_(ids))
            .order_by(BillLine.invoice_id, BillLine.service_date, BillLine.id)
        )
        return list(await self.session.execute(query))

    async def policy_key(self, person_id: int) -> str | None:
        return await self.session.scalar(select(InsuredPerson.policy_key).where(InsuredPerson.id == person_id))

    # --- the services rendered (SOGAZ 4.1): a person's bill lines, invoiced or not

    async def count_services(self, viewer_person_id: int, person_id: int) -> int:
        query = _services(select(func.count(BillLine.id)), viewer_person_id, person_id)
        return await self.session.scalar(query)

    async def services(self, viewer_person_id: int, person_id: int, offset: int, limit: int) -> list[Row]:
        """(BillLine, clinic_name, Invoice or None, payer_key, shared_with) of `person_id`'s lines that
        `viewer_person_id` sees, newest service first: all of them for the person; for anyone else (the use
        case has checked the policy is theirs) the lines not invoiced (zero co-pay) and those of invoices the
        viewer pays. `shared_with`: the person's account's `services_shared_with`, the same on every row."""
        query = _services(
            select(BillLine, Clinic.name.label("clinic_name"), Invoice, _PAYER.policy_key.label("payer_key"),
                   _SHARED_WITH),
            viewer_person_id, person_id,
        ).outerjoin(Account, Account.insured_person_id == BillLine.person_id)
        query = query.order_by(BillLine.service_date.desc(), BillLine.imported_at.desc(), BillLine.id.desc())
        return list(await self.session.execute(query.offset(offset).limit(limit)))

    async def waiting_for_payer(self, person_id: int) -> list[Row]:
        """(Invoice, person_key) of the person's invoices issued with no payer (a minor waiting for a parent)."""
        query = (
            select(Invoice, InsuredPerson.policy_key.label("person_key"))
            .join(InsuredPerson, InsuredPerson.id == Invoice.person_id)
            .where(Invoice.person_id == person_id, Invoice.payer_person_id.is_(None))
            .order_by(Invoice.id)
        )
        return list(await self.session.execute(query))

    async def set_payer(self, invoice_ids: Iterable[int], payer_person_id: int, at: datetime) -> int:
        """These invoices, still with no payer, are `payer_person_id`'s to pay; how many changed."""
        ids = list(set(invoice_ids))
        if not ids:
            return 0
        result = await self.session.execute(
            update(Invoice).where(Invoice.id.in_(ids), Invoice.payer_person_id.is_(None))
            .values(payer_person_id=payer_person_id, updated_at=at)
        )  # fmt: skip
        return result.rowcount


def _services(query: Select, viewer_person_id: int, person_id: int) -> Select:
    query = (
        query.select_from(BillLine)
        .join(Clinic, Clinic.id == BillLine.clinic_id)
        .outerjoin(Invoice, Invoice.id == BillLine.invoice_id)
        .outerjoin(_PAYER, _PAYER.id == Invoice.payer_person_id)
        .where(BillLine.person_id == person_id)
    )
    if viewer_person_id != person_id:
        query = query.where(or_(BillLine.invoice_id.is_(None), Invoice.payer_person_id == viewer_person_id))
    return query
