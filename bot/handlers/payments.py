"""Paying: the Pay button of the invoice selection, /pay (every unpaid invoice the caller pays; also the
Pay button of a notice), a payment checked or retried, and /payments (the history). The payment service
decides and checks ownership; a refusal is an alert and the screen stays where it was. A payer with no phone
or e-mail is asked for an e-mail for the receipt first (kept as the account's e-mail), then the payment is
made."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.callbacks.invoices import InvoicePayCb, InvoicePayOneCb
from bot.callbacks.payments import PayDueCb, PaymentCheckCb, PaymentsCb
from bot.filters import in_webapp_mode, typed_text
from bot.handlers.invoices import SELECTED
from bot.middlewares.registered import registered_router
from bot.screens import read_typed, refuse, show
from bot.states.payments import ReceiptEmail
from bot.views.kit import variant
from bot.views.pages import PageLinks, open_page_screen
from bot.views.payments import check_answer, history_screen, pay_all_screen, payment_screen, receipt_email_screen
from core.normalize import normalize_email
from core.services.invoices import InvoiceService
from core.services.payments import NEEDS_EMAIL, PaymentService, PayResult
from core.services.viewers import Viewer


async def _answer(
    event: Message | CallbackQuery, result: PayResult, i18n: I18nContext, callback_answer: CallbackAnswer | None
) -> None:
    if result.payment is None:
        key = variant("payment-refused", result.refusal or "not_found")
        if callback_answer is None:
            await event.answer(i18n.get(key))
        else:
            refuse(callback_answer, i18n, key)
        return
    await show(event, payment_screen(i18n, result))


async def pay_selected(
    callback: CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    viewer: Viewer,
    payments: PaymentService,
    callback_answer: CallbackAnswer,
) -> None:
    """One payment for the invoices checked in the table (or the ones /pay offered)."""
    # The selection stays: a second press finds its invoices in this payment and shows it again (the table
    # drops them from the selection once they are no longer selectable).
    result = await payments.pay(viewer, (await state.get_data()).get(SELECTED, []))
    if result.refusal == NEEDS_EMAIL:
        await state.set_state(ReceiptEmail.address)
        await show(callback, receipt_email_screen(i18n))
        return
    await _answer(callback, result, i18n, callback_answer)


async def pay_one(
    callback: CallbackQuery,
    callback_data: InvoicePayOneCb,
    state: FSMContext,
    i18n: I18nContext,
    viewer: Viewer,
    payments: PaymentService,
    callback_answer: CallbackAnswer,
) -> None:
    """The Pay button of an invoice's details: that invoice alone becomes the selection, and is paid."""
    await state.update_data({SELECTED: [callback_data.invoice_id]})
    await pay_selected(callback, state, i18n, viewer, payments, callback_answer)


async def receipt_email_typed(
    message: Message, state: FSMContext, i18n: I18nContext, viewer: Viewer, payments: PaymentService
) -> None:
    """The e-mail for the receipt: kept, then the selection paid. A wrong one keeps the question."""
    address = await read_typed(message, i18n, normalize_email, "cabinet-example-email")
    if address is None:
        return
    if not await payments.set_receipt_email(viewer, address):
        await message.answer(i18n.get("pay-email-taken"))
        return
    await state.set_state(None)
    await _answer(message, await payments.pay(viewer, (await state.get_data()).get(SELECTED, [])), i18n, None)


async def pay_command(
    event: Message | CallbackQuery, state: FSMContext, i18n: I18nContext, viewer: Viewer, invoices: InvoiceService
) -> None:
    """Every unpaid invoice the caller pays (up to a payment's limit), offered for one payment. From a
    notice's button it comes as a new message: the notice (what was declined, and why) stays."""
    await state.set_state(None)
    selection = await invoices.payable(viewer)
    await state.update_data({SELECTED: list(selection.ids)})
    await show(event.message if isinstance(event, CallbackQuery) else event, pay_all_screen(i18n, selection))


async def check_payment(
    callback: CallbackQuery,
    callback_data: PaymentCheckCb,
    i18n: I18nContext,
    viewer: Viewer,
    payments: PaymentService,
    callback_answer: CallbackAnswer,
) -> None:
    """The bank's answer as it is now, always said in a popup: a payment still pending leaves the screen as it
    was, and a press must never seem to do nothing."""
    result = await payments.check(viewer, callback_data.payment_id)
    await _answer(callback, result, i18n, callback_answer)
    if result.payment is not None:
        callback_answer.text, callback_answer.show_alert = check_answer(i18n, result)


async def pay_page(event: Message | CallbackQuery, state: FSMContext, i18n: I18nContext, pages: PageLinks) -> None:
    """The Mini App mode: paying is done on the invoices' pages; the chat names no invoice and no amount."""
    await state.set_state(None)
    await show(event, open_page_screen(i18n, "pages-invoices", pages.invoices()))


async def payment_page(
    callback: CallbackQuery,
    callback_data: PaymentCheckCb,
    i18n: I18nContext,
    viewer: Viewer,
    payments: PaymentService,
    pages: PageLinks,
    callback_answer: CallbackAnswer,
) -> None:
    """The Mini App mode: a payment's check opens its page, once the payment is found to be the caller's."""
    result = await payments.check(viewer, callback_data.payment_id)
    if result.payment is None:
        await _answer(callback, result, i18n, callback_answer)
        return
    await show(callback, open_page_screen(i18n, "pages-payment", pages.payment(callback_data.payment_id)))


async def payments_page(event: Message | CallbackQuery, i18n: I18nContext, pages: PageLinks) -> None:
    """The Mini App mode: the history is a page, the chat shows none of it."""
    await show(event, open_page_screen(i18n, "pages-payments", pages.payments()))


async def payment_history(
    event: Message | CallbackQuery,
    i18n: I18nContext,
    viewer: Viewer,
    payments: PaymentService,
    callback_data: PaymentsCb | None = None,
) -> None:
    page = callback_data.page if callback_data is not None else 0
    await show(event, history_screen(i18n, await payments.history(viewer, page)))


def create_router() -> Router:
    router = registered_router("payments")
    router.message.register(pay_page, Command("pay"), in_webapp_mode)
    for data in (PayDueCb, InvoicePayCb, InvoicePayOneCb):
        router.callback_query.register(pay_page, data.filter(), in_webapp_mode)
    router.callback_query.register(payment_page, PaymentCheckCb.filter(), in_webapp_mode)
    router.message.register(pay_command, Command("pay"))
    router.message.register(payments_page, Command("payments"), in_webapp_mode)
    router.callback_query.register(payments_page, PaymentsCb.filter(), in_webapp_mode)
    router.message.register(payment_history, Command("payments"))
    router.callback_query.register(pay_command, PayDueCb.filter())
    router.callback_query.register(pay_selected, InvoicePayCb.filter())
    router.callback_query.register(pay_one, InvoicePayOneCb.filter())
    router.callback_query.register(check_payment, PaymentCheckCb.filter())
    router.callback_query.register(payment_history, PaymentsCb.filter())
    router.message.register(receipt_email_typed, StateFilter(ReceiptEmail.address), typed_text)
    return router
