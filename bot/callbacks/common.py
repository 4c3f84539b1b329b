"""Callback data outside the cabinet sections: language, the menu, registration, privacy, support."""

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import Id


class LanguageCb(CallbackData, prefix="lang"):
    code: str


class MenuCb(CallbackData, prefix="menu"):
    section: str


class ConsentCb(CallbackData, prefix="consent"):
    kind: str  # personal_data | rules | notifications: a stale button of another consent is refused
    granted: bool


class RegCb(CallbackData, prefix="reg"):
    """Registration buttons: way, back, cancel, skip, resend, restart; review, change (a step), resubmit, wait."""

    action: str
    value: str = ""


class DeleteMeCb(CallbackData, prefix="del"):
    confirmed: bool


class SupportCb(CallbackData, prefix="sup"):
    """A question to support, registered or not: `ask` opens the form, `cancel` leaves it, `send` sends the
    text just typed where buttons were expected (bot/handlers/unknown.py)."""

    action: str = "ask"


class SupportReplyCb(CallbackData, prefix="srep"):
    """Reply to support's answer (a button under the notice): the request it answered."""

    request: Id


class DisputeReplyCb(CallbackData, prefix="drep"):
    """Reply to support's message about a dispute (a button under the notice): the dispute."""

    dispute: Id
