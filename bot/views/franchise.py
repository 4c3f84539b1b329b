"""Franchise: the policies that have one, the terms with the consent button, the activation result."""

from __future__ import annotations

from html import escape

from aiogram_i18n import I18nContext

from bot.callbacks.cabinet import FranchiseCb, FranchiseConsentCb, FranchiseListCb, PolicyCb
from bot.callbacks.payments import PayDueCb
from bot.screens import Screen
from bot.views.cards import cards_button
from bot.views.kit import (
    NAME_IN_LIST,
    button,
    clip,
    day,
    keyboard,
    lines,
    page_line,
    page_slice,
    pager,
    percent,
    variant,
)
from bot.views.navigation import menu_button
from bot.views.policies import franchise_status, policy_button
from core.cabinet.franchise import ActivationRefusal, FranchiseKind
from core.services.franchise import FranchiseOffer
from core.services.policies import Policy

TO_FRANCHISE = FranchiseListCb()


def franchise_list_screen(i18n: I18nContext, offers: list[FranchiseOffer], page: int) -> Screen:
    shown, on_page = page_slice(offers, page)
    entries = [
        i18n.get(
            "franchise-entry",
            number=escape(o.policy.policy_number),
            name=escape(clip(o.policy.full_name, NAME_IN_LIST)),
            percent=percent(i18n, o.policy.franchise.percent_bp),
            status=franchise_status(i18n, o.policy.franchise),
        )
        for o in on_page
    ]
    text = lines(
        i18n.get("franchise-title"),
        page_line(i18n, shown),
        "",
        "\n\n".join(entries) if entries else i18n.get("franchise-none"),
    )
    return text, keyboard(
        *([policy_button("💳", o.policy, FranchiseCb(person_id=o.policy.person_id))] for o in on_page),
        pager(i18n, shown, lambda n: FranchiseListCb(page=n)),
        [menu_button(i18n)],
    )


def franchise_screen(i18n: I18nContext, offer: FranchiseOffer, cards_offered: bool = False) -> Screen:
    """The terms; the consent button when the caller may consent, else why not; for the payer, the card
    for automatic charges (or that they are not offered)."""
    policy = offer.policy
    text = lines(
        _heading(i18n, policy),
        "",
        i18n.get("franchise-terms-title"),
        franchise_terms(i18n, policy),
        "",
        i18n.get(refusal_key(offer.refusal) if offer.refusal else "franchise-consent-hint"),
        _cards_line(i18n, policy, cards_offered),
    )
    consent = [button(i18n.get("franchise-consent-button"), FranchiseConsentCb(person_id=policy.person_id))]
    return text, keyboard(
        consent if offer.refusal is None else [],
        cards_button(i18n, policy.person_id) if policy.is_payer and cards_offered else [],
        [button(i18n.get("franchise-back-button"), TO_FRANCHISE)],
        [button(i18n.get("franchise-policy-button"), PolicyCb(person_id=policy.person_id))],
    )


def activated_screen(i18n: I18nContext, policy: Policy, cards_offered: bool = False) -> Screen:
    """The consent recorded. Under a debt (an overdue invoice suspends the franchise) it says what really
    happens: in force once the debt is paid, and the button to pay it; never "available from" beside
    "suspended"."""
    suspended = policy.franchise.kind == FranchiseKind.SUSPENDED
    text = lines(
        _heading(i18n, policy),
        "",
        i18n.get(
            "franchise-activated-after-debt" if suspended else "franchise-activated",
            date=day(i18n, policy.franchise.effective_from),
        ),
        _cards_line(i18n, policy, cards_offered),
    )
    return text, keyboard(
        [button(i18n.get("franchise-pay-debt-button"), PayDueCb())] if suspended else [],
        cards_button(i18n, policy.person_id) if policy.is_payer and cards_offered else [],
        [button(i18n.get("franchise-back-button"), TO_FRANCHISE)],
        [menu_button(i18n)],
    )


def refusal_key(refusal: ActivationRefusal) -> str:
    return variant("franchise-refusal", refusal)


def _cards_line(i18n: I18nContext, policy: Policy, offered: bool) -> str:
    """For the payer: a saved card pays the invoices automatically (the button below), or that it cannot."""
    if not policy.is_payer:
        return ""
    return i18n.get("franchise-cards-hint" if offered else "cards-not-offered-short")


def _heading(i18n: I18nContext, policy: Policy) -> str:
    return lines(
        i18n.get("franchise-policy-title", number=escape(policy.policy_number)),
        i18n.get("policy-insured", name=escape(policy.full_name)),
        i18n.get("policy-program", program=escape(policy.program.name)),
        i18n.get("policy-franchise", status=franchise_status(i18n, policy.franchise)),
    )


def franchise_terms(i18n: I18nContext, policy: Policy) -> str:
    """The program's terms (locales: franchise-terms, versioned by core.cabinet.franchise.TERMS_VERSION)."""
    program = policy.program
    return i18n.get(
        "franchise-terms",
        percent=percent(i18n, program.franchise_bp),
        days=program.due_days,
        kind=program.due_day_kind,
        rule=program.overdue_rule,
    )
