"""The autopay queue: an automatic charge queued, in the issuing transaction, for each new invoice whose
payer has automatic charges on, a card and a contact for the receipt (`core.services.cards` makes it)."""

from __future__ import annotations

from datetime import datetime

from core.billing.invoices import InvoiceTotal
from core.billing.status import InvoiceStatus
from core.db.uow import UnitOfWork


async def queue_autopay(
    uow: UnitOfWork,
    invoices: tuple[InvoiceTotal, ...],
    ids: dict[str, int],
    invoice_ids: dict[str, int],
    now: datetime,
) -> tuple[set[str], set[str]]:
    """An automatic charge queued, in `uow`'s transaction, for each invoice left to pay whose payer has
    automatic charges on, a card and a phone or e-mail for the receipt (core.services.cards makes it).
    Returns the numbers of the invoices queued, and of those not queued for want of a contact."""
    payers = {ids[invoice.payer_key] for invoice in invoices if invoice.payer_key and invoice.total > 0}
    cards = uow.cards
    on = await cards.autopay_payers(payers)
    unreachable = await cards.without_contact(on)
    chargeable = [
        invoice
        for invoice in invoices
        if invoice.payer_key
        and invoice.total > 0
        and invoice.status == InvoiceStatus.NEW
        and ids[invoice.payer_key] in on
    ]
    queued = [invoice for invoice in chargeable if ids[invoice.payer_key] not in unreachable]
    await cards.queue(
        [
            {"invoice_id": invoice_ids[invoice.number], "payer_person_id": ids[invoice.payer_key], "queued_at": now}
            for invoice in queued
        ]
    )
    return {invoice.number for invoice in queued}, {i.number for i in chargeable if ids[i.payer_key] in unreachable}
