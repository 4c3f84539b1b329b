"""The invoices a person sees (`InvoiceRepository`): those they pay and their own, with what the invoice
table and its details show. Who may see what is decided by the use case (`core.services.invoices`);
every statement here is already limited to the viewer's invoices, so a forged id finds nothing.

It also hands out stored invoices as the rules see them (`core.billing.invoices.Invoice`, in a
`StoredInvoice`) and saves what a rule made of them (`save`): the one place the two are mapped."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Row, Select, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.billing import invoices as billing
from core.billing.status import InvoiceStatus, PaidHow
from core.db.models import Account, BillLine, Clinic, Dispute, InsuredPerson, Invoice

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


@dataclass(frozen=True)
class StoredInvoice:
    """A stored invoice as the rules see it (`rule`), with what a use case needs besides: its ids, and its
    stored co-pay and credit (`rule.copay` and `rule.credited` come from the lines, loaded only when asked)."""

    id: int
    person_id: int
    payer_person_id: int | None
    copay: int
    credited: int
    rule: billing.Invoice


def stored_invoice(
    stored: Invoice,
    person_key: str,
    payer_key: str | None,
    lines: tuple[billing.InvoicedLine, ...] = (),
    credited_lines: frozenset[str] = frozenset(),
) -> StoredInvoice:
    """The mapping of a stored invoice (and its people's policy keys) to the rules' `Invoice`."""
    return StoredInvoice(
        id=stored.id,
        person_id=stored.person_id,
        payer_person_id=stored.payer_person_id,
        copay=stored.copay_kopecks,
        credited=stored.credited_kopecks,
        rule=billing.Invoice(
            number=stored.number,
            issued_on=stored.issued_on,
            due_on=stored.due_on,
            person_key=person_key,
            payer_key=payer_key,
            lines=lines,
            status=InvoiceStatus(stored.status),
            deposit_used=stored.deposit_used_kopecks,
            credited_lines=credited_lines,
            paid=stored.paid_kopecks,
            refunded=stored.refunded_kopecks,
            paid_how=PaidHow(stored.paid_how) if stored.paid_how else None,
        ),
    )


# What a rule may change of a stored invoice: the rule's field → the column.
_SAVED = {
    "status": "status",
    "due_on": "due_on",
    "deposit_used": "deposit_used_kopecks",
    "credited": "credited_kopecks",
    "paid": "paid_kopecks",
    "refunded": "refunded_kopecks",
    "paid_how": "paid_how",
}


class InvoiceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- as the rules see them

    async def rules(
        self, invoice_ids: Iterable[int], *, lock: bool = False, lines: bool = False
    ) -> list[StoredInvoice]:
        """These invoices as the rules see them, by id; their rows locked (PostgreSQL) until the transaction
        ends when asked, so that changes of one invoice go one after the other. With `lines`, the rule has
        the invoice's lines and those an accepted dispute credited (the disputes' rules need them)."""
        ids = sorted(set(invoice_ids))
        if not ids:
            return []
        query = (
            select(Invoice, InsuredPerson.policy_key, _PAYER.policy_key.label("payer_key"))
            .join(InsuredPerson, InsuredPerson.id == Invoice.person_id)
            .outerjoin(_PAYER, _PAYER.id == Invoice.payer_person_id)
            .where(Invoice.id.in_(ids))
            .order_by(Invoice.id)
            .execution_options(populate_existing=True)
        )
        if lock:
            query = query.with_for_update(of=Invoice)
        found = []
        for stored, person_key, payer_key in (await self.session.execute(query)).all():
            if lines:
                found.append(
                    stored_invoice(
                        stored,
                        person_key,
                        payer_key,
                        await self._lines(stored.id),
                        await self._credited_lines(stored.id),
                    )
                )
            else:
                found.append(stored_invoice(stored, person_key, payer_key))
        return found

    async def save(
        self,
        stored: StoredInvoice,
        after: billing.Invoice,
        now: datetime,
        *,
        offline_reference: str | None = None,
        cancel_reason: str | None = None,
    ) -> bool:
        """What a rule made of the invoice (`after`, from `stored.rule`), only if its stored status is still
        the one read: False when a concurrent change got there first. Staff's words on a change (the offline
        payment's reference, the cancellation's reason) are kept with it."""
        noted = {"offline_reference": offline_reference, "cancel_reason": cancel_reason}
        values = {name: value for name, value in noted.items() if value is not None}
        values |= {
            column: str(value) if isinstance(value, StrEnum) else value
            for field, column in _SAVED.items()
            if (value := getattr(after, field)) != getattr(stored.rule, field)
        }
        if after.status != stored.rule.status:
            if after.status == InvoiceStatus.PAID:
                values["paid_at"] = now
            elif after.status == InvoiceStatus.CANCELLED:
                values["cancelled_at"] = now
        result = await self.session.execute(
            update(Invoice)
            .where(Invoice.id == stored.id, Invoice.status == str(stored.rule.status))
            .values(updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def _lines(self, invoice_id: int) -> tuple[billing.InvoicedLine, ...]:
        query = select(BillLine).where(BillLine.invoice_id == invoice_id).order_by(BillLine.service_date, BillLine.id)
        return tuple(
            billing.InvoicedLine(line.id, line.cost_kopecks, line.copay_kopecks)
            for line in await self.session.scalars(query)
        )

    async def _credited_lines(self, invoice_id: int) -> frozenset[str]:
        """The lines of this invoice an accepted dispute credited."""
        query = select(Dispute.bill_line_id).where(Dispute.invoice_id == invoice_id, Dispute.status == "accepted")
        return frozenset(await self.session.scalars(query))

    # --- what the viewer sees

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
            select(
                BillLine, Clinic.name.label("clinic_name"), Invoice, _PAYER.policy_key.label("payer_key"), _SHARED_WITH
            ),
            viewer_person_id,
            person_id,
        ).outerjoin(Account, Account.insured_person_id == BillLine.person_id)
        query = query.order_by(BillLine.service_date.desc(), BillLine.imported_at.desc(), BillLine.id.desc())
        return list(await self.session.execute(query.offset(offset).limit(limit)))

    async def waiting_for_payer(self, person_id: int) -> list[StoredInvoice]:
        """The person's invoices issued with no payer (a minor waiting for a parent), as the rules see them."""
        query = (
            select(Invoice, InsuredPerson.policy_key)
            .join(InsuredPerson, InsuredPerson.id == Invoice.person_id)
            .where(Invoice.person_id == person_id, Invoice.payer_person_id.is_(None))
            .order_by(Invoice.id)
        )
        return [stored_invoice(stored, person_key, None) for stored, person_key in await self.session.execute(query)]

    async def set_payer(self, invoice_ids: Iterable[int], payer_person_id: int, at: datetime) -> int:
        """These invoices, still with no payer, are `payer_person_id`'s to pay; how many changed."""
        ids = list(set(invoice_ids))
        if not ids:
            return 0
        result = await self.session.execute(
            update(Invoice)
            .where(Invoice.id.in_(ids), Invoice.payer_person_id.is_(None))
            .values(payer_person_id=payer_person_id, updated_at=at)
        )
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
