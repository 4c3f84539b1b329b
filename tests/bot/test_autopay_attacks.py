"""Attacks on saved cards and automatic charges: forged presses, double presses, notifications
repeated or lost, the provider failing at the wrong moment, the payer changing his mind between a charge
being stored and being sent, and what reaches the chat and the logs. Fixtures as tests/bot/test_autopay.py
(today is 21.11.2026; Иванов 123/14 pays his own invoices and his family's)."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from bot.i18n import create_i18n_core
from bot.views.notices import render_notice
from core.db.cards import CardRepository
from core.db.models import AutopayCharge, Invoice, OutboxMessage, Payment, PaymentMethod
from core.notices import read_notice
from tests.bot.cabinet_fixtures import IVANOV, SHMOLINA, cabinet_chat
from tests.bot.payment_fixtures import Paying
from tests.bot.test_autopay import (  # noqa: F401  (fixtures)
    BILL,
    VISA,
    autopay_requests,
    bind,
    both,
    cards,
    cards_pg,
    charged,
    count,
    issue,
)
from tests.roots import dialogs

# 1 500.00 × 20 % = 300.00 ₽ for Иванов's wife (he pays her invoices).
WIFE_BILL = (
    "bill_line_id;policy_number;clinic_id;service_date;service_code;service_name;quantity;unit_price\n"
    "B-9101;АМ012345682/13;C001;20.10.2026;B01.047.001;Прием врача-терапевта первичный;1;1500.00\n"
).encode()


async def viewer(world: Paying, telegram_id: int = IVANOV):
    return await world.harness.container.viewers.get(telegram_id)


async def live_cards(world: Paying) -> int:
    return await count(world, select(func.count(PaymentMethod.id)).where(PaymentMethod.removed_at.is_(None)))


async def invoice_id(world: Paying, number: str) -> int:
    return await count(world, select(Invoice.id).where(Invoice.number == number))


async def store_charge_but_lose_the_call(world: Paying) -> None:
    """The job stores the charge (key, card, invoice PENDING) but YooKassa is down: nothing is made there."""
    world.kassa.fail_next["create_payment"] = 500
    report = await world.harness.container.cards.charge_queued()
    assert report.unknown == 1 and charged(world) == []
    assert await world.statuses("2026/11/1") == ["pending"]


# --- Changing one's mind between the charge stored and the charge sent -------------------------------------


async def test_a_card_removed_after_the_charge_was_stored_is_not_charged(both) -> None:
    # A charge stored while YooKassa was down is asked again by the next run only while it may still be made:
    # here its card was removed meanwhile (forgotten, never charged again), so nothing is charged.
    world = both
    await bind(world)
    await issue(world, BILL, date(2026, 11, 1))
    await store_charge_but_lose_the_call(world)
    me = await viewer(world)
    (card,) = (await world.harness.container.cards.overview(me)).cards
    assert await world.harness.container.cards.remove(me, card.card_id) is not None
    await world.harness.container.cards.charge_queued()  # YooKassa is back
    assert charged(world) == [], "a removed card was charged"


async def test_autopay_turned_off_after_the_charge_was_stored_charges_nothing(cards) -> None:
    # The same, automatic charges turned off meanwhile: nothing is charged.
    world = cards
    await bind(world)
    await issue(world, BILL, date(2026, 11, 1))
    await store_charge_but_lose_the_call(world)
    await world.harness.container.cards.set_autopay(await viewer(world), False)
    await world.harness.container.cards.charge_queued()
    assert charged(world) == [], "charged with automatic charges off"


async def test_delete_me_after_the_charge_was_stored_charges_nothing(cards) -> None:
    # The same, the account deleted meanwhile (/delete_me forgets the cards): nothing is charged.
    world = cards
    await bind(world)
    await issue(world, BILL, date(2026, 11, 1))
    await store_charge_but_lose_the_call(world)
    assert await world.harness.container.accounts.delete(IVANOV, dialogs())
    await world.harness.container.cards.charge_queued()
    assert charged(world) == [], "the card of a deleted account was charged"


async def test_delete_me_with_a_queued_charge_skips_it(both) -> None:
    world = both
    await bind(world)
    await issue(world, BILL, date(2026, 11, 1))
    assert await world.harness.container.accounts.delete(IVANOV, dialogs())
    report = await world.harness.container.cards.charge_queued()
    assert report.skipped == 1 and await autopay_requests(world) == []
    assert await world.notices("autopay_failed") == []
    assert await live_cards(world) == 0


async def test_a_binding_finished_after_delete_me_binds_nothing(cards) -> None:
    # A binding under way when the account is deleted binds nothing when the payer then pays the page:
    # registered again, he finds no card he asked the bot to forget, and no notice goes to the old chat.
    world = cards
    me = await viewer(world)
    started = await world.harness.container.cards.bind(me)
    provider_id = started.confirmation_url.rsplit("/", 1)[-1]
    assert await world.harness.container.accounts.delete(IVANOV, dialogs())
    await world.kassa.pay(provider_id)  # the page was still open in the browser
    await world.kassa.flush()
    assert world.kassa.payments[provider_id]["status"] == "canceled"  # the hold is released in any case
    assert await live_cards(world) == 0, "a card was bound for a deleted account"


# --- The hold's release ------------------------------------------------------------------------------------


async def test_a_lost_release_does_not_leave_a_binding_under_way(cards) -> None:
    # The answer to releasing the hold lost (5xx): the card is bound all the same, and the binding is not
    # "under way" any more — the screen does not say so and "Add a card" starts a new binding.
    world = cards
    world.kassa.fail_next["cancel_payment"] = 500
    first = await bind(world)
    assert await live_cards(world) == 1
    assert world.kassa.payments[first]["status"] == "waiting_for_capture"  # still held: read back later
    me = await viewer(world)
    overview = await world.harness.container.cards.overview(me)
    assert overview.binding_url is None, "a bound card's check shown as a binding under way"
    again = await world.harness.container.cards.bind(me)
    assert not again.existing and again.confirmation_url != world.kassa.confirmation_url(first)


async def test_a_release_answer_lost_by_timeout_heals_by_the_notification(cards) -> None:
    world = cards
    world.kassa.delay_next["cancel_payment"] = 1.5  # cancelled at YooKassa, the answer too late
    first = await bind(world)
    await asyncio.sleep(1.6)
    await world.kassa.flush()
    assert world.kassa.payments[first]["status"] == "canceled" and await live_cards(world) == 1
    overview = await world.harness.container.cards.overview(await viewer(world))
    assert overview.binding_url is None and len(await world.notices("card_bound")) == 1


async def test_a_lost_release_is_made_up_by_the_read_back(both) -> None:
    world = both
    world.kassa.fail_next["cancel_payment"] = 500
    first = await bind(world)
    assert world.kassa.payments[first]["status"] == "waiting_for_capture"
    an_hour_ago = world.harness.container.clock.now() - timedelta(minutes=61)
    async with world.harness.engine.begin() as conn:
        await conn.execute(update(Payment).values(created_at=an_hour_ago))
    await world.harness.container.payments.read_back_stale()
    await world.kassa.flush()
    assert world.kassa.payments[first]["status"] == "canceled"
    assert await live_cards(world) == 1 and len(await world.notices("card_bound")) == 1
    assert await world.notices("card_not_bound") == []
    async with world.harness.engine.connect() as conn:
        assert (await conn.execute(select(Payment.status).where(Payment.kind == "binding"))).scalar_one() == "canceled"


async def test_a_refused_release_keeps_the_card(cards) -> None:
    world = cards
    world.kassa.fail_next["cancel_payment"] = 400
    await bind(world)
    assert await live_cards(world) == 1
    overview = await world.harness.container.cards.overview(await viewer(world))
    assert overview.binding_url is None and overview.autopay


# --- Bindings: presses and notifications -------------------------------------------------------------------


async def test_add_a_card_pressed_twice_at_once_makes_one_binding(both, monkeypatch) -> None:
    # Two presses at once (the interleaving forced below happens by chance): both take the same attempt
    # number, hence the same key; the second finds the first's binding: one payment, one page.
    world = both
    me = await viewer(world)
    service = world.harness.container.cards
    # The interleaving made certain: both presses find no binding under way; the second counts the
    # bindings a moment later (after the first committed), as a slow second device would.
    pending_binding, bindings = CardRepository.pending_binding, CardRepository.bindings
    looked, counted = [], []

    async def slow_pending(self, payer_person_id):
        found = await pending_binding(self, payer_person_id)
        looked.append(found)
        while len(looked) < 2:
            await asyncio.sleep(0.01)
        return found

    async def slow_count(self, chosen):
        counted.append(chosen)
        if len(counted) == 2:
            await asyncio.sleep(0.5)
        return await bindings(self, chosen)

    monkeypatch.setattr(CardRepository, "pending_binding", slow_pending)
    monkeypatch.setattr(CardRepository, "bindings", slow_count)
    first, second = await asyncio.gather(service.bind(me), service.bind(me))
    assert first.confirmation_url == second.confirmation_url and first.refusal is None
    assert len(world.kassa.payments) == 1
    assert await count(world, select(func.count(Payment.id)).where(Payment.kind == "binding")) == 1


async def test_a_binding_notified_twice_at_once_binds_one_card(both) -> None:
    world = both
    me = await viewer(world)
    started = await world.harness.container.cards.bind(me)
    provider_id = started.confirmation_url.rsplit("/", 1)[-1]
    url, world.kassa.notify_url = world.kassa.notify_url, None
    await world.kassa.pay(provider_id)  # paid; its notification comes twice at once below
    world.kassa.notify_url = url
    await asyncio.gather(*(world.kassa.notify("payment.waiting_for_capture", provider_id) for _ in range(2)))
    await world.kassa.flush()
    # Repeated late (the hold released meanwhile): nothing more.
    await world.kassa.notify(
        "payment.waiting_for_capture",
        provider_id,
        body={
            "type": "notification",
            "event": "payment.waiting_for_capture",
            "object": {**world.kassa.payments[provider_id], "status": "waiting_for_capture"},
        },
    )
    assert await live_cards(world) == 1
    assert len(await world.notices("card_bound")) == 1 and await world.notices("card_not_bound") == []
    assert world.kassa.payments[provider_id]["status"] == "canceled"


async def test_a_declined_binding_binds_nothing_and_says_why(both) -> None:
    world = both
    me = await viewer(world)
    started = await world.harness.container.cards.bind(me)
    provider_id = started.confirmation_url.rsplit("/", 1)[-1]
    await world.kassa.decline(provider_id, "card_expired")
    await world.kassa.flush()
    await world.kassa.notify("payment.canceled", provider_id)  # repeated
    assert await live_cards(world) == 0
    (notice,) = await world.notices("card_not_bound")
    assert notice == {"reason": "card_expired"}
    overview = await world.harness.container.cards.overview(me)
    assert overview.cards == () and overview.binding_url is None and not overview.autopay
    # A new "Add a card" starts a new check (a new key), not the declined one.
    again = await world.harness.container.cards.bind(me)
    assert again.refusal is None and not again.existing and len(world.kassa.payments) == 2


async def test_an_abandoned_binding_paid_unnoticed_is_bound_by_the_read_back(both) -> None:
    world = both
    me = await viewer(world)
    started = await world.harness.container.cards.bind(me)
    provider_id = started.confirmation_url.rsplit("/", 1)[-1]
    url, world.kassa.notify_url = world.kassa.notify_url, None
    await world.kassa.pay(provider_id)  # its notification never arrives
    world.kassa.notify_url = url
    payments = world.harness.container.payments
    assert (await payments.read_back_stale()).payments == 0  # not an hour old yet
    an_hour_ago = world.harness.container.clock.now() - timedelta(minutes=61)
    async with world.harness.engine.begin() as conn:
        await conn.execute(update(Payment).values(created_at=an_hour_ago))
    assert (await payments.read_back_stale()).payments == 1
    await world.kassa.flush()
    assert await live_cards(world) == 1 and world.kassa.payments[provider_id]["status"] == "canceled"
    assert (await payments.read_back_stale()).payments == 0
    assert len(await world.notices("card_bound")) == 1


async def test_an_abandoned_binding_left_on_the_page_binds_nothing_and_is_shown_again(cards) -> None:
    world = cards
    me = await viewer(world)
    started = await world.harness.container.cards.bind(me)
    an_hour_ago = world.harness.container.clock.now() - timedelta(minutes=61)
    async with world.harness.engine.begin() as conn:
        await conn.execute(update(Payment).values(created_at=an_hour_ago))
    await world.harness.container.payments.read_back_stale()
    assert await live_cards(world) == 0 and await world.notices("card_not_bound") == []
    again = await world.harness.container.cards.bind(me)
    assert again.existing and again.confirmation_url == started.confirmation_url


async def test_the_same_card_bound_twice_charges_once_with_the_last(cards) -> None:
    world = cards
    await bind(world)
    last = await bind(world)  # the same MasterCard •••• 4444 again
    await issue(world, BILL, date(2026, 11, 1))
    await world.harness.container.cards.charge_queued()
    await world.harness.container.cards.charge_queued()
    assert [body["payment_method_id"] for body in await autopay_requests(world)] == [last]
    assert len(charged(world)) == 1


async def test_at_most_five_cards(cards) -> None:
    world = cards
    for n in range(5):
        await bind(world, {**VISA, "last4": f"000{n}"})
    result = await world.harness.container.cards.bind(await viewer(world))
    assert result.refusal == "too_many_cards" and len(world.kassa.payments) == 5


# --- Automatic charges and manual payments -----------------------------------------------------------------


async def test_an_invoice_paid_by_hand_before_the_job_is_not_charged(both) -> None:
    world = both
    await bind(world)
    await issue(world, BILL, date(2026, 11, 1))
    me = await viewer(world)
    manual = await world.harness.container.payments.pay(me, [await invoice_id(world, "2026/11/1")])
    assert manual.refusal is None
    await world.kassa.pay(manual.payment.confirmation_url.rsplit("/", 1)[-1])
    assert await world.statuses("2026/11/1") == ["paid"]
    report = await world.harness.container.cards.charge_queued()
    assert report.skipped == 1 and await autopay_requests(world) == []
    assert await world.notices("autopay_failed") == []


async def test_a_manual_payment_while_a_charge_is_pending_makes_no_second_payment(both) -> None:
    world = both
    await bind(world)
    await issue(world, BILL, date(2026, 11, 1))
    await store_charge_but_lose_the_call(world)
    me = await viewer(world)
    number = await invoice_id(world, "2026/11/1")
    assert number not in (await world.harness.container.invoices.payable(me)).ids  # /pay does not offer it
    # A stale selection pressed anyway shows the charge under way (no page of its own, no new payment).
    result = await world.harness.container.payments.pay(me, [number])
    assert result.existing and result.payment.confirmation_url is None
    await world.harness.container.cards.charge_queued()
    await world.harness.container.cards.charge_queued()
    assert len(charged(world)) == 1 and await world.statuses("2026/11/1") == ["paid"]
    assert await count(world, select(func.count(Payment.id)).where(Payment.kind != "binding")) == 1


async def test_a_disputed_invoice_is_not_charged(both) -> None:
    world = both
    await bind(world)
    await issue(world, BILL, date(2026, 11, 1))
    me = await viewer(world)
    opened = await world.harness.container.disputes.open(
        me, await invoice_id(world, "2026/11/1"), "B-9001", "Не был на приёме"
    )
    assert getattr(opened, "refusal", None) is None
    report = await world.harness.container.cards.charge_queued()
    assert report.skipped == 1 and await autopay_requests(world) == []
    assert await world.notices("autopay_failed") == []


async def test_a_relatives_invoice_is_charged_to_the_holders_card(both) -> None:
    world = both
    last = await bind(world)
    await issue(world, WIFE_BILL, date(2026, 11, 1))
    (issued,) = [n for n in await world.notices("invoice_issued") if n["invoice"] == "2026/11/1"]
    assert issued["autopay"] is True
    report = await world.harness.container.cards.charge_queued()
    assert report.charged == 1
    (made,) = charged(world)
    assert made["payment_method"]["id"] == last and made["amount"]["value"] == "300.00"
    assert await world.statuses("2026/11/1") == ["paid"]


async def test_the_charge_amount_is_exact_kopecks(cards) -> None:
    world = cards
    await bind(world)
    odd = BILL.replace(b"1500.00", b"1234.57")  # × 20 % = 246.914 → 246.91 ₽
    await issue(world, odd, date(2026, 11, 1))
    await world.harness.container.cards.charge_queued()
    (body,) = await autopay_requests(world)
    async with world.harness.engine.connect() as conn:
        copay = (await conn.execute(select(Invoice.copay_kopecks).where(Invoice.number == "2026/11/1"))).scalar_one()
    assert isinstance(body["amount"]["value"], str) and body["amount"]["value"] == f"{copay // 100}.{copay % 100:02d}"
    async with world.harness.engine.connect() as conn:
        amount = (await conn.execute(select(Payment.amount_kopecks).where(Payment.kind == "autopay"))).scalar_one()
    assert amount == copay and isinstance(amount, int)


async def test_declined_with_a_removed_card_still_names_it_and_offers_pay(cards) -> None:
    world = cards
    method = await bind(world)
    world.kassa.decline_method(method, "card_expired")
    await issue(world, BILL, date(2026, 11, 1))
    report = await world.harness.container.cards.charge_queued()
    assert report.declined == 1 and await world.statuses("2026/11/1") == ["new"]
    (failed,) = await world.notices("autopay_failed")
    assert failed["reason"] == "card_expired" and failed["last4"] == "4444"
    # Not retried automatically.
    await world.harness.container.cards.charge_queued()
    assert len(await autopay_requests(world)) == 1


# --- Forged presses ----------------------------------------------------------------------------------------


async def test_forged_card_callbacks_are_refused(cards) -> None:
    world = cards
    await bind(world)
    async with world.harness.engine.connect() as conn:
        ivanovs_card = (await conn.execute(select(PaymentMethod.id))).scalar_one()
    chat = await cabinet_chat(world.harness, SHMOLINA)
    screen = (await chat.send("/policies"))[0]
    for data in (
        f"cardr:{ivanovs_card}:0:0",  # ask to remove someone else's card
        f"cardr:{ivanovs_card}:1:0",  # remove it outright
        "cardr:2147483647:1:0",
        "cardr:99999999999999999999:1:0",
        "cardr:-1:1:0",
        "cardr:abc:1:0",
        "cardr::1:0",
        "carda:maybe:0",
        "cards:-5",
        "cardb:x",
    ):
        answer = await chat.press_forged(screen, data)
        assert "4444" not in (answer.get("text") or "")
    assert await live_cards(world) == 1
    assert all("4444" not in m.text for m in world.harness.emulator.messages(SHMOLINA))
    assert world.harness.emulator.messages(SHMOLINA)  # the chat is alive: no crash


async def test_back_pointing_at_someone_elses_policy_leads_nowhere(cards) -> None:
    world = cards
    async with world.harness.engine.connect() as conn:
        ivanov = (
            await conn.execute(select(Invoice.payer_person_id).where(Invoice.payer_person_id.is_not(None)).limit(1))
        ).scalar_one()
    chat = await cabinet_chat(world.harness, SHMOLINA)
    screen = (await chat.send("/policies"))[0]
    await chat.press_forged(screen, f"cards:{ivanov}")
    cards_screen = chat.last
    assert "Карты для автоматических списаний" in cards_screen.text
    answer = await chat.press_forged(cards_screen, f"pol:{ivanov}")
    shown = [m.text for m in world.harness.emulator.messages(SHMOLINA)]
    assert not any("123/14" in text for text in shown)
    policy_button = next((b for b in cards_screen.buttons() if b.get("callback_data", "").endswith(str(ivanov))), None)
    if policy_button is not None:
        await chat.press(policy_button["text"], cards_screen)
        assert not any("123/14" in m.text for m in world.harness.emulator.messages(SHMOLINA))
    del answer


async def test_yes_remove_pressed_twice(cards) -> None:
    world = cards
    await bind(world)
    chat = world.harness.chat(IVANOV)
    policy = (await chat.press("123/14", (await chat.send("/policies"))[0]))[-1]
    screen = (await chat.press("Карта для автосписаний", policy))[-1]
    ask = (await chat.press("Удалить •••• 4444", screen))[-1]
    confirm = ask.button("Да, удалить")["callback_data"]
    await chat.press("Да, удалить", ask)
    assert await live_cards(world) == 0
    answer = await chat.press_forged(chat.last, confirm)  # the second press of the same button
    assert answer.get("show_alert") and answer.get("text")


# --- What reaches the chat and the logs --------------------------------------------------------------------

NOTICES = [
    ("card_bound", {"card_type": "Visa", "last4": "1111", "expiry_month": 3, "expiry_year": 2029, "autopay": True}),
    ("card_bound", {"card_type": "", "last4": "1111", "expiry_month": 3, "expiry_year": 2029, "autopay": False}),
    ("card_not_bound", {"reason": "insufficient_funds"}),
    ("card_not_bound", {"reason": None}),
    ("card_expiring", {"card_type": "Visa", "last4": "1111", "when": "soon", "expires_on": "2026-11-30"}),
    ("card_expiring", {"card_type": "Mir", "last4": "1111", "when": "today", "expires_on": "2026-11-30"}),
    ("autopay_failed", {"invoices": ["2026/11/1"], "total": 30000, "reason": "insufficient_funds", "last4": "4444"}),
    ("autopay_failed", {"invoices": ["2026/11/1", "2026/11/2"], "total": 50001, "reason": "no_card", "last4": None}),
    ("autopay_failed", {"invoices": ["2026/11/1"], "total": 30000, "reason": "card_expired", "last4": "1111"}),
    ("autopay_failed", {"invoices": ["2026/11/1"], "total": 30000, "reason": None, "last4": "1111"}),
    ("payment_succeeded", {"payment_id": 7, "amount": 30000, "invoices": ["2026/11/1"], "refund": 0, "card": "1111"}),
    (
        "invoice_issued",
        {
            "invoice": "2026/11/1",
            "person_id": 1,
            "total": 30000,
            "due_on": "2026-12-01",
            "status": "new",
            "autopay": True,
        },
    ),
]


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize(("kind", "payload"), NOTICES)
def test_card_notices_render_in_both_languages(kind: str, payload: dict, language: str) -> None:
    core = create_i18n_core()
    rendered = render_notice(core, read_notice(kind, payload, IVANOV), language, "Иванов Иван")
    text = rendered.text
    assert text and "{" not in text and "$" not in text and "-" + kind not in text
    cyrillic = any("а" <= ch.lower() <= "я" for ch in text.replace("Иванов Иван", ""))
    assert cyrillic == (language == "ru"), text
    if kind == "autopay_failed":
        (row,) = rendered.reply_markup.inline_keyboard
        assert row[0].callback_data and (("Оплатить" in row[0].text) == (language == "ru"))


@pytest.mark.parametrize("language", ["ru", "en"])
async def test_the_cards_screens_speak_the_payers_language(cards, language: str) -> None:
    world = cards
    await world.harness.container.accounts.set_language(IVANOV, language)
    chat = world.harness.chat(IVANOV, language_code=language)
    world.kassa.fail_next["create_payment"] = 500  # the refusal alert too
    policy = (await chat.press("123/14", (await chat.send("/policies"))[0]))[-1]
    label = "Карта для автосписаний" if language == "ru" else "Card for automatic charges"
    screen = (await chat.press(label, policy))[-1]
    answer = await chat.press_forged(screen, "cardb:0")
    texts = [screen.text, answer.get("text") or "", *(b["text"] for b in screen.buttons())]
    for text in texts:
        cyrillic = any("а" <= ch.lower() <= "я" for ch in text)
        assert cyrillic == (language == "ru"), text
        assert "cards-" not in text and "card-" not in text


async def test_no_card_number_phone_or_name_in_the_logs(both, caplog) -> None:
    world = both
    caplog.set_level(logging.INFO)
    world.kassa.fail_next["cancel_payment"] = 500
    method = await bind(world, VISA)
    await issue(world, BILL, date(2026, 11, 1))
    world.kassa.decline_method(method, "insufficient_funds")
    await world.harness.container.cards.charge_queued()
    await world.deliver()
    logged = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("emulators"))
    for secret in ("411111", "4111111111111111", "916", "100-00-01", "Иванов", "ivanov@"):
        assert secret not in logged, secret


# --- Data kept ---------------------------------------------------------------------------------------------


async def test_a_charge_is_queued_once_per_invoice_and_not_for_a_paid_one(cards) -> None:
    world = cards
    await bind(world)
    await issue(world, BILL, date(2026, 11, 1))
    again = await world.harness.container.billing.issue_from_bills(BILL, date(2026, 11, 1), filename="bill.csv")
    assert again.invoices_issued == 0
    assert await count(world, select(func.count()).select_from(AutopayCharge)) == 1
    async with world.harness.engine.connect() as conn:
        payloads = [
            p
            for (p,) in await conn.execute(select(OutboxMessage.payload).where(OutboxMessage.kind == "invoice_issued"))
        ]
    assert sum(1 for p in payloads if p.get("autopay")) == 1


async def test_a_payment_made_after_delete_me_pays_the_invoice_and_tells_nobody(cards) -> None:
    # The payer left with the payment page open and paid it: accounting settles the invoice, the payment
    # knows nobody to tell (its Telegram id went with the account), and no notice is written.
    world = cards
    await issue(world, BILL, date(2026, 11, 1))
    result = await world.harness.container.payments.pay(await viewer(world), [await invoice_id(world, "2026/11/1")])
    provider_id = result.payment.confirmation_url.rsplit("/", 1)[-1]
    assert await world.harness.container.accounts.delete(IVANOV, dialogs())
    await world.kassa.pay(provider_id)
    await world.kassa.flush()
    assert await world.statuses("2026/11/1") == ["paid"]
    assert await count(world, select(Payment.telegram_id).where(Payment.provider_id == provider_id)) is None
    assert await world.notices("payment_succeeded") == []
