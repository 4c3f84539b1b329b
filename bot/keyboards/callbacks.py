"""Callback data: ids and short codes only (64 bytes at most), never names."""

from aiogram.filters.callback_data import CallbackData


class LanguageCb(CallbackData, prefix="lang"):
    code: str


class MenuCb(CallbackData, prefix="menu"):
    section: str


class ConsentCb(CallbackData, prefix="consent"):
    kind: str  # personal_data | rules | notifications: a stale button of another consent is refused
    granted: bool


class RegCb(CallbackData, prefix="reg"):
    """Registration buttons: way, back, cancel, skip, resend, restart."""

    action: str
    value: str = ""


class DeleteMeCb(CallbackData, prefix="del"):
    confirmed: bool
