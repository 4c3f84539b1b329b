"""The desk's money screens: an invoice's and a payment's details (with the money actions this member may
take), the prompt for what an action needs typed, the plan to confirm (which invoices, the status each
goes to, the amounts), and what was done. Pure functions of the use case's data; staff's words escaped."""

from __future__ import annotations

from html import escape

from aiogram_i18n import I18nContext

from bot.callbacks.desk import RecordCb
from bot.callbacks.desk_money import InvoiceCardCb, MoneyCb, MoneyStepCb, PaymentCardCb
from bot.screens import Screen
from bot.views.kit import button, day, keyboard, lines, moment, rub, variant
from core.desk.money import MoneyAction, MoneyPlan, MoneyRefusal
from core.services.money import InvoiceCard, MoneyOutcome, PaymentCard

MONEY_SECTION = 2  # the record's tab of invoices and payments (bot.callbacks.desk.RECORD_SECTIONS)


def invoice_screen(i18n: I18nContext, card: InvoiceCard, note: str = "") -> Screen:
    status = i18n.get(variant("invoice-status", card.status))
    out = [
        i18n.get("desk-money-invoice-title", number=escape(card.number), status=status),
        i18n.get("desk-money-invoice-dates", issued=day(i18n, card.issued_on), due=day(i18n, card.due_on)),
        i18n.get(
            "desk-money-invoice-amounts",
            copay=rub(i18n, card.copay),
            deposit=rub(i18n, card.deposit_used),
            credited=rub(i18n, card.credited),
            total=rub(i18n, card.total),
        ),
        i18n.get("desk-money-invoice-paid", paid=rub(i18n, card.paid), refunded=rub(i18n, card.refunded)),
        i18n.get(
            "desk-money-invoice-people", insured=str(card.insured_person_id), payer=str(card.payer_person_id or "—")
        ),
    ]
    if card.paid_at is not None:
        how = i18n.get(variant("desk-money-paid-how", card.paid_how or "unknown"))
        out.append(i18n.get("desk-money-invoice-paid-at", at=moment(i18n, card.paid_at), how=how))
    if card.offline_reference:
        out.append(i18n.get("desk-money-invoice-reference", reference=escape(card.offline_reference)))
    if card.cancelled_at is not None:
        out.append(
            i18n.get(
                "desk-money-invoice-cancelled",
                at=moment(i18n, card.cancelled_at),
                reason=escape(card.cancel_reason or "—"),
            )
        )
    acts = [
        [button(i18n.get(variant("desk-money-act", action)), MoneyCb(action=action, on="i", item_id=card.invoice_id))]
        for action in card.actions
    ]
    opened = [button(f"💳 № {p}", PaymentCardCb(payment_id=p)) for p in card.payments]
    whose = card.payer_person_id or card.insured_person_id
    back = [button(i18n.get("desk-back-to-record"), RecordCb(person_id=whose, section=MONEY_SECTION))]
    return lines(note, "\n".join(out)), keyboard(*acts, opened, back)


def payment_screen(i18n: I18nContext, card: PaymentCard, note: str = "") -> Screen:
    out = [
        i18n.get(
            "desk-money-payment-title",
            id=str(card.payment_id),
            status=i18n.get(variant("payment-status", card.status)),
        ),
        i18n.get(
            "desk-money-payment-line",
            amount=rub(i18n, card.amount),
            at=moment(i18n, card.created_at),
            provider=escape(card.provider_id or "—"),
        ),
        i18n.get("desk-money-payment-refunds", refunded=rub(i18n, card.refunded), left=rub(i18n, card.refundable)),
        i18n.get("desk-money-payment-invoices", invoices=escape(", ".join(n for _, n in card.invoices) or "—")),
    ]
    if card.anomaly:
        state = "open" if card.anomaly_open else "closed"
        out.append(i18n.get(f"desk-money-payment-anomaly-{state}", reason=escape(card.anomaly)))
    acts = []
    for action in card.actions:
        if action is MoneyAction.REFUND:
            acts.append([button(i18n.get("desk-money-act-refund-full"), _start(action, card, full=True))])
        acts.append([button(i18n.get(variant("desk-money-act", action)), _start(action, card))])
    opened = [button(f"🧾 {number}", InvoiceCardCb(invoice_id=invoice_id)) for invoice_id, number in card.invoices]
    back = [button(i18n.get("desk-back-to-record"), RecordCb(person_id=card.payer_person_id, section=MONEY_SECTION))]
    return lines(note, "\n".join(out)), keyboard(*acts, *[opened[n : n + 2] for n in range(0, len(opened), 2)], back)


def _start(action: MoneyAction, card: PaymentCard, *, full: bool = False) -> MoneyCb:
    return MoneyCb(action=action, on="p", item_id=card.payment_id, full=full)


def prompt_screen(i18n: I18nContext, action: MoneyAction, left: int | None = None) -> Screen:
    """Type what the action needs (a reference, a reason, an amount, a comment) as the next message."""
    values = {"left": rub(i18n, left)} if left is not None else {}
    text = i18n.get(variant("desk-money-prompt", action), **values)
    return text, keyboard([button(i18n.get("desk-money-drop"), MoneyStepCb(step="drop"))])


def confirm_screen(i18n: I18nContext, plan: MoneyPlan, typed: str | None) -> Screen:
    """The plan, as it will be done: each invoice, its status now and after, the amount; and the words typed."""
    head = i18n.get(variant("desk-money-confirm", plan.action), payment=str(plan.payment_id or ""))
    changes = [
        i18n.get(
            "desk-money-change",
            number=escape(change.number),
            before=i18n.get(variant("invoice-status", change.before)),
            after=i18n.get(variant("invoice-status", change.after)),
            amount=rub(i18n, change.amount),
        )
        for change in plan.changes
    ]
    total = i18n.get("desk-money-total", amount=rub(i18n, plan.amount)) if plan.changes else ""
    words = i18n.get(variant("desk-money-typed", plan.action), text=escape(typed)) if typed else ""
    return lines(head, "\n".join(changes), total, words, i18n.get(variant("desk-money-then", plan.action))), keyboard(
        [button(i18n.get("desk-confirm-yes"), MoneyStepCb(step="do"))],
        [button(i18n.get("desk-confirm-no"), MoneyStepCb(step="drop"))],
    )


def outcome_note(i18n: I18nContext, outcome: MoneyOutcome) -> str:
    """One line over the details: what was done, or why not."""
    if outcome.plan is None:
        return refusal_note(i18n, outcome.refusal or MoneyRefusal.CHANGED)
    action = outcome.plan.action
    if action is MoneyAction.REFUND:
        state = "succeeded" if outcome.refund_status == "succeeded" else "pending"
        return i18n.get(f"desk-money-done-refund-{state}", amount=rub(i18n, outcome.plan.amount))
    return i18n.get(variant("desk-money-done", action), amount=rub(i18n, outcome.plan.amount))


def refusal_note(i18n: I18nContext, refusal: MoneyRefusal) -> str:
    return i18n.get(variant("desk-money-refused", refusal))


def dropped_note(i18n: I18nContext) -> str:
    return i18n.get("desk-money-dropped")
