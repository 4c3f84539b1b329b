"""Disputes from an invoice's details: "Dispute a service" → the line → the reason typed → the dispute
opened (the confirmation shows the answer's deadline). Every step asks the use cases again whether the
invoice is the caller's and still unpaid: a forged or stale button is refused with an alert."""

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.callbacks.disputes import DisputeLineCb, DisputeStartCb
from bot.filters import in_webapp_mode, typed_text
from bot.middlewares.registered import registered_router
from bot.screens import read_typed, refuse, show
from bot.states.disputes import DisputeForm
from bot.views.disputes import (
    dispute_lines_screen,
    dispute_opened_screen,
    dispute_prompt_screen,
    dispute_refused_screen,
)
from bot.views.pages import PageLinks, open_page_screen
from core.billing.disputes import DisputeStatus
from core.cabinet.requests import request_text
from core.services.disputes import DisputeService
from core.services.invoices import InvoiceDetails, InvoiceService
from core.services.viewers import Viewer


async def _disputable(
    viewer: Viewer, invoice_id: int, invoices: InvoiceService, i18n: I18nContext, callback_answer: CallbackAnswer
) -> InvoiceDetails | None:
    details = await invoices.details(viewer, invoice_id)
    if details is None:
        refuse(callback_answer, i18n)
        return None
    if not details.invoice.disputable:
        refuse(callback_answer, i18n, "dispute-not-disputable")
        return None
    return details


async def dispute_page(
    callback: CallbackQuery,
    callback_data: DisputeStartCb | DisputeLineCb,
    i18n: I18nContext,
    viewer: Viewer,
    invoices: InvoiceService,
    pages: PageLinks,
    callback_answer: CallbackAnswer,
) -> None:
    """The Mini App mode: a service is disputed on the invoice's page; the chat shows nothing of it. The
    button's invoice is checked as the chat's form checks it."""
    if await _disputable(viewer, callback_data.invoice_id, invoices, i18n, callback_answer) is not None:
        await show(callback, open_page_screen(i18n, "pages-dispute", pages.invoice(callback_data.invoice_id)))


async def choose_line(
    callback: CallbackQuery,
    callback_data: DisputeStartCb,
    state: FSMContext,
    i18n: I18nContext,
    viewer: Viewer,
    invoices: InvoiceService,
    disputes: DisputeService,
    callback_answer: CallbackAnswer,
) -> None:
    await state.set_state(None)
    details = await _disputable(viewer, callback_data.invoice_id, invoices, i18n, callback_answer)
    if details is None:
        return
    by_line = await disputes.of_invoice(viewer, callback_data.invoice_id)
    credited = [line_id for line_id, d in by_line.items() if d.status == DisputeStatus.ACCEPTED]
    await show(callback, dispute_lines_screen(i18n, details, callback_data.page, credited))


async def line_chosen(
    callback: CallbackQuery,
    callback_data: DisputeLineCb,
    state: FSMContext,
    i18n: I18nContext,
    viewer: Viewer,
    invoices: InvoiceService,
    callback_answer: CallbackAnswer,
) -> None:
    details = await _disputable(viewer, callback_data.invoice_id, invoices, i18n, callback_answer)
    if details is None:
        return
    if callback_data.line >= len(details.lines):
        refuse(callback_answer, i18n)
        return
    await state.set_state(DisputeForm.reason)
    await state.update_data(
        dispute_invoice_id=callback_data.invoice_id,
        dispute_line_id=details.lines[callback_data.line].line_id,
        dispute_page=callback_data.page,
    )
    await show(callback, dispute_prompt_screen(i18n, details, callback_data.line, callback_data.page))


async def reason_typed(
    message: Message, state: FSMContext, i18n: I18nContext, viewer: Viewer, disputes: DisputeService
) -> None:
    reason = await read_typed(message, i18n, lambda text: request_text(text, "reason"), "cabinet-example-dispute")
    if reason is None:
        return
    data = await state.get_data()
    await state.set_state(None)
    invoice_id, page = data["dispute_invoice_id"], data.get("dispute_page", 0)
    result = await disputes.open(viewer, invoice_id, data["dispute_line_id"], reason)
    if result.dispute is None:
        await show(message, dispute_refused_screen(i18n, result.refusal or "", invoice_id, page))
        return
    await show(message, dispute_opened_screen(i18n, result.dispute, page))


def create_router() -> Router:
    router = registered_router("disputes")
    router.callback_query.register(dispute_page, DisputeStartCb.filter(), in_webapp_mode)
    router.callback_query.register(dispute_page, DisputeLineCb.filter(), in_webapp_mode)
    router.callback_query.register(choose_line, DisputeStartCb.filter())
    router.callback_query.register(line_chosen, DisputeLineCb.filter())
    router.message.register(reason_typed, StateFilter(DisputeForm.reason), typed_text)
    return router
