"""My invoices: the table (paged, with the invoices selected for payment), an invoice's details, and
the export documents (CSV, XLSX) with the same numbers."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from datetime import date
from html import escape
from pathlib import Path

from aiogram_i18n import I18nContext

from bot.callbacks.invoices import (
    ExportFormat,
    InvoiceCb,
    InvoiceExportCb,
    InvoicePayCb,
    InvoicePayOneCb,
    InvoicesCb,
    InvoiceSelectCb,
)
from bot.callbacks.payments import PaymentsCb
from bot.callbacks.services import ServicesPeopleCb
from bot.screens import MESSAGE_LIMIT, Screen
from bot.views.disputes import dispute_row, line_dispute_text
from bot.views.kit import (
    NAME_IN_LIST,
    button,
    clip,
    day,
    fitting,
    keyboard,
    lines,
    moment,
    page_line,
    pager,
    rub,
    variant,
)
from bot.views.navigation import menu_button
from core.billing.status import InvoiceStatus
from core.files import Cell, csv_style, write_table
from core.free_text import utf16_len
from core.money import from_kopecks
from core.services.disputes import DisputeRecord
from core.services.invoices import (
    InvoiceDetails,
    InvoiceLine,
    InvoicePage,
    InvoiceSummary,
    PaidBy,
    Selection,
)

CLINIC_IN_LINE = 80
# Paid, refunded or cancelled: nothing is to pay, so neither the table nor the details say what is to pay and
# by when (the details of a paid one say when and how it was paid).
SETTLED = frozenset({InvoiceStatus.PAID, InvoiceStatus.REFUNDED, InvoiceStatus.CANCELLED})
SERVICE_IN_LINE = 160
# What the details' header, the "and N more" line and the HTML markup may take besides the lines.
DETAILS_RESERVE = 200


def status_text(i18n: I18nContext, invoice: InvoiceSummary) -> str:
    return i18n.get(variant("invoice-status", invoice.status))


def category_text(i18n: I18nContext, invoice: InvoiceSummary) -> str:
    return i18n.get(variant("invoice-category", invoice.category))


def service_text(i18n: I18nContext, line: InvoiceLine) -> str:
    return line.service_name if line.service_name is not None else i18n.get("invoice-hidden-service")


def invoices_screen(i18n: I18nContext, shown: InvoicePage, selection: Selection) -> Screen:
    selected = set(selection.ids)
    if not shown.invoices:
        return lines(i18n.get("invoices-title"), i18n.get("invoices-empty")), keyboard(
            [button(i18n.get("services-button"), ServicesPeopleCb())], [menu_button(i18n)]
        )
    entries = [
        i18n.get(
            "invoices-entry-settled" if invoice.status in SETTLED else "invoices-entry",
            mark="☑️ " if invoice.invoice_id in selected else "",
            number=escape(invoice.number),
            issued=day(i18n, invoice.issued_on),
            name=escape(clip(invoice.insured_name, NAME_IN_LIST)),
            category=category_text(i18n, invoice),
            copay=rub(i18n, invoice.copay),
            deposit=rub(i18n, invoice.deposit_used),
            total=rub(i18n, invoice.total),
            due=day(i18n, invoice.due_on),
            status=status_text(i18n, invoice),
        )
        for invoice in shown.invoices
    ]
    chosen = (
        i18n.get("invoices-selected", count=len(selection.invoices), total=rub(i18n, selection.total))
        if selection.invoices
        else ""
    )
    text = lines(
        i18n.get("invoices-title"), page_line(i18n, shown.page), "\n\n".join(entries), chosen, i18n.get("invoices-hint")
    )
    page = shown.page.number
    rows = []
    for invoice in shown.invoices:
        row = [
            button(
                i18n.get("invoices-details-button", number=invoice.number),
                InvoiceCb(invoice_id=invoice.invoice_id, page=page),
            )
        ]
        if invoice.selectable:
            key = "invoices-unselect-button" if invoice.invoice_id in selected else "invoices-select-button"
            row.append(
                button(i18n.get(key, number=invoice.number), InvoiceSelectCb(invoice_id=invoice.invoice_id, page=page))
            )
        rows.append(row)
    pay = [button(i18n.get("invoices-pay-button", total=rub(i18n, selection.total)), InvoicePayCb())]
    return text, keyboard(
        *rows,
        pager(i18n, shown.page, lambda n: InvoicesCb(page=n)),
        pay if selection.invoices else [],
        _export_row(i18n, 0),
        [button(i18n.get("services-button"), ServicesPeopleCb()), button(i18n.get("payments-button"), PaymentsCb())],
        [menu_button(i18n)],
    )


def invoice_screen(
    i18n: I18nContext, details: InvoiceDetails, page: int, disputes: dict[str, DisputeRecord] | None = None
) -> Screen:
    """`disputes`: line id → that line's latest dispute, shown under the line."""
    invoice = details.invoice
    settled = invoice.status in SETTLED
    amounts = [
        i18n.get("invoice-copay", amount=rub(i18n, invoice.copay)),
        i18n.get("invoice-deposit", amount=rub(i18n, invoice.deposit_used)),
        i18n.get("invoice-credited", amount=rub(i18n, invoice.credited)) if invoice.credited else "",
        "" if settled else i18n.get("invoice-total", amount=rub(i18n, invoice.total)),
    ]
    head = lines(
        i18n.get("invoice-title", number=escape(invoice.number), issued=day(i18n, invoice.issued_on)),
        i18n.get("invoice-insured", name=escape(invoice.insured_name), category=category_text(i18n, invoice)),
        i18n.get("invoice-status", status=status_text(i18n, invoice)),
        "" if settled else i18n.get("invoice-due", due=day(i18n, invoice.due_on)),
        *amounts,
        paid_text(i18n, invoice, details.paid) if details.paid is not None else "",
        "",
    )
    head += "\n" + i18n.get("invoice-lines-title")

    def entry(line: InvoiceLine) -> str:
        text = i18n.get(
            "invoice-line",
            date=day(i18n, line.service_date),
            clinic=escape(clip(line.clinic_name, CLINIC_IN_LINE)),
            service=escape(clip(service_text(i18n, line), SERVICE_IN_LINE)),
            quantity=line.quantity,
            cost=rub(i18n, line.cost),
            copay=rub(i18n, line.copay),
        )
        if disputes and line.line_id in disputes:
            text += "\n" + line_dispute_text(i18n, disputes[line.line_id])
        return text

    budget = MESSAGE_LIMIT - DETAILS_RESERVE - utf16_len(head)
    shown = fitting((entry(line) for line in details.lines), budget, "\n\n")
    more = len(details.lines) - len(shown)
    text = "\n".join([head, "\n\n".join(shown)])
    if more:
        text += "\n\n" + i18n.get("invoice-lines-more", count=more)
    pay = [
        button(
            i18n.get("invoice-pay-button", total=rub(i18n, invoice.total)),
            InvoicePayOneCb(invoice_id=invoice.invoice_id),
        )
    ]
    return text, keyboard(
        pay if invoice.selectable else [],
        dispute_row(i18n, invoice, page),
        _export_row(i18n, invoice.invoice_id),
        [button(i18n.get("invoices-back-button"), InvoicesCb(page=page))],
    )


def paid_text(i18n: I18nContext, invoice: InvoiceSummary, paid: PaidBy) -> str:
    """When and how a paid invoice was paid, in place of what was to pay and by when."""
    at = moment(i18n, paid.paid_at) if paid.paid_at else "—"
    if paid.offline:
        return i18n.get("invoice-paid-offline", amount=rub(i18n, invoice.total), at=at)
    if paid.payment_id is None:
        return i18n.get("invoice-paid-covered")
    values = {"amount": rub(i18n, invoice.total), "at": at, "number": paid.payment_id}
    if paid.automatic:
        return i18n.get("invoice-paid-automatic", **values, card=escape(paid.card or "····"))
    return i18n.get("invoice-paid", **values)


def _export_row(i18n: I18nContext, invoice_id: int) -> list:
    return [
        button(i18n.get(f"invoices-export-{fmt}-button"), InvoiceExportCb(format=fmt, invoice_id=invoice_id))
        for fmt in ExportFormat
    ]


# --- export documents: the project's table writer (core.files), text neutralised, amounts as numbers


def table_document(
    i18n: I18nContext, invoices: Sequence[InvoiceSummary], fmt: ExportFormat, today: date
) -> tuple[str, bytes]:
    """The invoice table as a file: (file name, content)."""
    header = [
        i18n.get(f"invoice-export-{column}")
        for column in (
            "number",
            "issued",
            "insured",
            "category",
            "copay",
            "deposit",
            "credited",
            "total",
            "due",
            "status",
        )
    ]
    rows = [
        [
            invoice.number,
            invoice.issued_on,
            invoice.insured_name,
            category_text(i18n, invoice),
            from_kopecks(invoice.copay),
            from_kopecks(invoice.deposit_used),
            from_kopecks(invoice.credited),
            from_kopecks(invoice.total),
            invoice.due_on,
            status_text(i18n, invoice),
        ]
        for invoice in invoices
    ]
    return user_document(i18n, f"invoices-{today.isoformat()}.{fmt}", header, rows)


def lines_document(i18n: I18nContext, details: InvoiceDetails, fmt: ExportFormat) -> tuple[str, bytes]:
    """One invoice's service lines as a file: (file name, content)."""
    invoice = details.invoice
    header = [
        i18n.get(f"invoice-export-{column}")
        for column in (
            "number",
            "insured",
            "service-date",
            "clinic",
            "service",
            "quantity",
            "cost",
            "copay",
        )
    ]
    rows = [
        [
            invoice.number,
            invoice.insured_name,
            line.service_date,
            line.clinic_name,
            service_text(i18n, line),
            line.quantity,
            from_kopecks(line.cost),
            from_kopecks(line.copay),
        ]
        for line in details.lines
    ]
    return user_document(i18n, f"invoice-{invoice.number.replace('/', '-')}.{fmt}", header, rows)


def user_document(
    i18n: I18nContext, name: str, header: Sequence[str], rows: Sequence[Sequence[Cell]]
) -> tuple[str, bytes]:
    """The user's own file: a CSV as the spreadsheet of their language opens it (core.files.csv_style)."""
    with tempfile.TemporaryDirectory(prefix="invoices-") as folder:
        path = Path(folder) / name
        write_table(path, header, rows, csv_style(i18n.locale))
        return name, path.read_bytes()
