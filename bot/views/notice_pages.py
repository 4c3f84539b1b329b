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
from core import notices as kinds
from core.desk.queue import ItemKind

# The line's message key and the page's address, of each kind a person gets.
Target = Callable[[Any, PageLinks], tuple[str, str]]


def _invoice_reminder(notice: kinds.InvoiceReminder, pages: PageLinks) -> tuple[str, str]:
    url = pages.invoice(notice.invoice_id) if notice.invoice_id is not None else pages.invoices()
    return "notice-page-invoice-reminder", url


def _dispute_answered(notice: kinds.DisputeAnswered, pages: PageLinks) -> tuple[str, str]:
    url = pages.dispute(notice.dispute_id) if notice.dispute_id is not None else pages.disputes()
    return "notice-page-dispute-answered", url


def _copied(notice: kinds.MessageCopied, pages: PageLinks) -> tuple[str, str]:
    if notice.about is ItemKind.DISPUTE and notice.about_id is not None:
        return "notice-page-message-copied", pages.dispute(notice.about_id)
    if notice.about is not None and notice.about_id is not None:
        return "notice-page-message-copied", pages.request(notice.about_id)
    return "notice-page-message-copied", pages.requests()  # a row written before `about`


def _payment(key: str) -> Target:
    return lambda notice, pages: (key, pages.payment(notice.payment_id))


_TARGETS: dict[type[kinds.Notice], Target] = {
    kinds.InvoiceIssued: lambda _, pages: ("notice-page-invoice-issued", pages.invoices()),
    kinds.InvoiceMarkedPaid: lambda _, pages: ("notice-page-invoice-marked-paid", pages.invoices()),
    kinds.InvoiceCancelled: lambda _, pages: ("notice-page-invoice-cancelled", pages.invoices()),
    kinds.InvoiceReminder: _invoice_reminder,
    kinds.AccessRestricted: lambda _, pages: ("notice-page-access-restricted", pages.invoices()),
    kinds.AccessRestored: lambda _, pages: ("notice-page-access-restored", pages.policies()),
    kinds.PolicyEnded: lambda _, pages: ("notice-page-policy-ended", pages.policies()),
    kinds.DisputeAnswered: _dispute_answered,
    kinds.DisputeWritten: lambda notice, pages: ("notice-page-dispute-written", pages.dispute(notice.dispute_id)),
    kinds.SupportAnswered: lambda notice, pages: ("notice-page-support-answer", pages.request(notice.request)),
    kinds.MessageCopied: _copied,
    kinds.PaymentSucceeded: _payment("notice-page-payment-succeeded"),
    kinds.PaymentCanceled: _payment("notice-page-payment-canceled"),
    kinds.PaymentRefunded: _payment("notice-page-payment-refunded"),
    kinds.PaymentChecking: _payment("notice-page-payment-checking"),
    kinds.CardBound: lambda _, pages: ("notice-page-card-bound", pages.cards()),
    kinds.CardNotBound: lambda _, pages: ("notice-page-card-not-bound", pages.cards()),
    kinds.CardExpiring: lambda _, pages: ("notice-page-card-expiring", pages.cards()),
    kinds.AutopayFailed: lambda _, pages: ("notice-page-autopay-failed", pages.invoices()),
}


def page_notice(
    core: FluentRuntimeCore, notice: kinds.Notice, language: str, pages: PageLinks
) -> RenderedNotice | None:
    """The notice as its line and Open button; None for one that is not a person's (the desk's, or a
    message copied into a topic of the staff group), which is sent as in the chat."""
    target = _TARGETS.get(type(notice))
    if target is None or (isinstance(notice, kinds.MessageCopied) and (notice.item is not None or notice.to < 0)):
        return None
    key, url = target(notice, pages)
    opener = InlineKeyboardButton(text=core.get("pages-open-button", language), web_app=WebAppInfo(url=url))
    return RenderedNotice(core.get(key, language), keyboard([opener]))


__all__ = ["page_notice"]
