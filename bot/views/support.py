"""A question to support: the prompt, and what became of the question. Each result ends with the way on."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from bot.callbacks.common import SupportCb
from bot.screens import Screen
from bot.views.navigation import way_on
from core.cabinet.requests import SUPPORT_QUESTIONS_PER_DAY
from core.services.support import SupportAsked
from core.services.viewers import Viewer


def support_prompt_screen(i18n: I18nContext) -> Screen:
    cancel = InlineKeyboardButton(text=i18n.get("button-cancel"), callback_data=SupportCb(action="cancel").pack())
    return i18n.get("support-prompt"), InlineKeyboardMarkup(inline_keyboard=[[cancel]])


def stray_text_screen(i18n: I18nContext, viewer: Viewer, *, offer: bool) -> Screen:
    """Text typed where buttons were expected: the way on, and (`offer`) sending that text to support."""
    if not offer:
        return i18n.get("unknown-text"), way_on(i18n, viewer, [_support_ask(i18n)])
    send = InlineKeyboardButton(text=i18n.get("support-send-typed"), callback_data=SupportCb(action="send").pack())
    return i18n.get("unknown-text-offer"), way_on(i18n, viewer, [send])


def stray_file_screen(i18n: I18nContext, viewer: Viewer) -> Screen:
    """A photo, a sticker, a file nothing awaited: the way on, and a question to support (typed)."""
    return i18n.get("unknown-file"), way_on(i18n, viewer, [_support_ask(i18n)])


def _support_ask(i18n: I18nContext) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=i18n.get("support-button"), callback_data=SupportCb(action="ask").pack())


def support_result_screen(i18n: I18nContext, viewer: Viewer, asked: SupportAsked) -> Screen:
    if asked.number is None:
        return support_too_many_screen(i18n, viewer)
    return i18n.get("support-received", number=asked.number), way_on(i18n, viewer)


def support_too_many_screen(i18n: I18nContext, viewer: Viewer) -> Screen:
    return i18n.get("support-too-many", limit=SUPPORT_QUESTIONS_PER_DAY), way_on(i18n, viewer)


def support_cancelled_screen(i18n: I18nContext, viewer: Viewer) -> Screen:
    return i18n.get("support-cancelled"), way_on(i18n, viewer)


def support_reply_prompt_screen(i18n: I18nContext, number: int) -> Screen:
    cancel = InlineKeyboardButton(text=i18n.get("button-cancel"), callback_data=SupportCb(action="cancel").pack())
    return i18n.get("support-reply-prompt", number=number), InlineKeyboardMarkup(inline_keyboard=[[cancel]])


def support_replied_screen(i18n: I18nContext, viewer: Viewer, number: int | None) -> Screen:
    """The reply went back to the request (`number`), or not (None: it was replied to meanwhile)."""
    if number is None:
        return i18n.get("support-reply-not-taken"), way_on(i18n, viewer)
    return i18n.get("support-replied", number=number), way_on(i18n, viewer)
