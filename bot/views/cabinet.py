"""Pieces every cabinet screen uses: dates, percents, statuses, pagers, buttons, input errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from core.cabinet.franchise import FranchiseState
from core.cabinet.paging import Page
from core.cabinet.policies import PolicyStatus
from core.errors import InputError
from core.services.policies import Policy
from core.text import clip_utf16

BUTTON_LABEL = 40  # characters of a name shown on a button
# In a list entry (the card shows them whole): with these, a page of 8 entries fits one message.
NAME_IN_LIST = 100
PROGRAM_IN_LIST = 60
PER_PAGE = 8


def day(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def moment(at: datetime) -> str:
    return at.strftime("%d.%m.%Y %H:%M")


def percent(i18n: I18nContext, basis_points: int) -> str:
    """2000 → "20"; 2050 → "20,5" (ru) or "20.5" (en)."""
    whole, rest = divmod(basis_points, 100)
    if not rest:
        return str(whole)
    text = f"{whole}.{rest:02d}".rstrip("0")
    return text if i18n.locale == "en" else text.replace(".", ",")


def clip(text: str, limit: int) -> str:
    """At most `limit` UTF-16 units, as Telegram counts (plain text, before escaping), an ellipsis when cut."""
    return clip_utf16(text, limit)


def variant(prefix: str, code: str) -> str:
    """The locale key of a code's text: ("policy-status", "not_started") → "policy-status-not-started"."""
    return f"{prefix}-{code.replace('_', '-')}"


def policy_status(i18n: I18nContext, status: PolicyStatus, overdue_rule: str) -> str:
    if status == PolicyStatus.RESTRICTED:
        return i18n.get(variant("policy-status-restricted", overdue_rule))
    return i18n.get(variant("policy-status", status))


def franchise_status(i18n: I18nContext, state: FranchiseState) -> str:
    since = day(state.effective_from) if state.effective_from else ""
    return i18n.get(variant("franchise-status", state.kind), date=since)


def button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def policy_button(icon: str, policy: Policy, data: CallbackData) -> InlineKeyboardButton:
    """A button naming a policy: buttons are plain text, so names are only shortened."""
    return button(f"{icon} {clip(policy.policy_number, BUTTON_LABEL)} · {clip(policy.full_name, BUTTON_LABEL)}", data)


def keyboard(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """Rows of buttons, empty ones (a pager on a single page) left out."""
    return InlineKeyboardMarkup(inline_keyboard=[row for row in rows if row])


def pager(i18n: I18nContext, page: Page, to: Callable[[int], CallbackData]) -> list[InlineKeyboardButton]:
    """‹ and › to the neighbouring pages (an empty row on a single page)."""
    row = []
    if page.has_previous:
        row.append(button(i18n.get("cabinet-page-previous"), to(page.number - 1)))
    if page.has_next:
        row.append(button(i18n.get("cabinet-page-next"), to(page.number + 1)))
    return row


def page_line(i18n: I18nContext, page: Page) -> str:
    return i18n.get("cabinet-page", number=page.number + 1, count=page.count) if page.count > 1 else ""


def input_error(i18n: I18nContext, error: InputError, example_key: str) -> str:
    """What was wrong with typed text (`error-<code>`, shared with registration), and an example of a
    right value. The error's numbers (a limit, a length) are there for the text to use; nothing else of
    what was typed is echoed."""
    numbers = {k: v for k, v in error.details.items() if isinstance(v, int) and not isinstance(v, bool)}
    problem = i18n.get("error-" + error.code.replace(".", "-"), **numbers)  # keeps "_": error-date-too_old
    return i18n.get("cabinet-invalid", problem=problem, example=i18n.get(example_key))


def lines(*parts: str) -> str:
    """A message from its lines, empty ones left out."""
    return "\n".join(part for part in parts if part)
