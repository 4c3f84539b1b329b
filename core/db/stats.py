"""The statistics' statements (`StatsRepository`): every figure is a COUNT or a SUM the database adds up,
grouped in SQL, so /stats and a /metrics scrape read a few rows whatever the size of the tables.

Indexes they lean on: the unique index of `accounts.insured_person_id` (registered),
`ix_audit_events_action_at` (this week's registrations and refusals: a range of the week within each of
three actions), `ix_disputes_status_deadline` (open and late disputes), `ix_user_requests_status`,
`ix_outbox_pending` (`sent_at` first). Invoices, payments and refunds are summed over all their rows by
status, one pass each (`ix_invoices_status_due_on`, `ix_payments_status_created_at`,
`ix_refunds_status_created_at` give the grouping): the cost grows with those tables.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, case, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import AuditAction
from core.billing.disputes import DisputeStatus
from core.cabinet.requests import RequestKind, RequestStatus
from core.db.models import Account, AuditEvent, Dispute, Invoice, OutboxMessage, Payment, Refund, UserRequest
from core.desk.stats import InvoiceRow, Tally

_REGISTRATION = (AuditAction.REGISTRATION_LINKED, AuditAction.REGISTRATION_SUBMIT, AuditAction.REGISTRATION_REFUSED)
SUCCEEDED = "succeeded"


def _sum(value):
    """0 over no rows, and an integer on both databases (PostgreSQL's SUM of a bigint is a numeric)."""
    return cast(func.coalesce(func.sum(value), 0), BigInteger)


class StatsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def registered(self) -> int:
        query = select(func.count(Account.insured_person_id))
        return await self.session.scalar(query) or 0

    async def registration_events(
        self, start: datetime, end: datetime
    ) -> list[tuple[str, str | None, str | None, int]]:
        """(action, reason, way, count) of the registration's audit events in [start, end)."""
        # Grouped over a subquery: the JSON path is a bound parameter, which PostgreSQL would not match
        # between the select list and GROUP BY.
        events = (
            select(AuditEvent.action, AuditEvent.reason, AuditEvent.details["way"].as_string().label("way"))
            .where(AuditEvent.at >= start, AuditEvent.at < end, AuditEvent.action.in_(_REGISTRATION))
            .subquery()
        )
        query = select(events.c.action, events.c.reason, events.c.way, func.count()).group_by(
            events.c.action, events.c.reason, events.c.way
        )
        return [tuple(row) for row in await self.session.execute(query)]

    async def invoices(self) -> list[InvoiceRow]:
        billed = Invoice.copay_kopecks - Invoice.deposit_used_kopecks
        query = select(
            Invoice.status,
            func.count(),
            _sum(billed),
            _sum(billed - Invoice.credited_kopecks),
            _sum(Invoice.paid_kopecks),
        ).group_by(Invoice.status)
        return [InvoiceRow(*row) for row in await self.session.execute(query)]

    async def payments(self) -> tuple[Tally, dict[str, int]]:
        """The succeeded payments, and every payment's count by status."""
        query = select(Payment.status, func.count(), _sum(Payment.amount_kopecks))
        rows = (await self.session.execute(query.group_by(Payment.status))).all()
        paid = next((Tally(count, kopecks) for status, count, kopecks in rows if status == SUCCEEDED), Tally())
        return paid, {status: count for status, count, _ in rows}

    async def refunds(self) -> Tally:
        query = select(func.count(), _sum(Refund.amount_kopecks)).where(Refund.status == SUCCEEDED)
        count, kopecks = (await self.session.execute(query)).one()
        return Tally(count, kopecks)

    async def disputes(self, today: date) -> tuple[int, int]:
        """Open disputes, and those of them past their deadline on `today`."""
        late = _sum(case((Dispute.deadline < today, 1), else_=0))
        query = select(func.count(), late).where(Dispute.status == DisputeStatus.OPEN)
        open_, late_ = (await self.session.execute(query)).one()
        return open_, late_

    async def open_requests(self) -> tuple[int, int]:
        """Waiting for an answer: the cabinet's requests, and questions to support."""
        query = select(UserRequest.kind, func.count()).where(UserRequest.status == RequestStatus.NEW)
        counts = dict((await self.session.execute(query.group_by(UserRequest.kind))).all())
        questions = counts.pop(RequestKind.SUPPORT.value, 0)
        return sum(counts.values()), questions

    async def outbox(self) -> tuple[int, datetime | None]:
        """Notices neither sent nor given up, and the oldest one's creation."""
        query = select(func.count(), func.min(OutboxMessage.created_at)).where(
            OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None)
        )
        count, oldest = (await self.session.execute(query)).one()
        return count, oldest
