"""Callback data of the services rendered (SOGAZ 4.1). `person_id` names the insured person: the policy
resolver (`OwnPolicy`) answers only a policy the caller may see, and the use case checks it again."""

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import Id, PageNo


class ServicesPeopleCb(CallbackData, prefix="svcs"):
    """From /invoices: whose services to show (straight to the history when the caller sees one policy)."""


class ServicesCb(CallbackData, prefix="svc"):
    """A page of one person's services; `card`: opened from the policy card (its Back leads there)."""

    person_id: Id
    page: PageNo = 0
    card: bool = False
