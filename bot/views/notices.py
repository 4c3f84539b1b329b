"""What an outbox notice says: a pure function of the row (kind + payload) and the recipient's language.

The payload holds ids, numbers, amounts (kopecks) and ISO dates (see `core.services.billing`); the
insured person's name comes with the `Notice`. Every user or registry string is escaped for HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from html import escape
from typing import Any, NamedTuple

from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n.cores import FluentRuntimeCore

from bot.callbacks.payments import PayDueCb
from bot.views.kit import button, day, keyboard, variant
from bot.views.payments import KNOWN_REASONS
from core.money import format_rub
from core.services.billing import ACCESS_RESTORED, ACCESS_RESTRICTED, INVOICE_ISSUED
from core.services.cards import CARD_BOUND, CARD_EXPIRING, CARD_NOT_BOUND
from core.services.disputes import DISPUTE_ANSWERED
from core.services.outbox import Notice
from core.services.payments import (
    AUTOPAY_FAILED,
    PAYMENT_CANCELED,
    PAYMENT_CHECKING,
    PAYMENT_REFUNDED,
    PAYMENT_SUCCEEDED,
)
from core.services.reminders import DISPUTE_DEADLINE, INVOICE_REMINDER, POLICY_ENDED


class UnknownNotice(ValueError):
    """A kind this version cannot render (or a payload without what the kind needs)."""


class RenderedNotice(NamedTuple):
    text: str
    reply_markup: InlineKeyboardMarkup | None = None  # buttons under the notice (the Pay button of a debt)


def render_notice(core: FluentRuntimeCore, notice: Notice) -> RenderedNotice:
    render = _RENDERERS.get(notice.kind)
    if render is None:
        raise UnknownNotice(notice.kind)
    language = notice.language
    person = escape(notice.person_name) if notice.person_name else core.get("notice-person-unknown", language)
    try:
        key, values = render(notice.payload, language)
    except (KeyError, TypeError, ValueError) as error:
        raise UnknownNotice(f"{notice.kind}: bad payload") from error
    values = {name: core.get(value, language) if isinstance(value, _Text) else value for name, value in values.items()}
    buttons = _BUTTONS.get(notice.kind)
    markup = buttons(lambda name, **args: core.get(name, language, **args)) if buttons else None
    return RenderedNotice(core.get(key, language, person=person, **values), markup)


def _invoice_issued(payload: Mapping[str, Any], language: str) -> tuple[str, dict[str, str]]:
    values = {"number": escape(str(payload["invoice"])), "due": _day(payload["due_on"])}
    if payload.get("status") == "paid" or int(payload["total"]) == 0:
        return "notice-invoice-issued-paid", values
    key = "notice-invoice-issued"
    if payload.get("autopay") is True:
        key = "notice-invoice-issued-autopay"
    elif payload.get("email_needed") is True:  # autopay on, but no contact for the receipt: not charged
        key = "notice-invoice-issued-email-needed"
    return key, {**values, "total": format_rub(int(payload["total"]), language)}


def _access_restricted(payload: Mapping[str, Any], language: str) -> tuple[str, dict[str, str]]:
    rule = "emergency" if payload.get("rule") == "emergency" else "franchise"
    invoices = ", ".join(escape(str(number)) for number in payload.get("invoices", ()))
    return f"notice-access-restricted-{rule}", {"since": _day(payload["since"]), "invoices": invoices}


def _access_restored(payload: Mapping[str, Any], language: str) -> tuple[str, dict[str, str]]:
    return "notice-access-restored", {"on": _day(payload["on"])}


def _dispute_answered(payload: Mapping[str, Any], language: str) -> tuple[str, dict[str, str]]:
    values = {"number": escape(str(payload["invoice"])), "due": _day(payload["due_on"])}
    if payload.get("status") == "paid":
        return "notice-dispute-accepted-paid", values
    verdict = "accepted" if payload.get("accepted") is True else "rejected"
    overdue = "-overdue" if payload.get("status") == "overdue" else ""
    return f"notice-dispute-{verdict}{overdue}", {**values, "total": format_rub(int(payload["total"]), language)}


def _payment_succeeded(payload: Mapping[str, Any], language: str) -> tuple[str, dict[str, str]]:
    values = _payment(payload, language)
    refund = int(payload.get("refund") or 0)
    if not refund and payload.get("card"):  # an automatic charge from the saved card
        return "notice-payment-succeeded-autopay", {**values, "last4": escape(str(payload["card"]))}
    if not refund:
        return "notice-payment-succeeded", values
    key = "notice-payment-succeeded-refund" if payload["invoices"] else "notice-payment-succeeded-all-refund"
    return key, {**values, "refund": format_rub(refund, language)}


def _payment_canceled(payload: Mapping[str, Any], language: str) -> tuple[str, dict[str, str]]:
    return "notice-payment-canceled", {
        **_payment(payload, language),
        "reason": _reason(payload.get("reason"), language),
    }


def _payment_refunded(payload: Mapping[str, Any], language: str) -> tuple[str, dict[str, str]]:
    return "notice-payment-refunded", _payment(payload, language)


def _payment_checking(payload: Mapping[str, Any], language: str) -> tuple[str, dict[str, str]]:
    return "notice-payment-checking", _payment(payload, language)


def _payment(payload: Mapping[str, Any], language: str) -> dict[str, str]:
    return {
        "number": str(int(payload["payment_id"])),
        "amount": format_rub(int(payload["amount"]), language),
        "invoices": ", ".join(escape(str(number)) for number in payload["invoices"]),
    }


def _reason(reason: object, language: str) -> str:
    return _Text(variant("payment-reason", reason if reason in KNOWN_REASONS else "other"))


def _card(payload: Mapping[str, Any]) -> dict[str, str]:
    """A card as the notices name it: its type as the provider names it ("Card" when unknown), its last digits."""
    card_type = escape(str(payload.get("card_type") or "")) or _Text("card-type-unknown")
    return {"card_type": card_type, "last4": escape(str(payload["last4"]))}


def _card_bound(payload: Mapping[str, Any], language: str) -> tuple[str, dict[str, str]]:
    valid = f"{int(payload['expiry_month']):02d}/{int(payload['expiry_year'])}"
    key = "notice-card-bound" if payload.get("autopay") is True else "notice-card-bound-autopay-off"
    return key, {**_card(payload), "valid": valid}


def _card_not_bound(payload: Mapping[str, Any], language: str) -> tuple[str, dict[str, str]]:
    return "notice-card-not-bound", {"reason": _reason(payload.get("reason"), language)}


def _autopay_failed(payload: Mapping[str, Any], language: str) -> tuple[str, dict[str, str]]:
    reason = payload.get("reason")
    # No card to charge is the bot's reason, not the provider's; any other is the provider's (or an expired card).
    text = _Text("notice-autopay-reason-no-card") if reason == "no_card" else _reason(reason, language)
    last4 = payload.get("last4")
    values = {
        "total": format_rub(int(payload["total"]), language),
        "reason": text,
        "count": len(payload["invoices"]),
        "invoices": ", ".join(escape(str(number)) for number in payload["invoices"]),
    }
    if not last4:
        return "notice-autopay-failed-no-card", values
    return "notice-autopay-failed", {**values, "last4": escape(str(last4))}


def _card_expiring(payload: Mapping[str, Any], language: str) -> tuple[str, dict[str, str]]:
    when = "today" if payload["when"] == "today" else "soon"
    return f"notice-card-expiring-{when}", {**_card(payload), "on": _day(payload["expires_on"])}


def _pay_button(text: Callable[..., str]) -> InlineKeyboardMarkup:
    """The manual way: every unpaid invoice the payer pays, offered for one payment (as /pay)."""
    return keyboard([button(text("notice-pay-button"), PayDueCb())])


class _Text(str):
    """A value that is itself a message key: render_notice puts that message's text in its place."""


def _invoice_reminder(payload: Mapping[str, Any], language: str) -> tuple[str, dict[str, str]]:
    return variant("notice-reminder", str(payload["reminder"])), {
        "number": escape(str(payload["invoice"])),
        "due": _day(payload["due_on"]),
        "total": format_rub(int(payload["total"]), language),
    }


def _dispute_deadline(payload: Mapping[str, Any], language: str) -> tuple[str, dict[str, str]]:
    kind = "late" if payload["reminder"] == "late" else "soon"
    return f"notice-dispute-deadline-{kind}", {
        "dispute": str(int(payload["dispute_id"])),
        "number": escape(str(payload["invoice"])),
        "deadline": _day(payload["deadline"]),
    }


def _policy_ended(payload: Mapping[str, Any], language: str) -> tuple[str, dict[str, str]]:
    return "notice-policy-ended", {"on": _day(payload["on"])}


def _day(iso: str) -> str:
    return day(date.fromisoformat(iso))


_RENDERERS: dict[str, Callable[[Mapping[str, Any], str], tuple[str, dict[str, str]]]] = {
    INVOICE_ISSUED: _invoice_issued,
    ACCESS_RESTRICTED: _access_restricted,
    ACCESS_RESTORED: _access_restored,
    DISPUTE_ANSWERED: _dispute_answered,
    PAYMENT_SUCCEEDED: _payment_succeeded,
    PAYMENT_CANCELED: _payment_canceled,
    PAYMENT_REFUNDED: _payment_refunded,
    PAYMENT_CHECKING: _payment_checking,
    INVOICE_REMINDER: _invoice_reminder,
    DISPUTE_DEADLINE: _dispute_deadline,
    POLICY_ENDED: _policy_ended,
    CARD_BOUND: _card_bound,
    CARD_NOT_BOUND: _card_not_bound,
    AUTOPAY_FAILED: _autopay_failed,
    CARD_EXPIRING: _card_expiring,
}

# The kinds that carry buttons under their text.
_BUTTONS: dict[str, Callable[[Callable[..., str]], InlineKeyboardMarkup]] = {
    AUTOPAY_FAILED: _pay_button,
}

__all__ = ["RenderedNotice", "UnknownNotice", "render_notice"]
