"""Disputes in the chat: choosing the line of an invoice, the reason's prompt, the confirmation with the
answer's deadline, a line's dispute status in the invoice's details, and the open disputes in /requests.
Every user or staff string is escaped; buttons are plain text, so names in them are only shortened."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from aiogram_i18n import I18nContext

from bot.callbacks.disputes import DisputeLineCb, DisputeStartCb
from bot.callbacks.invoices import InvoiceCb, InvoicesCb
from bot.screens import Screen
from bot.views.kit import BUTTON_LABEL, button, clip, day, keyboard, lines, rub, variant
from bot.views.navigation import menu_button
from core.billing.disputes import DisputeStatus
from core.billing.status import UNPAID
from core.services.disputes import DisputeRecord
from core.services.invoices import InvoiceDetails, InvoiceLine, InvoiceSummary

ANSWER_IN_LINE = 300  # the staff's answer under a line of the details (UTF-16 units)
REASON_SHOWN = 300
IN_REQUESTS = 10  # open disputes listed in /requests (each with a button to its invoice)


def dispute_line_label(i18n: I18nContext, number: int, line: InvoiceLine) -> str:
    service = line.service_name if line.service_name is not None else i18n.get("invoice-hidden-service")
    return i18n.get(
        "dispute-line-button",
        number=number,
        date=day(i18n, line.service_date),
        service=clip(service, BUTTON_LABEL),
        copay=rub(i18n, line.copay),
    )


def dispute_row(i18n: I18nContext, invoice: InvoiceSummary, page: int) -> list:
    """The details' "Dispute a service" button, for an unpaid invoice only."""
    if invoice.status not in UNPAID:
        return []
    return [button(i18n.get("dispute-start-button"), DisputeStartCb(invoice_id=invoice.invoice_id, page=page))]


def line_dispute_text(i18n: I18nContext, dispute: DisputeRecord) -> str:
    """Under a line of the details: its (latest) dispute."""
    if dispute.status == DisputeStatus.OPEN:
        key = "dispute-line-late" if dispute.late else "dispute-line-open"
        return i18n.get(key, opened=day(i18n, dispute.opened_on), deadline=day(i18n, dispute.deadline))
    text = i18n.get(
        variant("dispute-line", dispute.status), answered=day(i18n, dispute.answered_on or dispute.opened_on)
    )
    if dispute.answer:
        text += "\n" + i18n.get("dispute-line-answer", answer=escape(clip(dispute.answer, ANSWER_IN_LINE)))
    return text


def dispute_lines_screen(i18n: I18nContext, details: InvoiceDetails, page: int, credited: Sequence[str] = ()) -> Screen:
    invoice = details.invoice
    text = lines(
        i18n.get("dispute-choose-title", number=escape(invoice.number)),
        i18n.get("dispute-choose-hint"),
    )
    rows = [
        [
            button(
                dispute_line_label(i18n, position + 1, line),
                DisputeLineCb(invoice_id=invoice.invoice_id, line=position, page=page),
            )
        ]
        for position, line in enumerate(details.lines)
        if line.line_id not in credited
    ]
    return text, keyboard(
        *rows, [button(i18n.get("button-cancel"), InvoiceCb(invoice_id=invoice.invoice_id, page=page))]
    )


def dispute_prompt_screen(i18n: I18nContext, details: InvoiceDetails, position: int, page: int) -> Screen:
    line = details.lines[position]
    text = lines(
        i18n.get("dispute-prompt-title", number=escape(details.invoice.number)),
        escape(dispute_line_label(i18n, position + 1, line)),
        "",
        i18n.get("dispute-prompt"),
    )
    cancel = InvoiceCb(invoice_id=details.invoice.invoice_id, page=page)
    return text, keyboard([button(i18n.get("button-cancel"), cancel)])


def dispute_opened_screen(i18n: I18nContext, dispute: DisputeRecord, page: int) -> Screen:
    text = lines(
        i18n.get(
            "dispute-opened",
            number=escape(dispute.invoice_number),
            date=day(i18n, dispute.service_date),
            deadline=day(i18n, dispute.deadline),
        ),
        i18n.get("dispute-opened-reason", reason=escape(clip(dispute.reason, REASON_SHOWN))),
        i18n.get("dispute-opened-hint"),
    )
    return text, keyboard(
        [
            button(
                i18n.get("dispute-to-invoice-button", number=dispute.invoice_number),
                InvoiceCb(invoice_id=dispute.invoice_id, page=page),
            )
        ],
        [button(i18n.get("invoices-back-button"), InvoicesCb(page=page))],
        [menu_button(i18n)],
    )


def dispute_refused_screen(i18n: I18nContext, refusal: str, invoice_id: int, page: int) -> Screen:
    return i18n.get(variant("dispute-refused", refusal)), keyboard(
        [button(i18n.get("invoices-back-button"), InvoicesCb(page=page))],
        [menu_button(i18n)],
    )


def open_disputes_section(i18n: I18nContext, disputes: Sequence[DisputeRecord]) -> tuple[str, list[list]]:
    """/requests: the open disputes with their deadlines (late ones marked), and a button to each invoice."""
    if not disputes:
        return "", []
    shown = disputes[:IN_REQUESTS]
    entries = [
        i18n.get(
            "dispute-requests-late" if d.late else "dispute-requests-entry",
            number=escape(d.invoice_number),
            date=day(i18n, d.service_date),
            opened=day(i18n, d.opened_on),
            deadline=day(i18n, d.deadline),
        )
        for d in shown
    ]
    if len(disputes) > len(shown):
        entries.append(i18n.get("dispute-requests-more", count=len(disputes) - len(shown)))
    buttons = [
        [button(i18n.get("dispute-to-invoice-button", number=d.invoice_number), InvoiceCb(invoice_id=d.invoice_id))]
        for d in shown
    ]
    return lines(i18n.get("dispute-requests-title"), *entries), buttons
