"""Disputes stored (`disputes` table): what `core.services.disputes` reads and writes. Every read for a
person is limited to the invoices that person sees (pays, or is the insured person of), so a forged id
finds nothing."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Row, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import BillLine, Dispute, DisputeMessage, Invoice

CONVERSATION_MAX = 20  # the newest messages of a dispute's conversation shown


def _visible(viewer_person_id: int):
    return or_(Invoice.payer_person_id == viewer_person_id, Invoice.person_id == viewer_person_id)


def _rows():
    """(Dispute, invoice number, service date)."""
    return (
        select(Dispute, Invoice.number.label("invoice_number"), BillLine.service_date)
        .join(Invoice, Invoice.id == Dispute.invoice_id)
        .join(BillLine, BillLine.id == Dispute.bill_line_id)
    )


class DisputeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_for_update(self, dispute_id: int) -> Dispute | None:
        query = (
            select(Dispute).where(Dispute.id == dispute_id).with_for_update().execution_options(populate_existing=True)
        )
        return await self.session.scalar(query)

    async def insert(self, dispute: Dispute) -> None:
        """Stored now, within the transaction: its id is known."""
        self.session.add(dispute)
        await self.session.flush()

    async def of_viewer(self, viewer_person_id: int, statuses: Iterable[str] | None = None) -> list[Row]:
        """(Dispute, invoice number, service date) of the invoices the viewer sees, newest first."""
        query = _rows().where(_visible(viewer_person_id))
        if statuses is not None:
            query = query.where(Dispute.status.in_(list(statuses)))
        return list(await self.session.execute(query.order_by(Dispute.opened_at.desc(), Dispute.id.desc())))

    async def one_of_viewer(self, viewer_person_id: int, dispute_id: int) -> Row | None:
        """(Dispute, invoice number, service date) of one dispute, if its invoice is one the viewer sees."""
        return (await self.session.execute(_rows().where(_visible(viewer_person_id), Dispute.id == dispute_id))).first()

    async def of_invoice(self, viewer_person_id: int, invoice_id: int) -> list[Row]:
        """(Dispute, invoice number, service date) of one invoice the viewer sees, oldest first."""
        query = _rows().where(_visible(viewer_person_id), Invoice.id == invoice_id)
        return list(await self.session.execute(query.order_by(Dispute.opened_at, Dispute.id)))

    async def row(self, dispute_id: int) -> Row | None:
        return (await self.session.execute(_rows().where(Dispute.id == dispute_id))).first()

    async def add_message(self, message: DisputeMessage) -> None:
        self.session.add(message)
        await self.session.flush()

    async def messages(self, dispute_id: int) -> list[DisputeMessage]:
        """The newest of the conversation, oldest first."""
        query = (
            select(DisputeMessage)
            .where(DisputeMessage.dispute_id == dispute_id)
            .order_by(DisputeMessage.at.desc(), DisputeMessage.id.desc())
            .limit(CONVERSATION_MAX)
        )
        return list(reversed(list(await self.session.scalars(query))))

    async def last_message_id(self, dispute_id: int) -> int | None:
        return await self.session.scalar(
            select(func.max(DisputeMessage.id)).where(DisputeMessage.dispute_id == dispute_id)
        )

    async def message(self, dispute_id: int, message_id: int) -> DisputeMessage | None:
        query = select(DisputeMessage).where(DisputeMessage.dispute_id == dispute_id, DisputeMessage.id == message_id)
        return await self.session.scalar(query)
