"""What a notice says: a pure function of the notice (`core.notices`), the recipient's language and the name
of the insured person it is about (looked up when it is sent). Every user or registry string is escaped
for HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any, NamedTuple

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n.cores import FluentRuntimeCore

from bot.callbacks.cabinet import ToMenuCb
from bot.callbacks.common import DisputeReplyCb, MenuCb, SupportReplyCb
from bot.callbacks.desk_queue import QueueItemCb
from bot.callbacks.payments import PayDueCb
from bot.views.kit import button, keyboard, variant
from bot.views.payments import KNOWN_REASONS
from core.billing.cards import ChargeSkip, ExpiryNotice
from core.billing.reminders import StaffReminder
from core.billing.status import InvoiceStatus
from core.desk.broadcasts import Screen
from core.desk.queue import ItemKind
from core.notices import (
    AccessRestored,
    AccessRestricted,
    AutopayFailed,
    BroadcastMessage,
    BroadcastReport,
    CardBound,
    CardExpiring,
    CardNotBound,
    DeskTopicChanged,
    DeskTopicOpen,
    DisputeAnswered,
    DisputeDeadline,
    DisputeWritten,
    InvoiceCancelled,
    InvoiceIssued,
    InvoiceMarkedPaid,
    InvoiceReminder,
    MessageCopied,
    Notice,
    NoticeButton,
    PaymentCanceled,
    PaymentChecking,
    PaymentNotice,
    PaymentRefunded,
    PaymentSucceeded,
    PolicyEnded,
    QueueItemNew,
    StaffRemovedFromGroup,
    SupportAnswered,
    UnknownNotice,
)
from core.readable import day, rub


class RenderedNotice(NamedTuple):
    text: str
    reply_markup: InlineKeyboardMarkup | None = None  # the notice's buttons (the Pay button of a debt)


def render_notice(
    core: FluentRuntimeCore,
    notice: Notice,
    language: str,
    person_name: str | None = None,
    quoted: str | None = None,
) -> RenderedNotice:
    """UnknownNotice for a kind this version has no text for. `quoted`: the words a notice carries by
    reference (support's answer), read when it is sent."""
    render = _RENDERERS.get(type(notice))
    if render is None:
        raise UnknownNotice(notice.kind)
    person = escape(person_name) if person_name else core.get("notice-person-unknown", language)
    key, values = render(notice, language)
    if isinstance(notice, SupportAnswered):
        values["text"] = escape(quoted) if quoted else core.get("notice-support-answer-gone", language)
    if isinstance(notice, BroadcastMessage):
        if quoted is None:
            raise UnknownNotice(f"{notice.kind}: no such broadcast")
        values["text"] = escape(quoted)  # plain text, as the admin typed it
    values = {name: core.get(value, language) if isinstance(value, _Text) else value for name, value in values.items()}
    rows = [[button(core.get(_BUTTONS[kind][0], language), _BUTTONS[kind][1](notice))] for kind in notice.buttons]
    if isinstance(notice, BroadcastMessage) and notice.screen is not None:
        label, data = SCREENS[notice.screen]
        rows.append([button(core.get(label, language), data)])
    return RenderedNotice(core.get(key, language, person=person, **values), keyboard(*rows) if rows else None)


class _Text(str):
    """A value that is itself a message key: render_notice puts that message's text in its place."""


Values = dict[str, Any]


def _invoice_issued(notice: InvoiceIssued, language: str) -> tuple[str, Values]:
    values = {"number": escape(notice.invoice), "due": day(notice.due_on, language)}
    if notice.status == InvoiceStatus.PAID or notice.total == 0:
        return "notice-invoice-issued-paid", values
    key = "notice-invoice-issued"
    if notice.autopay:
        key = "notice-invoice-issued-autopay"
    elif notice.email_needed:
        key = "notice-invoice-issued-email-needed"
    return key, {**values, "total": rub(notice.total, language)}


def _invoice_marked_paid(notice: InvoiceMarkedPaid, language: str) -> tuple[str, Values]:
    return "notice-invoice-marked-paid", {"number": escape(notice.invoice), "amount": rub(notice.amount, language)}


def _invoice_cancelled(notice: InvoiceCancelled, language: str) -> tuple[str, Values]:
    return "notice-invoice-cancelled", {"number": escape(notice.invoice), "amount": rub(notice.amount, language)}


def _access_restricted(notice: AccessRestricted, language: str) -> tuple[str, Values]:
    return variant("notice-access-restricted", notice.rule), {
        "since": day(notice.since, language),
        "invoices": _numbers(notice.invoices),
    }


def _access_restored(notice: AccessRestored, language: str) -> tuple[str, Values]:
    return "notice-access-restored", {"on": day(notice.on, language)}


def _dispute_answered(notice: DisputeAnswered, language: str) -> tuple[str, Values]:
    values = {"number": escape(notice.invoice), "due": day(notice.due_on, language)}
    if notice.status == InvoiceStatus.PAID:
        return "notice-dispute-accepted-paid", values
    verdict = "accepted" if notice.accepted else "rejected"
    overdue = "-overdue" if notice.status == InvoiceStatus.OVERDUE else ""
    return f"notice-dispute-{verdict}{overdue}", {**values, "total": rub(notice.total, language)}


def _invoice_reminder(notice: InvoiceReminder, language: str) -> tuple[str, Values]:
    return variant("notice-reminder", notice.reminder), {
        "number": escape(notice.invoice),
        "due": day(notice.due_on, language),
        "total": rub(notice.total, language),
    }


def _dispute_deadline(notice: DisputeDeadline, language: str) -> tuple[str, Values]:
    when = "late" if notice.reminder == StaffReminder.LATE else "soon"
    return f"notice-dispute-deadline-{when}", {
        "dispute": str(notice.dispute_id),
        "number": escape(notice.invoice),
        "deadline": day(notice.deadline, language),
    }


def _support_answered(notice: SupportAnswered, language: str) -> tuple[str, Values]:
    return "notice-support-answer", {
        "number": str(notice.request),
        "kind": _Text(variant("request-kind", notice.request_kind)),
    }


def _queue_item_new(notice: QueueItemNew, language: str) -> tuple[str, Values]:
    key = "notice-queue-reopened" if notice.reopened else "notice-queue-new"
    return key, {"kind": _Text(variant("desk-queue-kind", notice.item)), "number": str(notice.item_id)}


def _desk_topic_open(notice: DeskTopicOpen, language: str) -> tuple[str, Values]:
    """Read only without the group's sender (`bot.desk_topics`): then the group gets the new item's line."""
    return "notice-queue-new", {"kind": _Text(variant("desk-queue-kind", notice.item)), "number": str(notice.item_id)}


def _desk_topic_changed(notice: DeskTopicChanged, language: str) -> tuple[str, Values]:
    """Read only without the group's sender (`bot.desk_topics`), which rewrites the topic instead."""
    values = {"kind": _Text(variant("desk-queue-kind", notice.item)), "number": str(notice.item_id)}
    return "notice-desk-topic-changed", values


def _dispute_written(notice: DisputeWritten, language: str) -> tuple[str, Values]:
    return "notice-dispute-written", {"number": str(notice.dispute_id), "invoice": escape(notice.invoice)}


def _staff_removed(notice: StaffRemovedFromGroup, language: str) -> tuple[str, Values]:
    """Read only without the group's sender (`bot.desk_topics`)."""
    return "notice-staff-removed", {"user": str(notice.user)}


def _message_copied(notice: MessageCopied, language: str) -> tuple[str, Values]:
    """Read only without the group's sender (`bot.desk_topics`), which copies the message instead."""
    return "notice-message-copied", {}


def _policy_ended(notice: PolicyEnded, language: str) -> tuple[str, Values]:
    return "notice-policy-ended", {"on": day(notice.on, language)}


def _payment(notice: PaymentNotice, language: str) -> Values:
    return {
        "number": str(notice.payment_id),
        "amount": rub(notice.amount, language),
        "invoices": _numbers(notice.invoices),
    }


def _payment_succeeded(notice: PaymentSucceeded, language: str) -> tuple[str, Values]:
    values = _payment(notice, language)
    if not notice.refund and notice.card:  # an automatic charge from the saved card
        return "notice-payment-succeeded-autopay", {**values, "last4": escape(notice.card)}
    if not notice.refund:
        return "notice-payment-succeeded", values
    key = "notice-payment-succeeded-refund" if notice.invoices else "notice-payment-succeeded-all-refund"
    return key, {**values, "refund": rub(notice.refund, language)}


def _payment_canceled(notice: PaymentCanceled, language: str) -> tuple[str, Values]:
    return "notice-payment-canceled", {**_payment(notice, language), "reason": _reason(notice.reason)}


def _payment_refunded(notice: PaymentRefunded, language: str) -> tuple[str, Values]:
    return "notice-payment-refunded", _payment(notice, language)


def _payment_checking(notice: PaymentChecking, language: str) -> tuple[str, Values]:
    return "notice-payment-checking", _payment(notice, language)


def _card(card_type: str, last4: str) -> Values:
    """A card as the notices name it: its type as the provider names it ("Card" when unknown), its last digits."""
    return {"card_type": escape(card_type) or _Text("card-type-unknown"), "last4": escape(last4)}


def _card_bound(notice: CardBound, language: str) -> tuple[str, Values]:
    key = "notice-card-bound" if notice.autopay else "notice-card-bound-autopay-off"
    valid = f"{notice.expiry_month:02d}/{notice.expiry_year}"
    return key, {**_card(notice.card_type, notice.last4), "valid": valid}


def _card_not_bound(notice: CardNotBound, language: str) -> tuple[str, Values]:
    return "notice-card-not-bound", {"reason": _reason(notice.reason)}


def _card_expiring(notice: CardExpiring, language: str) -> tuple[str, Values]:
    when = "today" if notice.when == ExpiryNotice.TODAY else "soon"
    return f"notice-card-expiring-{when}", {
        **_card(notice.card_type, notice.last4),
        "on": day(notice.expires_on, language),
    }


def _autopay_failed(notice: AutopayFailed, language: str) -> tuple[str, Values]:
    # No card to charge is the bot's reason, not the provider's; any other is the provider's (or an expired card).
    reason = _Text("notice-autopay-reason-no-card") if notice.reason == ChargeSkip.NO_CARD else _reason(notice.reason)
    values = {
        "total": rub(notice.total, language),
        "reason": reason,
        "count": len(notice.invoices),
        "invoices": _numbers(notice.invoices),
    }
    if not notice.last4:
        return "notice-autopay-failed-no-card", values
    return "notice-autopay-failed", {**values, "last4": escape(notice.last4)}


def _reason(reason: str | None) -> _Text:
    """The provider's reason in plain words ("declined" for one we do not know)."""
    return _Text(variant("payment-reason", reason if reason in KNOWN_REASONS else "other"))


def _numbers(invoices: tuple[str, ...]) -> str:
    return ", ".join(escape(number) for number in invoices)


def _broadcast(notice: BroadcastMessage, language: str) -> tuple[str, Values]:
    return "notice-broadcast", {}


def _broadcast_report(notice: BroadcastReport, language: str) -> tuple[str, Values]:
    counts = {"sent": notice.sent, "blocked": notice.blocked, "failed": notice.failed}
    return "notice-broadcast-report", {"number": notice.broadcast_id, **counts}


# The screens a broadcast's button may open: (the button's text, what it does), as the main menu's own.
SCREENS: dict[Screen, tuple[str, CallbackData]] = {
    Screen.MENU: ("button-menu", ToMenuCb()),
    Screen.INVOICES: ("menu-invoices", MenuCb(section="invoices")),
    Screen.POLICIES: ("menu-policies", MenuCb(section="policies")),
    Screen.CLINICS: ("menu-clinics", MenuCb(section="clinics")),
}


_RENDERERS: dict[type[Notice], Callable[[Any, str], tuple[str, Values]]] = {
    InvoiceIssued: _invoice_issued,
    InvoiceMarkedPaid: _invoice_marked_paid,
    InvoiceCancelled: _invoice_cancelled,
    AccessRestricted: _access_restricted,
    AccessRestored: _access_restored,
    DisputeAnswered: _dispute_answered,
    InvoiceReminder: _invoice_reminder,
    DisputeDeadline: _dispute_deadline,
    PolicyEnded: _policy_ended,
    SupportAnswered: _support_answered,
    QueueItemNew: _queue_item_new,
    DeskTopicOpen: _desk_topic_open,
    DeskTopicChanged: _desk_topic_changed,
    DisputeWritten: _dispute_written,
    StaffRemovedFromGroup: _staff_removed,
    MessageCopied: _message_copied,
    PaymentSucceeded: _payment_succeeded,
    PaymentCanceled: _payment_canceled,
    PaymentRefunded: _payment_refunded,
    PaymentChecking: _payment_checking,
    CardBound: _card_bound,
    CardNotBound: _card_not_bound,
    CardExpiring: _card_expiring,
    AutopayFailed: _autopay_failed,
    BroadcastMessage: _broadcast,
    BroadcastReport: _broadcast_report,
}


def _open_item(notice: Notice) -> CallbackData:
    if isinstance(notice, DisputeDeadline):
        return QueueItemCb(kind=ItemKind.DISPUTE, item_id=notice.dispute_id)
    if isinstance(notice, QueueItemNew):
        return QueueItemCb(kind=notice.item, item_id=notice.item_id)
    raise UnknownNotice(f"{notice.kind}: no item to open")


def _reply(notice: Notice) -> CallbackData:
    if isinstance(notice, SupportAnswered):
        return SupportReplyCb(request=notice.request)
    if isinstance(notice, DisputeWritten):
        return DisputeReplyCb(dispute=notice.dispute_id)
    raise UnknownNotice(f"{notice.kind}: nothing to reply to")


# A notice's button: its text, and what it does (made from the notice: the item it is about).
_BUTTONS: dict[NoticeButton, tuple[str, Callable[[Notice], CallbackData]]] = {
    NoticeButton.PAY_DUE: ("notice-pay-button", lambda _: PayDueCb()),  # the manual way, as /pay
    NoticeButton.REPLY: ("notice-reply-button", _reply),
    NoticeButton.OPEN_ITEM: ("notice-open-item-button", _open_item),
    NoticeButton.PAY_AGAIN: ("notice-pay-again-button", lambda _: PayDueCb()),  # the same, after a declined payment
}

__all__ = ["RenderedNotice", "render_notice"]
