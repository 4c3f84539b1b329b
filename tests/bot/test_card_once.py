"""The same card bound again is one row: one line on the cards screen and one Remove button (the same card
= the same first six and last four digits and expiry), and the newer binding is the one charged."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core.billing.cards import CardPrint, same_card
from core.db.models import PaymentMethod
from tests.bot.cabinet_fixtures import IVANOV
from tests.bot.test_autopay import BILL, autopay_requests, bind, cards, issue  # noqa: F401 (the fixture)

MASTERCARD = {
    "first6": "555555",
    "last4": "4444",
    "expiry_month": "12",
    "expiry_year": "2030",
    "card_type": "MasterCard",
}
# Another card with the same last digits and expiry, from another bank.
OTHER_BANK = {**MASTERCARD, "first6": "222100"}


async def open_cards(chat, label: str = "Карта для автосписаний"):
    policy = (await chat.press("123/14", (await chat.send("/policies"))[0]))[-1]
    return (await chat.press(label, policy))[-1]


async def stored(world) -> list[tuple]:
    async with world.harness.engine.connect() as conn:
        rows = await conn.execute(
            select(PaymentMethod.first6, PaymentMethod.last4, PaymentMethod.removed_at.is_(None)).order_by(
                PaymentMethod.id
            )
        )
        return [tuple(row) for row in rows]


async def test_binding_the_same_card_again_lists_it_once(cards) -> None:
    world = cards
    await bind(world, MASTERCARD)
    newer = await bind(world, MASTERCARD)
    assert await stored(world) == [("555555", "4444", False), ("555555", "4444", True)]
    chat = world.harness.chat(IVANOV)
    screen = await open_cards(chat)
    assert screen.text.count("•••• 4444") == 1
    assert [b["text"] for b in screen.buttons()].count("🗑 Удалить •••• 4444") == 1

    await issue(world, BILL, date(2026, 11, 1))
    await world.harness.container.cards.charge_queued()
    assert {body["payment_method_id"] for body in await autopay_requests(world)} == {newer}

    await world.harness.container.accounts.set_language(IVANOV, "en")
    english = world.harness.chat(IVANOV, language_code="en")
    screen = await open_cards(english, "Card for automatic charges")
    assert [b["text"] for b in screen.buttons()].count("🗑 Remove •••• 4444") == 1


async def test_another_card_with_the_same_last_digits_is_another_row(cards) -> None:
    world = cards
    await bind(world, MASTERCARD)
    await bind(world, OTHER_BANK)
    assert await stored(world) == [("555555", "4444", True), ("222100", "4444", True)]
    await bind(world, {**MASTERCARD, "expiry_year": "2031"})  # a reissued card: a new expiry
    assert len([row for row in await stored(world) if row[2]]) == 3


@pytest.mark.parametrize(
    "other, same",
    [
        (CardPrint("555555", "4444", 12, 2030, "MasterCard"), True),
        (CardPrint("222100", "4444", 12, 2030, "MasterCard"), False),
        (CardPrint("555555", "4444", 11, 2030, "MasterCard"), False),
        (CardPrint("555555", "4445", 12, 2030, "MasterCard"), False),
        (CardPrint(None, "4444", 12, 2030, "MasterCard"), True),  # bound before the first digits were kept
        (CardPrint(None, "4444", 12, 2030, "Visa"), False),
    ],
)
def test_same_card(other: CardPrint, same: bool) -> None:
    card = CardPrint("555555", "4444", 12, 2030, "MasterCard")
    assert same_card(card, other) is same and same_card(other, card) is same
