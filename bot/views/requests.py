"""Requests: the list with the "new request" buttons, a request with the staff's reply, the form."""

from __future__ import annotations

from html import escape

from aiogram_i18n import I18nContext

from bot.callbacks.cabinet import CloseRequestCb, NewRequestCb, RequestCb, RequestsCb
from bot.screens import MESSAGE_LIMIT, Screen
from bot.views.disputes import open_disputes_section
from bot.views.kit import button, day, keyboard, lines, moment, page_line, pager, variant
from bot.views.navigation import menu_button, support_button
from core.cabinet.paging import text_chunks
from core.cabinet.requests import FORM_KINDS, MAX_TEXT, RequestKind
from core.free_text import clip_utf16, utf16_len
from core.services.disputes import DisputeRecord
from core.services.requests import RequestPage, RequestRecord

# All in UTF-16 units, as Telegram counts a message. The card holds the request (cut to MAX_TEXT should
# an old one be longer) and a short reply; a longer reply follows in messages of its own.
INLINE_REPLY = 1500
REPLY_CHUNK = 3500


def requests_screen(i18n: I18nContext, found: RequestPage, disputes: list[DisputeRecord] | None = None) -> Screen:
    """`disputes`: the open disputes over invoices, listed on the first page with their deadlines."""
    disputes_text, dispute_buttons = open_disputes_section(
        i18n, disputes if disputes and found.page.number == 0 else []
    )
    text = lines(
        i18n.get("requests-title"),
        page_line(i18n, found.page),
        "",
        "\n".join(_entry(i18n, r) for r in found.requests) if found.requests else i18n.get("requests-none"),
        f"\n{disputes_text}" if disputes_text else "",
        "",
        i18n.get("requests-new-hint"),
    )
    return text, keyboard(
        *([button(_entry(i18n, r), RequestCb(number=r.number))] for r in found.requests),
        pager(i18n, found.page, lambda n: RequestsCb(page=n)),
        *dispute_buttons,
        *([button(i18n.get(variant("request-new", kind)), NewRequestCb(kind=kind))] for kind in FORM_KINDS),
        [support_button(i18n)],
        [menu_button(i18n)],
    )


def request_screens(i18n: I18nContext, request: RequestRecord) -> tuple[Screen, list[str]]:
    """The request (with its buttons), and the rest of a long reply as further messages; each message
    within Telegram's limit, counted in UTF-16 units."""
    reply = request.reply or ""
    card = lines(
        i18n.get("request-title", number=request.number, kind=i18n.get(variant("request-kind", request.kind))),
        i18n.get("request-status", status=i18n.get(variant("request-status", request.status))),
        i18n.get("request-created", at=moment(i18n, request.created_at)),
        i18n.get("request-preferred-time", time=escape(request.preferred_time)) if request.preferred_time else "",
        f"\n{escape(clip_utf16(request.text, MAX_TEXT))}" if request.text else "",
        i18n.get("request-reply", at=moment(i18n, request.replied_at)) if request.replied_at else "",
    )
    # Telegram counts the text shown; counting the card's tags and escapes too gives an upper bound.
    inline = utf16_len(reply) <= INLINE_REPLY and utf16_len(card) + 1 + utf16_len(reply) <= MESSAGE_LIMIT
    text = lines(card, escape(reply) if reply and inline else "")
    close = [button(i18n.get("request-close-button"), CloseRequestCb(number=request.number))]
    back = [button(i18n.get("requests-back-button"), RequestsCb())]
    rest = [] if inline else [escape(chunk) for chunk in text_chunks(reply, REPLY_CHUNK)]
    return (text, keyboard(close if request.can_close else [], back)), rest


def request_prompt_screen(i18n: I18nContext, kind: RequestKind) -> Screen:
    return i18n.get(variant("request-prompt", kind)), keyboard([button(i18n.get("button-cancel"), RequestsCb())])


def request_created_screen(i18n: I18nContext, request: RequestRecord) -> Screen:
    text = i18n.get("request-created-text", number=request.number, kind=i18n.get(variant("request-kind", request.kind)))
    return text, keyboard(
        [button(i18n.get("requests-back-button"), RequestsCb())],
        [menu_button(i18n)],
    )


def _entry(i18n: I18nContext, request: RequestRecord) -> str:
    """One line per request; plain text, as it is also a button's label."""
    return i18n.get(
        "requests-entry",
        number=request.number,
        kind=i18n.get(variant("request-kind", request.kind)),
        status=i18n.get(variant("request-status", request.status)),
        date=day(i18n, request.created_at.date()),
    )
