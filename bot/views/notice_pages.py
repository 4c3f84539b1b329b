"""A person's notice in the Mini App mode (`PRIVATE_VIEWS=webapp`): a line saying only what happened, and an
Open button (`web_app`) to the page that shows it. No amount, name, number, card digits or anything a
person typed: the page has them, behind the session. The desk's notices (queue items, topics, reports to
staff) are rendered as in the chat (`bot.views.notices`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram.types import InlineKeyboardButton, WebAppInfo
from aiogram_i18n.cores import FluentRuntimeCore

from bot.views.kit import keyboard
from bot.views.notices import RenderedNotice
from bot.views.pages import PageLinks
from core.desk.queue import ItemKind
from core.notices import (
    AccessRestored,
    AccessRestricted,
    AutopayFailed,
    CardBound,
    CardExpiring,
    CardNotBound,
    DisputeAnswered,
    DisputeWritten,
    InvoiceCancelled,
    InvoiceIssued,
    InvoiceMarkedPaid,
    InvoiceReminder,
    MessageCopied,
    Notice,
    PaymentCanceled,
    PaymentChecking,
    PaymentRefunded,
    PaymentSucceeded,
    PolicyEnded,
    SupportAnswered,
)

# The line's message key and the page's address, of each kind a person gets.
Target = Callable[[Any, PageLinks], tuple[str, str]]


def _invoice_reminder(notice: InvoiceReminder, pages: PageLinks) -> tuple[str, str]:
    url = pages.invoice(notice.invoice_id) if notice.invoice_id is not None else pages.invoices()
    return "notice-page-invoice-reminder", url


def _dispute_answered(notice: DisputeAnswered, pages: PageLinks) -> tuple[str, str]:
    url = pages.dispute(notice.dispute_id) if notice.dispute_id is not None else pages.disputes()
    return "notice-page-dispute-answered", url


def _copied(notice: MessageCopied, pages: PageLinks) -> tuple[str, str]:
    if notice.about is ItemKind.DISPUTE and notice.about_id is not None:
        return "notice-page-message-copied", pages.dispute(notice.about_id)
    if notice.about is not None and notice.about_id is not None:
        return "notice-page-message-copied", pages.request(notice.about_id)
    return "notice-page-message-copied", pages.requests()  # a row written before `about`


def _payment(key: str) -> Target:
    return lambda notice, pages: (key, pages.payment(notice.payment_id))


_TARGETS: dict[type[Notice], Target] = {
    InvoiceIssued: lambda _, pages: ("notice-page-invoice-issued", pages.invoices()),
    InvoiceMarkedPaid: lambda _, pages: ("notice-page-invoice-marked-paid", pages.invoices()),
    InvoiceCancelled: lambda _, pages: ("notice-page-invoice-cancelled", pages.invoices()),
    InvoiceReminder: _invoice_reminder,
    AccessRestricted: lambda _, pages: ("notice-page-access-restricted", pages.invoices()),
    AccessRestored: lambda _, pages: ("notice-page-access-restored", pages.policies()),
    PolicyEnded: lambda _, pages: ("notice-page-policy-ended", pages.policies()),
    DisputeAnswered: _dispute_answered,
    DisputeWritten: lambda notice, pages: ("notice-page-dispute-written", pages.dispute(notice.dispute_id)),
    SupportAnswered: lambda notice, pages: ("notice-page-support-answer", pages.request(notice.request)),
    MessageCopied: _copied,
    PaymentSucceeded: _payment("notice-page-payment-succeeded"),
    PaymentCanceled: _payment("notice-page-payment-canceled"),
    PaymentRefunded: _payment("notice-page-payment-refunded"),
    PaymentChecking: _payment("notice-page-payment-checking"),
    CardBound: lambda _, pages: ("notice-page-card-bound", pages.cards()),
    CardNotBound: lambda _, pages: ("notice-page-card-not-bound", pages.cards()),
    CardExpiring: lambda _, pages: ("notice-page-card-expiring", pages.cards()),
    AutopayFailed: lambda _, pages: ("notice-page-autopay-failed", pages.invoices()),
}


def page_notice(core: FluentRuntimeCore, notice: Notice, language: str, pages: PageLinks) -> RenderedNotice | None:
    """The notice as its line and Open button; None for one that is not a person's (the desk's, or a
    message copied into a topic of the staff group), which is sent as in the chat."""
    target = _TARGETS.get(type(notice))
    if target is None or (isinstance(notice, MessageCopied) and (notice.item is not None or notice.to < 0)):
        return None
    key, url = target(notice, pages)
    opener = InlineKeyboardButton(text=core.get("pages-open-button", language), web_app=WebAppInfo(url=url))
    return RenderedNotice(core.get(key, language), keyboard([opener]))


__all__ = ["page_notice"]
