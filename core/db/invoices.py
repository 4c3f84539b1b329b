"""The invoices a person sees (`InvoiceRepository`): those they pay and their own, with what the invoice
table and its details show. Who may see what is decided by the use case (`core.services.invoices`);
every statement here is already limited to the viewer's invoices, so a forged id finds nothing."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Row, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.db.models import BillLine, Clinic, InsuredPerson, Invoice

_PAYER = aliased(InsuredPerson)


def _visible(viewer_person_id: int):
    """The viewer pays it, or is the insured person of it."""
    return or_(Invoice.payer_person_id == viewer_person_id, Invoice.person_id == viewer_person_id)


def _rows(viewer_person_id: int) -> Select:
    return (
        select(Invoice, InsuredPerson, _PAYER.policy_key.label("payer_key"))
        .join(InsuredPerson, InsuredPerson.id == Invoice.person_id)
        .outerjoin(_PAYER, _PAYER.id == Invoice.payer_person_id)
        .where(_visible(viewer_person_id))
    )


class InvoiceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count(self, viewer_person_id: int) -> int:
        return await self.session.scalar(select(func.count(Invoice.id)).where(_visible(viewer_person_id)))

    async def page(self, viewer_person_id: int, offset: int | None = None, limit: int | None = None) -> list[Row]:
        """(Invoice, InsuredPerson, payer_key) newest first (issue date, then number order); all without
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
