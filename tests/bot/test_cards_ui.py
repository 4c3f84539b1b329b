"""Saved cards in the chat, as pure views: the cards screen, the policy card's debt and card lines, the
deductible screen, and the notices of binding, expiry and automatic charges (with the Pay button).
Built from the core's dataclasses in both languages; no database, no Telegram."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from bot.callbacks.cabinet import PolicyCb, ToMenuCb
from bot.callbacks.cards import CardAutopayCb, CardBindCb, CardRemoveCb, CardsCb
from bot.callbacks.payments import PayDueCb
from bot.i18n import AccountLocaleManager, create_i18n_core
from bot.views.cards import bind_refusal_key, bind_refusal_values, binding_screen, cards_screen, remove_screen
from bot.views.franchise import activated_screen, franchise_screen
from bot.views.notices import render_notice
from bot.views.policies import policy_screen
from core.cabinet.franchise import FranchiseKind, FranchiseState
from core.cabinet.policies import PolicyStatus
from core.notices import read_notice
from core.services.cards import BindRefusal, BindResult, CardsOverview, SavedCard
from core.services.franchise import franchise_offer
from core.services.policies import CardOnFile, Policy, ProgramTerms, Relation

NBSP = "\u00a0"
CORE = create_i18n_core()


def i18n(language: str) -> I18nContext:
    return I18nContext(language, CORE, AccountLocaleManager(), {})


def card(
    card_id: int,
    last4: str,
    month: int,
    year: int,
    *,
    charged: bool = False,
    expired: bool = False,
    card_type: str = "MasterCard",
) -> SavedCard:
    return SavedCard(
        card_id=card_id,
        card_type=card_type,
        last4=last4,
        expiry_month=month,
        expiry_year=year,
        expires_on=date(year, month, 28),
        bound_at=datetime(2026, 11, 1, 12, 0),
        expired=expired,
        charged=charged,
    )


TWO_CARDS = CardsOverview(
    offered=True,
    cards=(card(7, "4444", 12, 2030, charged=True), card(3, "1111", 1, 2026, expired=True, card_type="Mir")),
    autopay=True,
    binding_url=None,
)


def buttons(markup: InlineKeyboardMarkup | None) -> list[tuple[str, str | None]]:
    assert markup is not None
    return [(b.text, b.callback_data or b.url) for row in markup.inline_keyboard for b in row]


def policy(**changes) -> Policy:
    base = Policy(
        person_id=42,
        relation=Relation.OWN,
        policy_number="123/14",
        full_name="Иванов Иван Иванович",
        category="employee",
        program=ProgramTerms("FR20", "Стандарт с франшизой 20%", "", 2000, 30, "working", "franchise"),
        contract_number="К-2026/001",
        employer="ООО «Ромашка»",
        valid_from=date(2026, 1, 1),
        valid_to=date(2027, 12, 31),
        status=PolicyStatus.ACTIVE,
        franchise=FranchiseState(FranchiseKind.NOT_ACTIVATED, 2000),
        is_payer=True,
    )
    return replace(base, **changes)


# --- the cards screen


def test_cards_listed_bound_last_first_with_marks() -> None:
    text, markup = cards_screen(i18n("en"), TWO_CARDS, back=42)
    assert "MasterCard •••• 4444, valid until 12/2030 — charged automatically" in text
    assert "Mir •••• 1111, expired (01/2026) — not charged" in text
    assert text.index("4444") < text.index("1111")
    assert "Automatic charges: <b>on</b>" in text and "No valid card" not in text
    assert buttons(markup) == [
        ("⏸ Turn automatic charges off", CardAutopayCb(on=False, back=42).pack()),
        ("➕ Add a card", CardBindCb(back=42).pack()),
        ("🗑 Remove •••• 4444", CardRemoveCb(card_id=7, back=42).pack()),
        ("🗑 Remove •••• 1111", CardRemoveCb(card_id=3, back=42).pack()),
        ("‹ Policy", PolicyCb(person_id=42).pack()),
        ("Main menu", ToMenuCb().pack()),
    ]
    ru, _ = cards_screen(i18n("ru"), TWO_CARDS)
    assert "MasterCard •••• 4444, действует до 12/2030 — с неё идут автосписания" in ru
    assert "Mir •••• 1111, срок действия истёк (01/2026) — не списывается" in ru


def test_cards_screen_without_cards_autopay_off_and_from_the_menu() -> None:
    overview = CardsOverview(offered=True, cards=(), autopay=False, binding_url="https://pay.example/x")
    text, markup = cards_screen(i18n("en"), overview, note="NOTE")
    assert text.splitlines()[1] == "NOTE"
    assert "No cards yet" in text and "Automatic charges: <b>off</b>" in text
    assert "A card check was started" in text
    assert buttons(markup)[0] == ("▶️ Turn automatic charges on", CardAutopayCb(on=True).pack())
    assert buttons(markup)[-1] == ("Main menu", ToMenuCb().pack())  # back=0: no policy to go back to
    assert not any("Policy" in label for label, _ in buttons(markup))
    on_no_card = cards_screen(i18n("ru"), replace(overview, autopay=True))[0]
    assert "Действующей карты нет" in on_no_card


def test_expired_card_charged_last_warns_that_nothing_will_be_charged() -> None:
    overview = replace(TWO_CARDS, cards=(card(9, "2222", 10, 2026, charged=True, expired=True),))
    text, _ = cards_screen(i18n("en"), overview)
    assert "expired (10/2026) — not charged" in text and "No valid card" in text


@pytest.mark.parametrize("language", ["ru", "en"])
def test_not_offered_says_so_and_points_to_invoices(language: str) -> None:
    overview = CardsOverview(offered=False, cards=(), autopay=False, binding_url=None)
    text, markup = cards_screen(i18n(language), overview, back=42)
    assert ("not offered" if language == "en" else "не подключены") in text and "/invoices" in text
    assert [data for _, data in buttons(markup)] == ["menu:invoices", ToMenuCb().pack()]


def test_removal_asked_first() -> None:
    text, markup = remove_screen(i18n("en"), TWO_CARDS, TWO_CARDS.cards[0], back=42)
    assert "Remove the card MasterCard •••• 4444?" in text and "Mir •••• 1111" in text  # the next one charged
    assert buttons(markup) == [
        ("✅ Yes, remove", CardRemoveCb(card_id=7, confirmed=True, back=42).pack()),
        ("No", CardsCb(back=42).pack()),
    ]
    alone = replace(TWO_CARDS, cards=TWO_CARDS.cards[:1])
    assert "Другой карты нет" not in remove_screen(i18n("ru"), alone, alone.cards[0])[0]
    assert "Других карт нет" in remove_screen(i18n("ru"), alone, alone.cards[0])[0]
    not_charged = remove_screen(i18n("en"), TWO_CARDS, TWO_CARDS.cards[1])[0]
    assert "Automatic charges will go" not in not_charged and "no other card" not in not_charged


@pytest.mark.parametrize("language", ["ru", "en"])
def test_binding_page_and_the_hold(language: str) -> None:
    result = BindResult(confirmation_url="https://pay.example/checkout/1")
    text, markup = binding_screen(i18n(language), result, back=42)
    assert f"10,00{NBSP}₽" in text if language == "ru" else "₽10.00" in text
    assert buttons(markup)[0][1] == "https://pay.example/checkout/1"
    assert buttons(markup)[1][1] == CardsCb(back=42).pack()
    again = binding_screen(i18n(language), replace(result, existing=True))[0]
    assert again != text and len(again) > len(text)


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("refusal", list(BindRefusal))
def test_every_bind_refusal_has_words(language: str, refusal: BindRefusal) -> None:
    words = CORE.get(bind_refusal_key(refusal), language, **bind_refusal_values(refusal))
    assert words and "{" not in words


# --- the policy card and the deductible screen


def test_policy_card_shows_the_card_autopay_and_the_button() -> None:
    shown = policy(card=CardOnFile("MasterCard", "4444", 12, 2030, expired=False), autopay=True)
    text, markup = policy_screen(i18n("en"), shown, cards_offered=True)
    assert "Card for automatic charges: MasterCard •••• 4444, valid until 12/2030" in text
    assert "Automatic charges: on" in text and "Debt" not in text
    assert ("💳 Card for automatic charges", CardsCb(back=42).pack()) in buttons(markup)
    expired = policy(card=CardOnFile("Visa", "1234", 1, 2026, expired=True), autopay=False)
    ru = policy_screen(i18n("ru"), expired, cards_offered=True)[0]
    assert "Visa •••• 1234, срок действия истёк (01/2026)" in ru and "Автоматические списания: выключены" in ru
    assert "не привязана" in policy_screen(i18n("ru"), policy(), cards_offered=True)[0]


def test_policy_card_debt_for_every_policy() -> None:
    relative = policy(debt=123456, overdue_debt=123456, is_payer=False, relation=Relation.RELATIVE)
    text, markup = policy_screen(i18n("en"), relative, cards_offered=True)
    assert "Debt (past the due date): <b>₽1,234.56</b>" in text and "/invoices" in text
    assert "To pay" not in text
    assert "Card for automatic charges" not in text  # not the viewer's to pay
    assert not any("automatic" in label for label, _ in buttons(markup))
    no_franchise = policy(debt=80, program=replace(policy().program, franchise_bp=0))
    ru = policy_screen(i18n("ru"), no_franchise, cards_offered=True)[0]
    # An invoice not yet due is not a debt.
    assert f"К оплате: <b>0,80{NBSP}₽</b>, срок ещё не наступил" in ru and "Долг" not in ru
    assert "Карта для автосписаний" not in ru
    both = policy_screen(i18n("ru"), policy(debt=30080, overdue_debt=30000), cards_offered=True)[0]
    assert f"Долг (срок оплаты прошёл): <b>300,00{NBSP}₽</b>" in both and f"К оплате: <b>0,80{NBSP}₽</b>" in both


def test_policy_card_when_cards_are_not_offered() -> None:
    text, markup = policy_screen(i18n("en"), policy(), cards_offered=False)
    assert "not offered" in text and "Pay button in /invoices" in text
    assert not any(data and data.startswith("cards") for _, data in buttons(markup))


@pytest.mark.parametrize("language", ["ru", "en"])
def test_deductible_screen_button_or_why_not(language: str) -> None:
    offer = franchise_offer(policy())
    _text, markup = franchise_screen(i18n(language), offer, cards_offered=True)
    assert CardsCb(back=42).pack() in [data for _, data in buttons(markup)]
    text_off, markup_off = franchise_screen(i18n(language), offer, cards_offered=False)
    assert CORE.get("cards-not-offered-short", language) in text_off
    assert not any(data and data.startswith("cards") for _, data in buttons(markup_off))
    active = policy(franchise=FranchiseState(FranchiseKind.ACTIVE, 2000, date(2026, 11, 27)))
    assert CardsCb(back=42).pack() in [data for _, data in buttons(activated_screen(i18n(language), active, True)[1])]
    assert CORE.get("cards-not-offered-short", language) in activated_screen(i18n(language), active, False)[0]


# --- notices


def notice(kind: str, payload: dict, language: str = "en"):
    """A row as stored, rendered."""
    return render_notice(CORE, read_notice(kind, payload, 5001), language, "Иванов <И>")


def test_autopay_failed_has_the_reason_and_the_pay_button() -> None:
    payload = {"invoices": ["2026/11/1", "2026/11/2"], "total": 150000, "reason": "insufficient_funds", "last4": "4444"}
    en = notice("autopay_failed", payload)
    assert "₽1,500.00" in en.text and "2026/11/1, 2026/11/2" in en.text and "•••• 4444" in en.text
    assert "not enough money on the card" in en.text and "The charge will not be retried" in en.text
    assert "the invoices stay unpaid — pay them with the button below" in en.text and "top up" not in en.text
    assert buttons(en.reply_markup) == [("💳 Pay", PayDueCb().pack())]
    ru = notice("autopay_failed", payload, "ru")
    assert "на карте недостаточно денег" in ru.text and f"1{NBSP}500,00{NBSP}₽" in ru.text
    # Nothing retries the charge: the notice does not ask to top the card up, and says what pays the debt.
    assert "пополните" not in ru.text.lower() and "Повторять списание я не буду" in ru.text
    assert "оплатите их кнопкой ниже" in ru.text and "Долг" not in ru.text
    one = notice("autopay_failed", {**payload, "invoices": ["2026/11/1"]}, "ru")
    assert "в оплату счёта 2026/11/1" in one.text and "счёт остаётся неоплаченным — оплатите его" in one.text
    assert buttons(ru.reply_markup) == [("💳 Оплатить", PayDueCb().pack())]
    expired = notice("autopay_failed", {**payload, "reason": "card_expired"})
    assert "the card has expired" in expired.text
    no_card = notice("autopay_failed", {**payload, "reason": "no_card", "last4": None}, "ru")
    assert "нет сохранённой карты" in no_card.text and "••••" not in no_card.text and no_card.reply_markup
    odd = notice("autopay_failed", {**payload, "reason": None})
    assert "the payment was declined" in odd.text


def test_card_notices_in_both_languages() -> None:
    bound = {"card_type": "MasterCard", "last4": "4444", "expiry_month": 3, "expiry_year": 2030, "autopay": True}
    assert "MasterCard •••• 4444 (valid until 03/2030) is bound" in notice("card_bound", bound).text
    assert "привязана" in notice("card_bound", bound, "ru").text and notice("card_bound", bound).reply_markup is None
    assert "Automatic charges are off" in notice("card_bound", {**bound, "autopay": False}).text
    unknown_type = notice("card_bound", {**bound, "card_type": "<b>"}).text
    assert "&lt;b&gt; •••• 4444" in unknown_type
    assert "Card •••• 4444" in notice("card_bound", {**bound, "card_type": ""}).text
    assert "the time to pay ran out" in notice("card_not_bound", {"reason": "expired_on_confirmation"}).text
    assert "платёж отклонён" in notice("card_not_bound", {"reason": None}, "ru").text
    expiring = {"card_type": "Visa", "last4": "1234", "expires_on": "2026-12-31", "when": "soon"}
    assert "Visa •••• 1234 expires on 31 Dec 2026" in notice("card_expiring", expiring).text
    today = notice("card_expiring", {**expiring, "when": "today"}, "ru").text
    assert "Сегодня, 31.12.2026" in today and "Visa •••• 1234" in today


def test_automatic_wording_of_issued_and_paid_notices() -> None:
    issued = {"invoice": "2026/11/1", "person_id": 3, "total": 5000, "due_on": "2026-12-20", "status": "new"}
    assert "charged automatically to your saved card" in notice("invoice_issued", {**issued, "autopay": True}).text
    assert "automatically" not in notice("invoice_issued", issued).text
    ru = notice("invoice_issued", {**issued, "autopay": True}, "ru").text
    # The amount is charged to the card; the invoice is not "written off" (списан).
    assert "Эта сумма будет автоматически списана с вашей сохранённой карты" in ru and "Он будет списан" not in ru
    assert "The amount will be charged automatically" in notice("invoice_issued", {**issued, "autopay": True}).text
    paid = {"payment_id": 12, "amount": 5000, "invoices": ["2026/11/1"], "refund": 0}
    auto = notice("payment_succeeded", {**paid, "card": "4444"}).text
    assert "charged automatically to card •••• 4444" in auto and "2026/11/1" in auto
    assert "списано автоматически с карты •••• 4444" in notice("payment_succeeded", {**paid, "card": "4444"}, "ru").text
    assert "automatically" not in notice("payment_succeeded", paid).text
