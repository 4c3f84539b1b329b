"""Callback data of disputes. Ids and positions only: the invoice is looked up again for the caller
(someone else's id finds nothing), and a line is named by its position in the invoice's details (a bill
line id may be longer than callback data holds); a position past the last line is refused."""

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import Id, PageNo


class DisputeStartCb(CallbackData, prefix="dsp"):
    """ "Dispute a service" on an invoice's details: choose the line. `page` leads back to the table page."""

    invoice_id: Id
    page: PageNo = 0


class DisputeLineCb(CallbackData, prefix="dspl"):
    """The line at position `line` (0-based, in the details' order) of the invoice: now type the reason."""

    invoice_id: Id
    line: Id
    page: PageNo = 0
