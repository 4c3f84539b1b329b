"""Saved cards: when a card may be charged, which one is, when the payer is told it expires, what a
binding payment's status means, and the idempotence keys of bindings and automatic charges.

- A card is valid through the last day of its expiry month (what is printed on it: MM/YY) and is not
  charged after that.
- An automatic charge uses the card bound last (never an older one instead: the payer chose the newest),
  and is made at most once per invoice: its key is derived from the invoice alone, so neither a second
  card, nor a retry, nor a second process can make another payment.
- The payer is told a month before the card expires and on its last day.
- A binding is a two-stage payment of `BINDING_AMOUNT` that is never captured: the provider holding the
  money (`waiting_for_capture`) with the method saved means the card is bound; the hold is then cancelled.
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

BINDING_AMOUNT = 1000  # kopecks held to check the card, released at once (the insurers' manuals: 10 ₽)
MAX_CARDS = 5  # saved cards a payer keeps at once


@dataclass(frozen=True)
class CardTerms:
    """What the rules need of a saved card."""

    card_id: int
    expiry_month: int
    expiry_year: int


@dataclass(frozen=True)
class CardPrint:
    """What tells one card from another without its number: the first six digits (None when unknown: a
    card bound before they were kept, or a provider that did not give them), the last four, the expiry,
    and the type as the provider names it."""

    first6: str | None
    last4: str
    expiry_month: int
    expiry_year: int
    card_type: str = ""


def same_card(one: CardPrint, other: CardPrint) -> bool:
    """The same card bound twice: the same first six and last four digits and expiry. When either's first
    digits are unknown, the same type stands in for them."""
    if (one.last4, one.expiry_month, one.expiry_year) != (other.last4, other.expiry_month, other.expiry_year):
        return False
    if one.first6 is None or other.first6 is None:
        return one.card_type == other.card_type
    return one.first6 == other.first6


class ChargeSkip(StrEnum):
    """Why a queued automatic charge was not made."""

    AUTOPAY_OFF = "autopay_off"  # the payer turned automatic charges off (or left)
    NOT_PAYABLE = "not_payable"  # paid, disputed, cancelled or in a payment meanwhile
    NO_CARD = "no_card"  # every card removed
    CARD_EXPIRED = "card_expired"  # the card bound last is past its expiry


class ExpiryNotice(StrEnum):
    SOON = "soon"  # a month before
    TODAY = "today"  # the last day it is valid


class BindingChange(StrEnum):
    NONE = "none"
    SAVE = "save"  # the provider holds the money and saved the method: keep the card, release the hold
    FAIL = "fail"  # cancelled before anything was saved: nothing bound


def expires_on(month: int, year: int) -> date:
    """The last day a card printed MM/YY is valid."""
    return date(year, month, calendar.monthrange(year, month)[1])


def expired(month: int, year: int, today: date) -> bool:
    return today > expires_on(month, year)


def card_to_charge(cards: Iterable[CardTerms], today: date) -> tuple[CardTerms | None, ChargeSkip | None]:
    """The card an automatic charge uses today — the one bound last (the highest id: ids grow with binding
    time) — or why none is charged."""
    last = max(cards, key=lambda card: card.card_id, default=None)
    if last is None:
        return None, ChargeSkip.NO_CARD
    if expired(last.expiry_month, last.expiry_year, today):
        return None, ChargeSkip.CARD_EXPIRED
    return last, None


def warn_on(month: int, year: int) -> date:
    """A month before the card's last day (the same day of the month before, or that month's last day)."""
    end = expires_on(month, year)
    before_month, before_year = (12, year - 1) if month == 1 else (month - 1, year)
    return date(before_year, before_month, min(end.day, calendar.monthrange(before_year, before_month)[1]))


def expiry_notice(month: int, year: int, today: date) -> ExpiryNotice | None:
    """The notice due today about this card, if any. Each is sent once (the reminders' ledger), so a job
    that missed the day sends it on a later one while it is still true: "soon" until the last day, "today"
    on the last day only (a later run finds the card expired, and the charge itself says so)."""
    end = expires_on(month, year)
    if today == end:
        return ExpiryNotice.TODAY
    if warn_on(month, year) <= today < end:
        return ExpiryNotice.SOON
    return None


def binding_change(stored_pending: bool, remote_status: str, method_saved: bool) -> BindingChange:
    """What the provider's status does to a binding payment still pending with us."""
    if not stored_pending:
        return BindingChange.NONE
    if remote_status in ("waiting_for_capture", "succeeded") and method_saved:
        return BindingChange.SAVE
    if remote_status == "canceled":
        return BindingChange.FAIL
    return BindingChange.NONE


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def autopay_key(invoice_id: int) -> str:
    """The one idempotence key of an invoice's automatic charge (64 hex characters)."""
    return _digest("autopay", str(invoice_id))


def binding_key(payer_person_id: int, attempt: int) -> str:
    """The key of the payer's `attempt`-th card binding."""
    if attempt < 1:
        raise ValueError("attempts count from 1")
    return _digest("binding", str(payer_person_id), str(attempt))


def release_key(payment_id: int) -> str:
    """The key of cancelling a binding's hold (asked again with it until the provider answers)."""
    return _digest("release", str(payment_id))


def binding_set(payer_person_id: int) -> str:
    """What a payer's bindings are counted by (a payment's `invoice_set`: no invoice set hashes alike)."""
    return _digest("bindings", str(payer_person_id))
