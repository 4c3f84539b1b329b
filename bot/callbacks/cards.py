"""Callback data of the saved cards screen. Card ids are checked against the caller by the service;
`back` only names the policy card the screen was opened from (0: the menu) — the Back button's
`PolicyCb` is checked when it is pressed, so no field here is named `person_id` (the policy resolver
would check it, and 0 names no policy)."""

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import Id


class CardsCb(CallbackData, prefix="cards"):
    """The caller's saved cards and automatic charges."""

    back: Id = 0


class CardBindCb(CallbackData, prefix="cardb"):
    """Add a card: the binding payment's page (or the one under way)."""

    back: Id = 0


class CardAutopayCb(CallbackData, prefix="carda"):
    """Automatic charges on or off."""

    on: bool
    back: Id = 0


class CardRemoveCb(CallbackData, prefix="cardr"):
    """Remove a card: first asked (`confirmed` false), then done."""

    card_id: Id
    confirmed: bool = False
    back: Id = 0
