"""Callback data of /invoices. Ids and page numbers only: every handler asks the use case whether the
invoice is the caller's to see (a modified client can send any of these)."""

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import Id, PageNo


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class InvoicesCb(CallbackData, prefix="invs"):
    page: PageNo = 0


class InvoiceCb(CallbackData, prefix="inv"):
    """An invoice's details; `page` leads back to the table page it was opened from."""

    invoice_id: Id
    page: PageNo = 0


class InvoiceSelectCb(CallbackData, prefix="invsel"):
    """Check or uncheck an invoice for payment, on the table page `page`."""

    invoice_id: Id
    page: PageNo = 0


class InvoicePayCb(CallbackData, prefix="invpay"):
    """Pay the selected invoices (bot/handlers/payments.py)."""


class InvoicePayOneCb(CallbackData, prefix="invpay1"):
    """Pay this one invoice, from its details (bot/handlers/payments.py)."""

    invoice_id: Id


class InvoiceExportCb(CallbackData, prefix="invx"):
    """A document of one invoice's lines, or of the whole table when `invoice_id` is 0 (no invoice has 0)."""

    format: ExportFormat
    invoice_id: Id = 0
