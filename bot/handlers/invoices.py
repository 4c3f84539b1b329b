"""/invoices: the caller's invoices (their own and those they pay), details, the selection for payment
(kept in the FSM data; bot/handlers/payments.py pays it), and the export documents."""

import asyncio
from html import escape

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.callbacks.common import MenuCb
from bot.callbacks.invoices import (
    InvoiceCb,
    InvoiceExportCb,
    InvoicesCb,
    InvoiceSelectCb,
)
from bot.middlewares.registered import registered_router
from bot.screens import refuse, show
from bot.views.invoices import (
    invoice_screen,
    invoices_screen,
    lines_document,
    table_document,
)
from bot.views.pages import PageLinks, open_page_screen
from core.calendar import Clock
from core.services.disputes import DisputeService
from core.services.invoices import InvoiceService
from core.services.viewers import Viewer

SELECTED = "invoices_selected"  # FSM data: ids of the invoices checked for payment


async def _show_table(
    event: Message | CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    viewer: Viewer,
    invoices: InvoiceService,
    page: int,
) -> None:
    table, selection = await invoices.table(viewer, (await state.get_data()).get(SELECTED, []), page)
    await state.update_data({SELECTED: list(selection.ids)})  # what is no longer selectable drops out
    await show(event, invoices_screen(i18n, table, selection))


async def invoices_list(
    event: Message | CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    viewer: Viewer,
    invoices: InvoiceService,
    pages: PageLinks | None,
    callback_data: MenuCb | InvoicesCb | None = None,
) -> None:
    """The command, the menu button, the pager and the details' Back all land here."""
    await state.set_state(None)
    if pages is not None:  # the Mini App mode: the invoices are a page
        await show(event, open_page_screen(i18n, "pages-invoices", pages.invoices()))
        return
    page = callback_data.page if isinstance(callback_data, InvoicesCb) else 0
    await _show_table(event, state, i18n, viewer, invoices, page)


async def invoice_details(
    callback: CallbackQuery,
    callback_data: InvoiceCb,
    state: FSMContext,
    i18n: I18nContext,
    viewer: Viewer,
    invoices: InvoiceService,
    disputes: DisputeService,
    callback_answer: CallbackAnswer,
) -> None:
    """Also the Cancel of a dispute's form (bot/handlers/disputes.py): it leaves the form."""
    await state.set_state(None)
    details = await invoices.details(viewer, callback_data.invoice_id)
    if details is None:
        refuse(callback_answer, i18n)
        return
    by_line = await disputes.of_invoice(viewer, callback_data.invoice_id)
    await show(callback, invoice_screen(i18n, details, callback_data.page, by_line))


async def toggle_selection(
    callback: CallbackQuery,
    callback_data: InvoiceSelectCb,
    state: FSMContext,
    i18n: I18nContext,
    viewer: Viewer,
    invoices: InvoiceService,
    callback_answer: CallbackAnswer,
) -> None:
    """Checks or unchecks one invoice. Only an unpaid invoice the caller pays is checked: anything else
    (paid, pending, disputed, someone else's, no such id) is refused with an alert."""
    selected = list((await state.get_data()).get(SELECTED, []))
    invoice_id = callback_data.invoice_id
    if invoice_id in selected:
        selected.remove(invoice_id)
    else:
        invoice = await invoices.summary(viewer, invoice_id)
        if invoice is None:
            refuse(callback_answer, i18n)
            return
        if not invoice.selectable:
            refuse(callback_answer, i18n, "invoices-not-selectable")
            return
        selected.append(invoice_id)
    await state.update_data({SELECTED: selected})
    await _show_table(callback, state, i18n, viewer, invoices, callback_data.page)


async def export_invoices(
    callback: CallbackQuery,
    callback_data: InvoiceExportCb,
    i18n: I18nContext,
    viewer: Viewer,
    invoices: InvoiceService,
    clock: Clock,
    callback_answer: CallbackAnswer,
) -> None:
    """The whole table (`invoice_id` 0) or one invoice's lines, as a document."""
    if callback_data.invoice_id == 0:
        # Built off the event loop, as the Mini App builds them: the XLSX writer is synchronous (0.06 s for
        # 300 lines, seconds for a long invoice), and every other update of the process would wait.
        summaries = await invoices.all(viewer)
        name, content = await asyncio.to_thread(table_document, i18n, summaries, callback_data.format, clock.today())
        caption = i18n.get("invoices-export-caption-all")
    else:
        details = await invoices.details(viewer, callback_data.invoice_id)
        if details is None:
            refuse(callback_answer, i18n)
            return
        name, content = await asyncio.to_thread(lines_document, i18n, details, callback_data.format)
        caption = i18n.get("invoices-export-caption-one", number=escape(details.invoice.number))
    await callback.message.answer_document(BufferedInputFile(content, filename=name), caption=caption)


def create_router() -> Router:
    router = registered_router("invoices")
    router.message.register(invoices_list, Command("invoices"))
    router.callback_query.register(invoices_list, MenuCb.filter(F.section == "invoices"))
    router.callback_query.register(invoices_list, InvoicesCb.filter())
    router.callback_query.register(invoice_details, InvoiceCb.filter())
    router.callback_query.register(toggle_selection, InvoiceSelectCb.filter())
    router.callback_query.register(export_invoices, InvoiceExportCb.filter())
    return router
