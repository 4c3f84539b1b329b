"""Callback data of the admin's money actions on the desk: ids and short codes only. What staff type (a
reference, a reason, an amount) and the plan they are asked to confirm live in their desk storage
(`StorageKey(destiny="desk")`), never in a button and never in their own dialog's state."""

from typing import Literal

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import Id
from core.desk.money import MoneyAction


class InvoiceCardCb(CallbackData, prefix="dmi"):
    """An invoice's details on the desk."""

    invoice_id: Id


class PaymentCardCb(CallbackData, prefix="dmp"):
    """A payment's details on the desk."""

    payment_id: Id


class MoneyCb(CallbackData, prefix="dm"):
    """Begin a money action on an invoice (`on` "i") or a payment ("p"); `full`: a refund of all that is
    left (no amount to type)."""

    action: MoneyAction
    on: Literal["i", "p"]
    item_id: Id
    full: bool = False


class MoneyStepCb(CallbackData, prefix="dms"):
    """The plan shown: do it, or drop it."""

    step: Literal["do", "drop"]
