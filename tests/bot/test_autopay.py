"""Saved cards and automatic charges end to end: the emulated Telegram, the bot's dispatcher and HTTP side
(YooKassa's notifications), the card service and the worker's job, and the emulated YooKassa over real HTTP
on loopback — on SQLite and on PostgreSQL + Redis. Today is 21.11.2026 (the harness's fixed day).

Иванов (123/14) pays his own invoices and his son's. The emulator's payer card is MasterCard •••• 4444
until 12/2030 unless a test changes it."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from sqlalchemy import func, select, update

from core.db.models import Account, AutopayCharge, Payment, PaymentMethod
from tests.bot.cabinet_fixtures import IVANOV, cabinet_chat, import_samples
from tests.bot.payment_fixtures import Paying, issue_samples, paying

# Invoices issued after the cards are bound: his own 1 500.00 × 20 % = 300.00 ₽ (2026/11/1), then another
# 1 000.00 × 20 % = 200.00 ₽ (2026/11/2).
BILL = (
    "bill_line_id;policy_number;clinic_id;service_date;service_code;service_name;quantity;unit_price\n"
    "B-9001;123/14;C001;20.10.2026;B01.047.001;Прием врача-терапевта первичный;1;1500.00\n"
).encode()
# Served on 02.10.2026, billed on 05.10.2026 (2026/10/6, 300.00 ₽): due long before today.
EARLY_BILL = (
    "bill_line_id;policy_number;clinic_id;service_date;service_code;service_name;quantity;unit_price\n"
    "B-9003;123/14;C001;02.10.2026;B01.047.001;Прием врача-терапевта первичный;1;1500.00\n"
).encode()
ANOTHER_BILL = (
    "bill_line_id;policy_number;clinic_id;service_date;service_code;service_name;quantity;unit_price\n"
    "B-9002;123/14;C001;21.10.2026;B01.047.001;Прием врача-терапевта первичный;1;1000.00\n"
).encode()
VISA = {"first6": "411111", "last4": "1111", "expiry_month": "03", "expiry_year": "2029", "card_type": "Visa"}
# Automatic charges on; expiry notices at any hour (the test does not depend on when it runs).
AUTOPAY_ON = {"yookassa_autopay": True, "reminder_hours": "0-24"}


@pytest.fixture
async def cards(emulator, sms_gateway, smtp_sink, sqlite_url):
    async with paying(emulator, sms_gateway, smtp_sink, sqlite_url, yookassa_timeout=0.5, **AUTOPAY_ON) as world:
        await import_samples(world.harness.engine)
        await issue_samples(world.harness)
        await (await cabinet_chat(world.harness, IVANOV)).send("/menu")  # the chat exists: notices reach it
        yield world


@pytest.fixture
async def cards_pg(emulator, sms_gateway, smtp_sink, postgres_url, redis_url):
    async with paying(
        emulator, sms_gateway, smtp_sink, postgres_url, redis_url=redis_url, yookassa_timeout=0.5, **AUTOPAY_ON
    ) as world:
        await import_samples(world.harness.engine)
        await issue_samples(world.harness)
        await (await cabinet_chat(world.harness, IVANOV)).send("/menu")  # the chat exists: notices reach it
        yield world


@pytest.fixture(params=["sqlite", "postgres"])
def both(request):
    return request.getfixturevalue("cards" if request.param == "sqlite" else "cards_pg")


async def bind(world: Paying, card: dict | None = None) -> str:
    """Иванов binds a card through the service and pays on the provider's page; the binding's id there
    (the saved method's id)."""
    if card is not None:
        world.kassa.card = dict(card)
    viewer = await world.harness.container.viewers.get(IVANOV)
    result = await world.harness.container.cards.bind(viewer)
    assert result.refusal is None and result.confirmation_url
    provider_id = result.confirmation_url.rsplit("/", 1)[-1]
    await world.kassa.pay(provider_id)
    await world.kassa.flush()
    return provider_id


async def issue(world: Paying, bill: bytes, on: date) -> None:
    report = await world.harness.container.billing.issue_from_bills(bill, on, filename="bill.csv")
    assert report.invoices_issued == 1


async def autopay_requests(world: Paying) -> list[dict]:
    return [
        r.body
        for r in world.kassa.requests
        if r.method == "POST" and r.path.endswith("/payments") and r.body.get("payment_method_id")
    ]


def charged(world: Paying) -> list[dict]:
    """The payments the provider made with a saved card (not the bindings that saved them)."""
    return [p for p in world.kassa.payments.values() if p.get("payment_method", {}).get("id") not in (None, p["id"])]


async def count(world: Paying, query) -> int:
    async with world.harness.engine.connect() as conn:
        return (await conn.execute(query)).scalar_one()


async def test_binding_a_card_holds_and_releases_the_check_and_shows_the_card(both) -> None:
    world = both
    provider_id = await bind(world)
    create = next(r.body for r in world.kassa.requests if r.method == "POST" and r.path.endswith("/payments"))
    assert create["capture"] is False and create["save_payment_method"] is True
    assert str(create["amount"]["value"]) == "10.00" and create["confirmation"]["type"] == "redirect"
    # The hold was cancelled by the bot: the check cost nothing.
    assert world.kassa.payments[provider_id]["status"] == "canceled"
    assert world.kassa.payments[provider_id]["cancellation_details"]["party"] == "merchant"
    assert provider_id in world.kassa.saved_methods
    viewer = await world.harness.container.viewers.get(IVANOV)
    overview = await world.harness.container.cards.overview(viewer)
    (card,) = overview.cards
    assert (card.card_type, card.last4, card.expiry_month, card.expiry_year) == ("MasterCard", "4444", 12, 2030)
    assert card.charged and not card.expired and overview.autopay
    (notice,) = await world.notices("card_bound")
    assert notice["last4"] == "4444"
    # The binding is no payment of invoices: the history does not list it.
    assert (await world.harness.container.payments.history(viewer, 0)).count == 0
    # Notifications repeated change nothing: one card, one notice.
    await world.kassa.notify("payment.canceled", provider_id)
    assert await count(world, select(func.count(PaymentMethod.id))) == 1
    assert len(await world.notices("card_bound")) == 1


async def test_two_cards_one_charge_with_the_card_bound_last_across_a_restart(both) -> None:
    world = both
    await bind(world)
    last = await bind(world, VISA)
    await issue(world, BILL, date(2026, 11, 1))
    (issued,) = [n for n in await world.notices("invoice_issued") if n["invoice"] == "2026/11/1"]
    assert issued["autopay"] is True
    assert await count(world, select(func.count()).select_from(AutopayCharge)) == 1

    # The provider makes the charge but its answer is lost (slower than the bot waits), and so is its
    # notification: the outcome is unknown.
    world.kassa.delay_next["create_payment"] = 1.5
    world.kassa.notify_url = None
    report = await world.harness.container.cards.charge_queued()
    assert report.unknown == 1 and await world.statuses("2026/11/1") == ["pending"]
    await world.kassa.flush()

    await world.restart()  # the bot dies in the middle and starts again
    for _ in range(2):  # and the job runs twice
        await world.harness.container.cards.charge_queued()
    await world.harness.container.payments.read_back_stale()

    charges = await autopay_requests(world)
    assert {body["payment_method_id"] for body in charges} == {last}  # never the older card
    made = charged(world)
    assert (
        len(made) == 1
        and made[0]["payment_method"]["id"] == last
        and made[0]["status"] == "succeeded"
        and str(made[0]["amount"]["value"]) == "300.00"
    )
    assert await world.statuses("2026/11/1") == ["paid"]
    assert await count(world, select(func.count(Payment.id)).where(Payment.kind == "autopay")) == 1
    (succeeded,) = [n for n in await world.notices("payment_succeeded") if n.get("card")]
    assert succeeded["card"] == "1111" and succeeded["invoices"] == ["2026/11/1"]
    # Everything said and done: nothing is charged again.
    assert (await world.harness.container.cards.charge_queued()) == type(report)(0, 0, 0, 0)


async def test_two_jobs_at_once_charge_once(both) -> None:
    world = both
    await bind(world)
    await issue(world, BILL, date(2026, 11, 1))
    jobs = world.harness.container.cards
    await asyncio.gather(jobs.charge_queued(), jobs.charge_queued(), jobs.charge_queued())
    await jobs.charge_queued()
    # Jobs racing may each ask the provider, always with the invoice's one key: one payment is made.
    keys = {r.idempotence_key for r in world.kassa.requests if (r.body or {}).get("payment_method_id")}
    assert len(keys) == 1 and len(charged(world)) == 1
    assert await world.statuses("2026/11/1") == ["paid"]


async def test_a_declined_charge_leaves_a_debt_notice_and_paying_restores_access(both) -> None:
    world = both
    method = await bind(world)
    world.kassa.decline_method(method, "insufficient_funds")
    await issue(world, EARLY_BILL, date(2026, 10, 5))
    report = await world.harness.container.cards.charge_queued()
    assert report.declined == 1
    await world.kassa.flush()
    assert await world.statuses("2026/10/6") == ["overdue"]  # unpaid again, and past its due date
    (failed,) = await world.notices("autopay_failed")
    assert failed == {"invoices": ["2026/10/6"], "total": 30000, "reason": "insufficient_funds", "last4": "4444"}

    await world.harness.container.billing.run_daily()  # access restricted
    chat = world.harness.chat(IVANOV)
    await world.deliver()
    notice = next(m for m in reversed(world.harness.emulator.messages(IVANOV)) if "4444" in m.text)
    assert "недостаточно" in notice.text
    viewer = await world.harness.container.viewers.get(IVANOV)
    policy = await world.harness.container.policies.linked_policy(viewer, viewer.person_id)
    assert policy.debt == 30000 + 80 and policy.status == "restricted"  # this one and 2026/10/1 (0.80 ₽)
    card = (await chat.press("123/14", (await chat.send("/policies"))[0]))[-1]
    assert (
        "Долг (срок оплаты прошёл): 300,80" in card.text.replace("\u00a0", " ") and "MasterCard •••• 4444" in card.text
    )

    # The Pay button of the notice offers all he owes; paying it clears the debt and restores access.
    offer = (await chat.press("💳 Оплатить", notice))[-1]
    assert all(number in offer.text for number in ("2026/10/1", "2026/10/3", "2026/10/6"))
    screen = (await chat.press("💳 Оплатить", offer))[-1]
    (manual,) = [p for p in world.kassa.payments.values() if p["status"] == "pending"]
    assert any(b.get("url") == manual["confirmation"]["confirmation_url"] for b in screen.buttons())
    assert len(await autopay_requests(world)) == 1  # the declined card is not tried again
    await world.kassa.pay(manual["id"])
    assert await world.statuses("2026/10/1", "2026/10/3", "2026/10/6") == ["paid", "paid", "paid"]
    viewer = await world.harness.container.viewers.get(IVANOV)
    policy = await world.harness.container.policies.linked_policy(viewer, viewer.person_id)
    assert policy.debt == 0 and policy.status == "active"


async def test_removing_a_card_stops_charges_to_it(both) -> None:
    world = both
    first = await bind(world)
    await bind(world, VISA)
    viewer = await world.harness.container.viewers.get(IVANOV)
    overview = await world.harness.container.cards.overview(viewer)
    newest = overview.cards[0]
    assert newest.last4 == "1111" and newest.charged
    overview = await world.harness.container.cards.remove(viewer, newest.card_id)
    assert [c.last4 for c in overview.cards] == ["4444"] and overview.cards[0].charged
    await issue(world, BILL, date(2026, 11, 1))
    await world.harness.container.cards.charge_queued()
    assert {body["payment_method_id"] for body in await autopay_requests(world)} == {first}

    # Every card removed: the next invoice is not charged, and he is told to pay it himself.
    assert await world.harness.container.cards.remove(viewer, overview.cards[0].card_id) is not None
    await issue(world, ANOTHER_BILL, date(2026, 11, 2))
    assert await count(world, select(func.count()).select_from(AutopayCharge)) == 1  # nothing to queue it for
    assert len(await autopay_requests(world)) == 1


async def test_a_card_of_someone_else_cannot_be_removed(cards) -> None:
    world = cards
    await bind(world)
    async with world.harness.engine.connect() as conn:
        card_id = (await conn.execute(select(PaymentMethod.id))).scalar_one()
    other = await world.harness.container.viewers.get(5002)  # Шмолина, registered below
    assert other.person_id is None
    await cabinet_chat(world.harness, 5002)
    other = await world.harness.container.viewers.get(5002)
    assert await world.harness.container.cards.remove(other, card_id) is None
    assert await count(world, select(func.count(PaymentMethod.id)).where(PaymentMethod.removed_at.is_(None))) == 1


async def test_an_expired_card_is_not_charged_and_the_payer_is_told(cards) -> None:
    world = cards
    await bind(world, {**VISA, "expiry_month": "10", "expiry_year": "2026"})
    await issue(world, BILL, date(2026, 11, 1))
    report = await world.harness.container.cards.charge_queued()
    assert report.skipped == 1 and await autopay_requests(world) == []
    (failed,) = await world.notices("autopay_failed")
    assert failed["reason"] == "card_expired" and failed["invoices"] == ["2026/11/1"]


async def test_expiry_notice_a_month_before_once(cards) -> None:
    world = cards
    await bind(world, {**VISA, "expiry_month": "12", "expiry_year": "2026"})  # valid to 31.12: told from 30.11
    assert await world.harness.container.cards.expiry_notices() == 0
    await bind(world, {**VISA, "last4": "2222", "expiry_month": "11", "expiry_year": "2026"})  # to 30.11
    for _ in range(3):
        await world.harness.container.cards.expiry_notices()
    (notice,) = await world.notices("card_expiring")
    assert notice == {"card_type": "Visa", "last4": "2222", "when": "soon", "expires_on": "2026-11-30"}


async def test_autopay_off_charges_nothing(cards) -> None:
    world = cards
    await bind(world)
    viewer = await world.harness.container.viewers.get(IVANOV)
    overview = await world.harness.container.cards.set_autopay(viewer, False)
    assert not overview.autopay
    await issue(world, BILL, date(2026, 11, 1))
    assert await count(world, select(func.count()).select_from(AutopayCharge)) == 0
    (issued,) = [n for n in await world.notices("invoice_issued") if n["invoice"] == "2026/11/1"]
    assert "autopay" not in issued
    # Turned off after the invoice was queued: the queued charge is skipped, nothing is charged.
    await world.harness.container.cards.set_autopay(viewer, True)
    await issue(world, ANOTHER_BILL, date(2026, 11, 2))
    await world.harness.container.cards.set_autopay(viewer, False)
    report = await world.harness.container.cards.charge_queued()
    assert report.skipped == 1 and await autopay_requests(world) == []
    assert await world.notices("autopay_failed") == []


async def test_without_yookassa_autopay_no_binding_is_offered(emulator, sms_gateway, smtp_sink, sqlite_url) -> None:
    async with paying(emulator, sms_gateway, smtp_sink, sqlite_url) as world:
        await import_samples(world.harness.engine)
        await cabinet_chat(world.harness, IVANOV)
        viewer = await world.harness.container.viewers.get(IVANOV)
        result = await world.harness.container.cards.bind(viewer)
        assert result.refusal == "not_offered" and world.kassa.payments == {}
        assert not (await world.harness.container.cards.overview(viewer)).offered
        async with world.harness.engine.begin() as conn:  # a switch left on from before: still nothing queued
            await conn.execute(update(Account).values(autopay=True))
        await issue(world, BILL, date(2026, 11, 1))
        assert await count(world, select(func.count()).select_from(AutopayCharge)) == 0


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        (
            "ru",
            (
                "Карта для автосписаний",
                "Добавить карту",
                "Ввести данные карты",
                "привязана",
                "Удалить •••• 4444",
                "Да, удалить",
                "Карт пока нет",
            ),
        ),
        (
            "en",
            (
                "Card for automatic charges",
                "Add a card",
                "Enter the card",
                "is bound",
                "Remove •••• 4444",
                "Yes, remove",
                "No cards yet",
            ),
        ),
    ],
)
async def test_a_payer_binds_and_removes_a_card_in_the_chat(both, language: str, labels: tuple[str, ...]) -> None:
    world = both
    cards_button, add, page, bound, remove, yes, none = labels
    await world.harness.container.accounts.set_language(IVANOV, language)
    chat = world.harness.chat(IVANOV, language_code=language)

    async def open_cards():
        policy = (await chat.press("123/14", (await chat.send("/policies"))[0]))[-1]
        return (await chat.press(cards_button, policy))[-1]

    screen = (await chat.press(add, await open_cards()))[-1]
    url = next(b["url"] for b in screen.buttons() if b.get("url") and page in b["text"])
    (binding,) = world.kassa.payments.values()
    assert url == binding["confirmation"]["confirmation_url"]
    again = (await chat.press(add, await open_cards()))[-1]  # a second press: the same page, no new binding
    assert any(b.get("url") == url for b in again.buttons()) and len(world.kassa.payments) == 1

    await world.kassa.pay(binding["id"])
    await world.kassa.flush()
    await world.deliver()
    assert bound in chat.last.text and "4444" in chat.last.text
    screen = await open_cards()
    assert "MasterCard •••• 4444" in screen.text and "12/2030" in screen.text
    await chat.press(yes, (await chat.press(remove, screen))[-1])
    screen = await open_cards()
    assert none in screen.text and "4444" not in screen.text


async def test_a_forged_card_id_is_refused(cards) -> None:
    world = cards
    await bind(world)
    chat = world.harness.chat(IVANOV)
    policy = (await chat.press("123/14", (await chat.send("/policies"))[0]))[-1]
    screen = (await chat.press("Карта для автосписаний", policy))[-1]
    answer = await chat.press_forged(screen, "cardr:999:1:0")
    assert answer.get("show_alert") or answer.get("text")
    assert await count(world, select(func.count(PaymentMethod.id)).where(PaymentMethod.removed_at.is_(None))) == 1


@pytest.fixture(params=["sqlite", "postgres"])
def database(request):
    """(database URL, settings) of the embedded default and of PostgreSQL + Redis."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url"), {}
    return request.getfixturevalue("postgres_url"), {"redis_url": request.getfixturevalue("redis_url")}


async def test_without_yookassa_autopay_the_bot_says_why(emulator, sms_gateway, smtp_sink, database) -> None:
    url, extra = database
    async with paying(emulator, sms_gateway, smtp_sink, url, **extra) as world:
        await import_samples(world.harness.engine)
        chat = await cabinet_chat(world.harness, IVANOV)
        policy = (await chat.press("123/14", (await chat.send("/policies"))[0]))[-1]
        assert "не подключены" in policy.text
        assert not any("Карта для автосписаний" in b["text"] for b in policy.buttons())
        terms = (await chat.press("Франшиза", policy))[-1]
        assert "не подключены" in terms.text and "/invoices" in terms.text
        assert not any("Карта для автосписаний" in b["text"] for b in terms.buttons())
        # A forged press of the hidden button gets the same answer, and nothing is made at YooKassa.
        await chat.press_forged(terms, "cardb:0")
        assert world.kassa.payments == {}
