"""Callback data of payments: a payment's id (checked against the caller by the service), a page."""

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import Id, PageNo


class PaymentCheckCb(CallbackData, prefix="paychk"):
    """Ask the provider now how a payment stands (and create it there if its answer was lost)."""

    payment_id: Id


class PaymentsCb(CallbackData, prefix="pays"):
    """The payment history, one page."""

    page: PageNo = 0


class PayDueCb(CallbackData, prefix="paydue"):
    """What /pay does, from a button (the notice of a declined automatic charge): every unpaid invoice the
    caller pays, offered for one payment."""
