"""My policies: the list, a policy's card, and the steps of adding a child's policy."""

from __future__ import annotations

from html import escape

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from bot.callbacks.cabinet import (
    AddChildCb,
    ChildFormAction,
    ChildFormCb,
    ClinicsCb,
    FranchiseCb,
    PoliciesCb,
    PolicyCb,
    PolicyMemoCb,
)
from bot.callbacks.services import ServicesCb
from bot.screens import Screen
from bot.views.cards import card_name, card_validity, cards_button
from bot.views.kit import (
    BUTTON_LABEL,
    NAME_IN_LIST,
    button,
    clip,
    day,
    input_error,
    keyboard,
    lines,
    page_line,
    page_slice,
    pager,
    rub,
    variant,
)
from bot.views.navigation import menu_button, support_button
from core.cabinet.children import ChildRefusal, ChildStep, may_add_children
from core.cabinet.franchise import FranchiseState
from core.cabinet.policies import PolicyStatus
from core.errors import InputError
from core.services.children import ChildAdded
from core.services.policies import Policy, Relation

PROGRAM_IN_LIST = 60  # with NAME_IN_LIST, a page of entries fits one message
DESCRIPTION_LIMIT = 1500  # keeps the longest card well inside one message


def may_add_child(policies: list[Policy]) -> bool:
    """The caller's own policy lets them add a child's (core.cabinet.children)."""
    return any(p.relation == Relation.OWN and may_add_children(p.category) for p in policies)


def add_child_row(i18n: I18nContext) -> list[InlineKeyboardButton]:
    return [button(i18n.get("children-add-button"), AddChildCb())]


def policies_screen(i18n: I18nContext, policies: list[Policy], page: int) -> Screen:
    may_add = may_add_child(policies)
    shown, on_page = page_slice(policies, page)
    entries = [
        i18n.get(
            "policies-entry",
            number=escape(p.policy_number),
            name=escape(clip(p.full_name, NAME_IN_LIST)),
            relation=i18n.get(f"policy-relation-{p.relation}"),
            program=escape(clip(p.program.name, PROGRAM_IN_LIST)),
            status=policy_status(i18n, p.status, p.program.overdue_rule),
        )
        for p in on_page
    ]
    text = lines(i18n.get("policies-title"), page_line(i18n, shown), "\n\n".join(entries), i18n.get("policies-hint"))
    return text, keyboard(
        *([policy_button("📄", p, PolicyCb(person_id=p.person_id))] for p in on_page),
        pager(i18n, shown, lambda n: PoliciesCb(page=n)),
        add_child_row(i18n) if may_add else [],
        [menu_button(i18n)],
    )


def policy_screen(i18n: I18nContext, policy: Policy, cards_offered: bool = False) -> Screen:
    """The policy's details; its debt when there is one; for its payer, when the program has a deductible,
    the card automatic charges use (and the way to the cards), or that they are not offered."""
    program = policy.program
    with_card = policy.is_payer and bool(program.franchise_bp)
    contract, employer = escape(policy.contract_number or "—"), escape(policy.employer or "—")
    text = lines(
        i18n.get("policy-title", number=escape(policy.policy_number)),
        i18n.get(f"policy-relation-{policy.relation}"),
        i18n.get("policy-insured", name=escape(policy.full_name)),
        i18n.get("policy-program", program=escape(program.name)),
        i18n.get("policy-contract", contract=contract, employer=employer),
        i18n.get("policy-validity", start=day(i18n, policy.valid_from), end=day(i18n, policy.valid_to)),
        i18n.get("policy-status", status=policy_status(i18n, policy.status, program.overdue_rule)),
        i18n.get("policy-franchise", status=franchise_status(i18n, policy.franchise)),
        *_to_pay_lines(i18n, policy),
        _card_lines(i18n, policy, cards_offered) if with_card else "",
        f"\n<i>{escape(clip(program.description, DESCRIPTION_LIMIT))}</i>" if program.description else "",
    )
    franchise = [button(i18n.get("policy-franchise-button"), FranchiseCb(person_id=policy.person_id))]
    return text, keyboard(
        [button(i18n.get("policy-clinics-button"), ClinicsCb(person_id=policy.person_id))],
        franchise if program.franchise_bp else [],
        cards_button(i18n, policy.person_id) if with_card and cards_offered else [],
        [button(i18n.get("services-button"), ServicesCb(person_id=policy.person_id, card=True))],
        [button(i18n.get("memo-button"), PolicyMemoCb(person_id=policy.person_id))],
        [button(i18n.get("policies-back-button"), PoliciesCb())],
    )


def _to_pay_lines(i18n: I18nContext, policy: Policy) -> list[str]:
    """What is owed past its due date is a debt; an invoice not yet due is only to pay."""
    due_later = policy.debt - policy.overdue_debt
    return [
        i18n.get("policy-debt", total=rub(i18n, policy.overdue_debt)) if policy.overdue_debt > 0 else "",
        i18n.get("policy-to-pay", total=rub(i18n, due_later)) if due_later > 0 else "",
    ]


def _card_lines(i18n: I18nContext, policy: Policy, offered: bool) -> str:
    if not offered:
        return i18n.get("cards-not-offered-short")
    card = policy.card
    if card is None:
        shown = i18n.get("policy-card-none")
    else:
        shown = i18n.get(
            "policy-card",
            card=card_name(i18n, card.card_type, card.last4),
            validity=card_validity(i18n, card.expiry_month, card.expiry_year, card.expired),
        )
    return lines(shown, i18n.get("policy-autopay-on" if policy.autopay else "policy-autopay-off"))


# --- a policy as other sections show it too


def policy_status(i18n: I18nContext, status: PolicyStatus, overdue_rule: str) -> str:
    if status == PolicyStatus.RESTRICTED:
        return i18n.get(variant("policy-status-restricted", overdue_rule))
    return i18n.get(variant("policy-status", status))


def franchise_status(i18n: I18nContext, state: FranchiseState) -> str:
    since = day(i18n, state.effective_from) if state.effective_from else ""
    return i18n.get(variant("franchise-status", state.kind), date=since)


def policy_button(icon: str, policy: Policy, data: CallbackData) -> InlineKeyboardButton:
    """A button naming a policy: buttons are plain text, so names are only shortened."""
    return button(f"{icon} {clip(policy.policy_number, BUTTON_LABEL)} · {clip(policy.full_name, BUTTON_LABEL)}", data)


# --- adding a child's policy


def child_form_keyboard(i18n: I18nContext, step: ChildStep) -> InlineKeyboardMarkup:
    """Every step's buttons, kept under an error reply too: "no patronymic" on its step, Back, Cancel."""
    skip = [button(i18n.get("children-no-patronymic"), ChildFormCb(action=ChildFormAction.SKIP))]
    return keyboard(
        skip if step is ChildStep.PATRONYMIC else [],
        [
            button(i18n.get("button-back"), ChildFormCb(action=ChildFormAction.BACK)),
            button(i18n.get("button-cancel"), PoliciesCb()),
        ],
    )


def child_prompt_screen(i18n: I18nContext, step: ChildStep) -> Screen:
    """A step of the form: what to type, and the ways back and out."""
    return i18n.get(f"children-ask-{step.value}"), child_form_keyboard(i18n, step)


def child_invalid_screen(i18n: I18nContext, error: InputError, step: ChildStep) -> Screen:
    """What was wrong with the answer and a right one; the step stays, and so do its buttons."""
    return input_error(i18n, error, f"children-example-{step.value}"), child_form_keyboard(i18n, step)


def child_result_screen(i18n: I18nContext, result: ChildAdded) -> Screen:
    back = [button(i18n.get("policies-back-button"), PoliciesCb())]
    if result.refusal is None:
        text = i18n.get("children-added", name=escape(result.full_name), number=escape(result.policy_number))
        return text, keyboard(back, [menu_button(i18n)])
    if result.refusal == ChildRefusal.TOO_MANY_ATTEMPTS:
        way = [support_button(i18n)]  # trying again today is refused: support is the way on
    else:
        way = [button(i18n.get("children-retry-button"), AddChildCb())]
    return i18n.get(variant("children-refused", result.refusal)), keyboard(way, back)
