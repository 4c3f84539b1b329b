"""Saved cards and automatic charges: the cards screen, a removal asked, a binding under way, and the
pieces the policy card and the deductible screen show (the card's name, its validity, the button)."""

from __future__ import annotations

from html import escape

from aiogram.types import InlineKeyboardButton
from aiogram_i18n import I18nContext

from bot.callbacks.cabinet import PolicyCb
from bot.callbacks.cards import CardAutopayCb, CardBindCb, CardRemoveCb, CardsCb
from bot.screens import Screen
from bot.views.kit import button, keyboard, lines, rub, variant
from bot.views.navigation import menu_button
from bot.views.payments import invoices_button
from core.billing.cards import BINDING_AMOUNT, MAX_CARDS
from core.services.cards import BindRefusal, BindResult, CardsOverview, SavedCard


def card_name(i18n: I18nContext, card_type: str, last4: str) -> str:
    """ "MasterCard •••• 4444" (the type as the provider names it; "Card" when unknown)."""
    kind = escape(card_type) if card_type else i18n.get("card-type-unknown")
    return i18n.get("card-name", card_type=kind, last4=escape(last4))


def card_validity(i18n: I18nContext, month: int, year: int, expired: bool) -> str:
    """ "valid until 12/2030", or "expired (12/2025)"."""
    return i18n.get("card-expired" if expired else "card-valid", until=f"{month:02d}/{year}")


def cards_button(i18n: I18nContext, back: int) -> list[InlineKeyboardButton]:
    """The way to the cards screen; `back` is the policy card it returns to (0: the menu)."""
    return [button(i18n.get("cards-button"), CardsCb(back=back))]


def cards_screen(i18n: I18nContext, overview: CardsOverview, back: int = 0, note: str = "") -> Screen:
    """The payer's cards (bound last first: that one is charged), automatic charges on or off, and the
    buttons to switch them, add a card or remove one. `note` is a line on top (a card just removed)."""
    if not overview.offered:
        return lines(i18n.get("cards-title"), "", i18n.get("cards-not-offered")), keyboard(
            [invoices_button(i18n)],
            [menu_button(i18n)],
        )
    entries = [_entry(i18n, card) for card in overview.cards]
    autopay = "cards-autopay-on" if overview.autopay else "cards-autopay-off"
    usable = any(card.charged and not card.expired for card in overview.cards)
    text = lines(
        i18n.get("cards-title"),
        note,
        i18n.get("cards-about"),
        "\n" + ("\n".join(entries) if entries else i18n.get("cards-none")),
        "\n" + i18n.get(autopay),
        i18n.get("cards-autopay-no-card") if overview.autopay and not usable else "",
        i18n.get("cards-binding-under-way") if overview.binding_url else "",
    )
    toggle = "cards-autopay-off-button" if overview.autopay else "cards-autopay-on-button"
    return text, keyboard(
        [button(i18n.get(toggle), CardAutopayCb(on=not overview.autopay, back=back))],
        [button(i18n.get("cards-add-button"), CardBindCb(back=back))],
        *(
            [button(i18n.get("cards-remove-button", last4=card.last4), CardRemoveCb(card_id=card.card_id, back=back))]
            for card in overview.cards
        ),
        _way_back(i18n, back),
    )


def remove_screen(i18n: I18nContext, overview: CardsOverview, card: SavedCard, back: int = 0) -> Screen:
    """Removing a card asked first: what happens to the automatic charges after it."""
    others = [other for other in overview.cards if other.card_id != card.card_id]
    if not card.charged:
        after = ""
    elif others:
        after = i18n.get("cards-remove-next", card=card_name(i18n, others[0].card_type, others[0].last4))
    else:
        after = i18n.get("cards-remove-last")
    text = lines(
        i18n.get("cards-remove-ask", card=card_name(i18n, card.card_type, card.last4)),
        i18n.get("cards-remove-forgotten"),
        after,
    )
    return text, keyboard(
        [
            button(i18n.get("cards-remove-yes"), CardRemoveCb(card_id=card.card_id, confirmed=True, back=back)),
            button(i18n.get("cards-remove-no"), CardsCb(back=back)),
        ],
    )


def binding_screen(i18n: I18nContext, result: BindResult, back: int = 0) -> Screen:
    """A binding under way: the provider's page behind a button, and what happens there."""
    text = lines(
        i18n.get("cards-bind-title"),
        i18n.get("cards-bind-existing") if result.existing else "",
        i18n.get("cards-bind-text", amount=rub(i18n, BINDING_AMOUNT)),
    )
    return text, keyboard(
        [InlineKeyboardButton(text=i18n.get("cards-bind-page-button"), url=result.confirmation_url)],
        [button(i18n.get("cards-back-button"), CardsCb(back=back))],
        [menu_button(i18n)],
    )


def bind_refusal_key(refusal: BindRefusal) -> str:
    return variant("cards-refused", refusal)


def bind_refusal_values(refusal: BindRefusal) -> dict[str, int]:
    return {"count": MAX_CARDS} if refusal == BindRefusal.TOO_MANY_CARDS else {}


def _entry(i18n: I18nContext, card: SavedCard) -> str:
    name = card_name(i18n, card.card_type, card.last4)
    validity = card_validity(i18n, card.expiry_month, card.expiry_year, card.expired)
    if not card.expired and not card.charged:
        return i18n.get("cards-entry", card=name, validity=validity)
    mark = i18n.get("cards-mark-expired" if card.expired else "cards-mark-charged")
    return i18n.get("cards-entry-marked", card=name, validity=validity, mark=mark)


def _way_back(i18n: I18nContext, back: int) -> list[InlineKeyboardButton]:
    menu = menu_button(i18n)
    return [button(i18n.get("cards-policy-button"), PolicyCb(person_id=back)), menu] if back else [menu]
