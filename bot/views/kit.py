"""The screen kit every view uses: dates, amounts, percents, texts clipped or fitted to a message,
buttons, keyboards, pagers, input errors. It knows no section's data."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import TypeVar

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from core import readable
from core.cabinet.paging import Page, page_of
from core.errors import InputError
from core.free_text import clip_utf16, utf16_len

BUTTON_LABEL = 40  # characters of a name shown on a button
# In a list entry (the card shows them whole): with these, a page of 8 entries fits one message.
NAME_IN_LIST = 100
PER_PAGE = 8

T = TypeVar("T")


def day(i18n: I18nContext, d: date) -> str:
    """A date as the viewer's language writes it (`core.readable.day`)."""
    return readable.day(d, i18n.locale)


def moment(i18n: I18nContext, at: datetime) -> str:
    return readable.moment(at, i18n.locale)


def percent(i18n: I18nContext, basis_points: int) -> str:
    """2000 → "20"; 2050 → "20,5" (ru) or "20.5" (en)."""
    return readable.percent(basis_points, i18n.locale)


def rub(i18n: I18nContext, kopecks: int) -> str:
    return readable.rub(kopecks, i18n.locale)


def clip(text: str, limit: int) -> str:
    """At most `limit` UTF-16 units, as Telegram counts (plain text, before escaping), an ellipsis when cut."""
    return clip_utf16(text, limit)


def fitting(entries: Iterable[str], budget: int, separator: str = "\n") -> list[str]:
    """The first entries that fit in `budget` UTF-16 units, each with its separator: whole entries, so no
    tag is cut. `entries` may be a generator: past the budget none is made."""
    shown: list[str] = []
    for entry in entries:
        budget -= utf16_len(entry) + len(separator)
        if budget < 0:
            break
        shown.append(entry)
    return shown


def variant(prefix: str, code: str) -> str:
    """The locale key of a code's text: ("policy-status", "not_started") → "policy-status-not-started"."""
    return f"{prefix}-{code.replace('_', '-')}"


def button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


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


def page_slice(items: Sequence[T], page: int) -> tuple[Page, Sequence[T]]:
    """Page `page` (clamped) of a list held whole, PER_PAGE entries a page: where it stands, and its entries."""
    shown = page_of(len(items), page, PER_PAGE)
    return shown, items[shown.start : shown.end]


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
