"""Callback data of payments: a payment's id (checked against the caller by the service), a page."""

from aiogram.filters.callback_data import CallbackData

from bot.keyboards.callbacks import Id, PageNo


class PaymentCheckCb(CallbackData, prefix="paychk"):
    """Ask the provider now how a payment stands (and create it there if its answer was lost)."""

    payment_id: Id


class PaymentsCb(CallbackData, prefix="pays"):
    """The payment history, one page."""

    page: PageNo = 0
