"""Payments: the screen of a payment under way (the provider's page behind a button), its outcome,
the payment history, and the texts of the provider's cancellation reasons."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from aiogram.types import InlineKeyboardButton
from aiogram_i18n import I18nContext

from bot.callbacks.common import MenuCb
from bot.callbacks.invoices import InvoicePayCb
from bot.callbacks.payments import PaymentCheckCb, PaymentsCb
from bot.screens import MESSAGE_LIMIT, Screen
from bot.views.invoices import user_document
from bot.views.kit import (
    NAME_IN_LIST,
    button,
    clip,
    day,
    fitting,
    keyboard,
    lines,
    moment,
    page_line,
    pager,
    rub,
    variant,
)
from bot.views.navigation import menu_button
from core.billing.payments import MAX_INVOICES, PaymentStatus, RefundReason
from core.files import Cell
from core.money import from_kopecks
from core.services.invoices import Selection
from core.services.payments import (
    AUTOPAY_UNDER_WAY,
    UNREACHABLE,
    PaymentPage,
    PaymentRecord,
    PayResult,
    RefundRecord,
)

# The provider's cancellation reasons this version explains in plain words; any other reads "declined".
KNOWN_REASONS = frozenset(
    {
        "3d_secure_failed",
        "call_issuer",
        "canceled_by_merchant",
        "card_expired",
        "country_forbidden",
        "expired_on_confirmation",
        "expired_on_capture",
        "fraud_suspected",
        "general_decline",
        "identification_required",
        "insufficient_funds",
        "internal_timeout",
        "invalid_card_number",
        "invalid_csc",
        "issuer_unavailable",
        "payment_method_limit_exceeded",
        "payment_method_restricted",
        "permission_revoked",
    }
)


# What the title, the total, the notes and the HTML markup may take besides the list.
LIST_RESERVE = 600
NUMBERS_IN_HISTORY = 8  # invoice numbers named per payment or refund in the history (5 payments a page)
TO_INVOICES = MenuCb(section="invoices")


def invoices_button(i18n: I18nContext) -> InlineKeyboardButton:
    """Back to the invoice table, from its first page."""
    return button(i18n.get("payments-invoices-button"), TO_INVOICES)


def _numbers(numbers: tuple[str, ...], limit: int = MAX_INVOICES) -> str:
    """Invoice numbers; past `limit`, the count of the rest ("+ 12"), so a page of payments stays a message."""
    shown = ", ".join(escape(number) for number in numbers[:limit])
    return shown + (f" + {len(numbers) - limit}" if len(numbers) > limit else "")


def reason_text(i18n: I18nContext, reason: str | None) -> str:
    return i18n.get(variant("payment-reason", reason if reason in KNOWN_REASONS else "other"))


def receipt_email_screen(i18n: I18nContext) -> Screen:
    """The payer has no phone or e-mail for the receipt: an e-mail is asked before anything is made."""
    return i18n.get("pay-email-prompt"), keyboard([button(i18n.get("button-cancel"), TO_INVOICES)])


def pay_all_screen(i18n: I18nContext, selection: Selection) -> Screen:
    """/pay: the unpaid invoices offered for one payment, and the button that pays them."""
    if not selection.invoices:
        return lines(i18n.get("pay-title"), i18n.get("pay-nothing")), keyboard(
            [invoices_button(i18n)],
            [menu_button(i18n)],
        )
    entries = [
        i18n.get(
            "pay-entry",
            number=escape(invoice.number),
            name=escape(clip(invoice.insured_name, NAME_IN_LIST)),
            total=rub(i18n, invoice.total),
            due=day(i18n, invoice.due_on),
        )
        for invoice in selection.invoices
    ]
    shown = fitting(entries, MESSAGE_LIMIT - LIST_RESERVE)
    if len(shown) < len(entries):
        shown.append(i18n.get("pay-entries-more", count=len(entries) - len(shown)))
    more = i18n.get("pay-more", count=MAX_INVOICES) if selection.more else ""
    text = lines(i18n.get("pay-title"), "\n".join(shown), i18n.get("pay-total", total=rub(i18n, selection.total)), more)
    return text, keyboard(
        [button(i18n.get("invoices-pay-button", total=rub(i18n, selection.total)), InvoicePayCb())],
        [invoices_button(i18n), menu_button(i18n)],
    )


def payment_screen(i18n: I18nContext, result: PayResult) -> Screen:
    """A payment just started, shown again, or checked: what to do next."""
    payment = result.payment
    assert payment is not None
    head = i18n.get(
        "payment-title",
        number=payment.payment_id,
        amount=rub(i18n, payment.amount),
        invoices=_numbers(payment.invoices),
    )
    rows: list[list[InlineKeyboardButton]] = []
    if result.refusal == UNREACHABLE:
        body = i18n.get("payment-unreachable")
        rows.append([button(i18n.get("payment-retry-button"), PaymentCheckCb(payment_id=payment.payment_id))])
    elif payment.status == PaymentStatus.PENDING and payment.checking:
        body = i18n.get("payment-checking")
    elif result.refusal == AUTOPAY_UNDER_WAY:
        body = i18n.get("payment-autopay-under-way")  # no page, nothing to check: a notice tells the outcome
    elif payment.status == PaymentStatus.PENDING:
        body = i18n.get("payment-existing" if result.existing else "payment-open-page")
        if payment.confirmation_url:
            rows.append([InlineKeyboardButton(text=i18n.get("payment-page-button"), url=payment.confirmation_url)])
        rows.append([button(i18n.get("payment-check-button"), PaymentCheckCb(payment_id=payment.payment_id))])
    else:
        body = outcome_text(i18n, payment)
    rows.append([button(i18n.get("payments-button"), PaymentsCb())])
    rows.append([invoices_button(i18n), menu_button(i18n)])
    return lines(head, body), keyboard(*rows)


def check_answer(i18n: I18nContext, result: PayResult) -> tuple[str, bool]:
    """The popup of "I paid — check" (and the history's check): what the bank says now, and whether it is an
    alert (nothing changed on the screen: it must be read) or a passing note (the screen tells the rest)."""
    payment = result.payment
    assert payment is not None
    if result.refusal == UNREACHABLE:
        return i18n.get("payment-check-unreachable"), True
    if payment.status == PaymentStatus.PENDING and payment.checking:
        return i18n.get("payment-check-staff"), True
    if payment.status == PaymentStatus.PENDING:
        return i18n.get("payment-check-waiting"), True
    if payment.status == PaymentStatus.SUCCEEDED:
        return i18n.get("payment-check-paid"), False
    if payment.status == PaymentStatus.CANCELED:
        return i18n.get("payment-check-declined", reason=reason_text(i18n, payment.cancellation_reason)), True
    return i18n.get(variant("payment-status", payment.status)), False


def outcome_text(i18n: I18nContext, payment: PaymentRecord) -> str:
    if payment.status == PaymentStatus.SUCCEEDED:
        return i18n.get("payment-succeeded")
    if payment.status == PaymentStatus.CANCELED:
        return i18n.get("payment-canceled", reason=reason_text(i18n, payment.cancellation_reason))
    return i18n.get(variant("payment-status", payment.status))


def history_screen(i18n: I18nContext, shown: PaymentPage) -> Screen:
    if not shown.payments:
        return lines(i18n.get("payments-title"), i18n.get("payments-empty")), keyboard(
            [invoices_button(i18n)],
            [menu_button(i18n)],
        )
    entries = [_entry(i18n, payment) for payment in shown.payments]
    checks = [
        [button(i18n.get("payments-check-button", number=p.payment_id), PaymentCheckCb(payment_id=p.payment_id))]
        for p in shown.payments
        if p.status == PaymentStatus.PENDING
    ]
    return lines(i18n.get("payments-title"), page_line(i18n, shown.page), "\n\n".join(entries)), keyboard(
        *checks,
        pager(i18n, shown.page, lambda n: PaymentsCb(page=n)),
        [invoices_button(i18n)],
        [menu_button(i18n)],
    )


def _entry(i18n: I18nContext, payment: PaymentRecord) -> str:
    parts = [
        i18n.get(
            "payments-entry",
            number=payment.payment_id,
            at=moment(i18n, payment.created_at),
            amount=rub(i18n, payment.amount),
            status=i18n.get(variant("payment-status", payment.status)),
            invoices=_numbers(payment.invoices, NUMBERS_IN_HISTORY),
        )
    ]
    if payment.status == PaymentStatus.CANCELED:
        parts.append(i18n.get("payments-entry-reason", reason=reason_text(i18n, payment.cancellation_reason)))
    parts.extend(_refund_line(i18n, refund) for refund in payment.refunds)
    if payment.receipt_registered:
        parts.append(i18n.get("payments-entry-receipt"))
    return "\n".join(parts)


def _refund_line(i18n: I18nContext, refund: RefundRecord) -> str:
    key = "payments-refund-double" if refund.reason == RefundReason.DOUBLE_PAYMENT else "payments-refund"
    return i18n.get(
        key,
        amount=rub(i18n, refund.amount),
        at=moment(i18n, refund.created_at),
        status=i18n.get(variant("refund-status", refund.status)),
        invoices=_numbers(refund.invoices, NUMBERS_IN_HISTORY),
    )


def payments_document(i18n: I18nContext, payments: Sequence[PaymentRecord]) -> tuple[str, bytes]:
    """The payment history as a CSV: (file name, content); a refund is a row of its own, its amount negative."""
    header = [i18n.get(f"payments-export-{column}") for column in ("number", "at", "amount", "status", "invoices")]
    rows: list[list[Cell]] = []
    for payment in payments:
        status = i18n.get(variant("payment-status", payment.status))
        invoices = ", ".join(payment.invoices)
        rows.append([payment.payment_id, payment.created_at, from_kopecks(payment.amount), status, invoices])
        rows.extend(
            [
                payment.payment_id,
                refund.created_at,
                -from_kopecks(refund.amount),
                i18n.get(variant("refund-status", refund.status)),
                ", ".join(refund.invoices),
            ]
            for refund in payment.refunds
        )
    return user_document(i18n, "payments.csv", header, rows)


__all__ = [
    "KNOWN_REASONS",
    "check_answer",
    "history_screen",
    "invoices_button",
    "outcome_text",
    "payment_screen",
    "payments_document",
    "reason_text",
    "receipt_email_screen",
]
