"""Payment incidents end to end: the emulated Telegram, the bot's dispatcher and HTTP side, and the
emulated YooKassa over real HTTP on loopback — on SQLite and on PostgreSQL + Redis.

- a payment or a refund whose answer was lost is sent again unchanged after the payer's e-mail changed (the
  key is honoured only with the same body), and a "key duplicated" answer is read back, never a refusal;
- what is still unknown when the key lapses (24 h), and a payment of another amount than ours, are anomalies
  for staff: not asked about any more;
- a payer with no phone or e-mail gives one for the receipt before anything is made;
- Pay pressed while the card is being charged says so."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from core.db.models import Account, AuditEvent, AutopayCharge, InsuredPerson, Payment, Refund
from tests.bot.cabinet_fixtures import IVANOV, SHMOLINA, cabinet_chat, import_samples
from tests.bot.payment_fixtures import Paying, issue_samples, paying
from tests.bot.test_autopay import AUTOPAY_ON, BILL, autopay_requests, bind, charged, count, issue
from tests.bot.test_payments import select_and_pay

NEW_EMAIL = "ivan.new@example.ru"


@pytest.fixture
async def world_sqlite(emulator, sms_gateway, smtp_sink, sqlite_url):
    async with paying(emulator, sms_gateway, smtp_sink, sqlite_url, yookassa_timeout=0.5, **AUTOPAY_ON) as world:
        await import_samples(world.harness.engine)
        await issue_samples(world.harness)
        yield world


@pytest.fixture
async def world_pg(emulator, sms_gateway, smtp_sink, postgres_url, redis_url):
    async with paying(
        emulator, sms_gateway, smtp_sink, postgres_url, redis_url=redis_url, yookassa_timeout=0.5, **AUTOPAY_ON
    ) as world:
        await import_samples(world.harness.engine)
        await issue_samples(world.harness)
        yield world


@pytest.fixture(params=["sqlite", "postgres"])
def both(request):
    return request.getfixturevalue("world_sqlite" if request.param == "sqlite" else "world_pg")


async def change_email(world: Paying, address: str | None) -> None:
    """The payer's e-mail changed (as /settings does once the new address is proven)."""
    async with world.harness.engine.begin() as conn:
        await conn.execute(
            update(Account)
            .where(Account.telegram_id == IVANOV)
            .values(email=address, email_key=address and address.casefold())
        )


async def forget_contacts(world: Paying) -> None:
    """Иванов with no phone and no e-mail anywhere: neither on his account nor in the registry."""
    await change_email(world, None)
    async with world.harness.engine.begin() as conn:
        await conn.execute(
            update(InsuredPerson)
            .where(InsuredPerson.policy_number == "123/14")
            .values(phone=None, email=None, email_key=None)
        )


async def age(world: Paying, table, by: timedelta) -> None:
    """Every row of `table` made `by` earlier than now (the tests make one or two)."""
    async with world.harness.engine.begin() as conn:
        await conn.execute(update(table).values(created_at=world.harness.container.clock.now() - by))


def posts(world: Paying, path_end: str) -> list:
    return [r for r in world.kassa.requests if r.method == "POST" and r.path.endswith(path_end)]


async def anomalies(world: Paying, action: str) -> list[tuple[str, str]]:
    async with world.harness.engine.connect() as conn:
        rows = await conn.execute(select(AuditEvent.object_id, AuditEvent.reason).where(AuditEvent.action == action))
        return [tuple(row) for row in rows]


async def paid_invoice(world: Paying) -> str:
    """Иванов pays 2026/10/3 (400.00 ₽) through the bot; the payment's id at YooKassa."""
    await select_and_pay(world, "2026/10/3")
    payment = world.the_payment()
    await world.kassa.pay(payment["id"])
    assert await world.statuses("2026/10/3") == ["paid"]
    return payment["id"]


# --- 1. A retried request is the stored one ----------------------------------------------------------------


async def test_a_refund_retried_after_an_email_change_is_sent_unchanged_and_settles_once(both) -> None:
    world = both
    await paid_invoice(world)
    url, world.kassa.notify_url = world.kassa.notify_url, None  # its notification waits
    world.kassa.delay_next["create_refund"] = 1.5  # made at YooKassa, its answer lost
    result = await world.harness.container.payments.refund(9001, 1, 40000)
    assert result.refund.status == "pending" and len(world.kassa.refunds) == 1
    await asyncio.sleep(1.2)
    await change_email(world, NEW_EMAIL)
    await age(world, Refund, timedelta(minutes=2))
    assert (await world.harness.container.payments.read_back_stale()).refunds == 1

    first, second = posts(world, "/refunds")
    assert first.body == second.body and first.idempotence_key == second.idempotence_key
    assert first.body["receipt"]["customer"]["email"] == "ivanov@example.ru"  # the original request
    (made,) = world.kassa.refunds.values()
    async with world.harness.engine.connect() as conn:
        status, provider_id, request = (
            await conn.execute(select(Refund.status, Refund.provider_id, Refund.request))
        ).one()
    assert (status, provider_id, request) == ("succeeded", made["id"], None)  # the contact not kept once settled
    assert await world.statuses("2026/10/3") == ["refunded"]
    world.kassa.notify_url = url
    assert await world.kassa.notify("refund.succeeded", made["id"]) == 200  # known by its id: recorded once
    assert len(await world.notices("payment_refunded")) == 1
    assert (await world.harness.container.payments.read_back_stale()).refunds == 0


async def test_a_refund_notification_arriving_before_the_answer_is_matched_by_its_payment(both) -> None:
    world = both
    await paid_invoice(world)
    world.kassa.delay_next["create_refund"] = 1.5  # its answer lost; its notification arrives
    await world.harness.container.payments.refund(9001, 1, 40000)
    await world.kassa.flush()
    (made,) = world.kassa.refunds.values()
    assert world.kassa.notifications[-1] == ("refund.succeeded", made["id"], 200)
    async with world.harness.engine.connect() as conn:
        assert (await conn.execute(select(Refund.status, Refund.provider_id))).one() == ("succeeded", made["id"])
    assert await world.statuses("2026/10/3") == ["refunded"]
    assert len(await world.notices("payment_refunded")) == 1


async def test_key_duplicated_for_a_refund_is_read_back_by_its_payment(both) -> None:
    """A refund stored before requests were kept (rebuilt now from the new e-mail): YooKassa refuses the key
    with another body; the refund is found among the payment's refunds, not marked failed."""
    world = both
    provider_payment = await paid_invoice(world)
    world.kassa.notify_url = None
    world.kassa.delay_next["create_refund"] = 1.5
    await world.harness.container.payments.refund(9001, 1, 40000)
    await asyncio.sleep(1.2)
    async with world.harness.engine.begin() as conn:
        await conn.execute(update(Refund).values(request=None))
    await change_email(world, NEW_EMAIL)
    await age(world, Refund, timedelta(minutes=2))
    await world.harness.container.payments.read_back_stale()

    first, second = posts(world, "/refunds")
    assert first.idempotence_key == second.idempotence_key and first.body != second.body
    listed = [r for r in world.kassa.requests if r.method == "GET" and r.path.endswith("/refunds")]
    assert len(listed) == 1
    (made,) = world.kassa.refunds.values()
    assert made["payment_id"] == provider_payment
    async with world.harness.engine.connect() as conn:
        assert (await conn.execute(select(Refund.status, Refund.provider_id))).one() == ("succeeded", made["id"])
    assert await world.statuses("2026/10/3") == ["refunded"]


async def test_a_refund_still_unknown_after_24_hours_is_an_anomaly_and_not_sent_again(both) -> None:
    world = both
    await paid_invoice(world)
    world.kassa.fail_next["create_refund"] = 500  # nothing made; the outcome unknown to the bot
    result = await world.harness.container.payments.refund(9001, 1, 40000)
    assert result.refund.status == "pending"
    await age(world, Refund, timedelta(hours=25))
    calls = len(world.kassa.requests)
    await world.harness.container.payments.read_back_stale()
    # Looked for once more by its payment (not there), never sent again with a lapsed key.
    assert [(r.method, r.path) for r in world.kassa.requests[calls:]] == [("GET", "/v3/refunds")]
    assert await anomalies(world, "refund.anomaly") == [("1", "unknown_after_24h")]
    await world.harness.container.payments.read_back_stale()
    assert len(world.kassa.requests) == calls + 1 and world.kassa.refunds == {}
    async with world.harness.engine.connect() as conn:
        assert (await conn.execute(select(Refund.status, Refund.anomaly))).one() == ("pending", "unknown_after_24h")


async def test_a_payment_retried_after_an_email_change_is_sent_unchanged(both) -> None:
    world = both
    world.kassa.delay_next["create_payment"] = 1.5  # made at YooKassa, its answer lost
    chat, screen = await select_and_pay(world, "2026/10/3")
    assert "не ответил вовремя" in screen.text
    await asyncio.sleep(1.2)
    await change_email(world, NEW_EMAIL)
    screen = (await chat.press("Повторить", screen))[-1]
    assert "Платёж № 1" in screen.text and any(b.get("url") for b in screen.buttons())

    first, second = posts(world, "/payments")
    assert first.body == second.body and first.idempotence_key == second.idempotence_key
    assert first.body["receipt"]["customer"]["email"] == "ivanov@example.ru"
    payment = world.the_payment()
    async with world.harness.engine.connect() as conn:
        assert (await conn.scalar(select(Payment.request)))["receipt"]["email"] == "ivanov@example.ru"
    await world.kassa.pay(payment["id"])
    assert await world.statuses("2026/10/3") == ["paid"]
    assert len(await world.notices("payment_succeeded")) == 1
    async with world.harness.engine.connect() as conn:
        assert await conn.scalar(select(Payment.request)) is None  # the contact not kept once settled


async def test_an_automatic_charge_retried_after_an_email_change_is_charged_once(both) -> None:
    world = both
    await (await cabinet_chat(world.harness, IVANOV)).send("/menu")
    await bind(world)
    await issue(world, BILL, date(2026, 11, 1))
    world.kassa.notify_url = None  # made, but neither its answer nor its notification arrives
    world.kassa.delay_next["create_payment"] = 1.5
    assert (await world.harness.container.cards.charge_queued()).unknown == 1
    await world.kassa.flush()
    await change_email(world, NEW_EMAIL)
    report = await world.harness.container.cards.charge_queued()
    assert report.charged == 1
    first, second = await autopay_requests(world)
    assert first == second and first["receipt"]["customer"]["email"] == "ivanov@example.ru"
    assert len(charged(world)) == 1 and await world.statuses("2026/11/1") == ["paid"]
    assert await world.notices("autopay_failed") == []


async def test_key_duplicated_for_an_automatic_charge_is_unknown_never_declined(both) -> None:
    """A charge stored before requests were kept, rebuilt after an e-mail change: YooKassa refuses the key.
    The card may have been charged, so nothing says "declined"; its notification settles it."""
    world = both
    await (await cabinet_chat(world.harness, IVANOV)).send("/menu")
    await bind(world)
    await issue(world, BILL, date(2026, 11, 1))
    url, world.kassa.notify_url = world.kassa.notify_url, None
    world.kassa.delay_next["create_payment"] = 1.5
    await world.harness.container.cards.charge_queued()
    await world.kassa.flush()
    async with world.harness.engine.begin() as conn:
        await conn.execute(update(Payment).where(Payment.kind == "autopay").values(request=None))
    await change_email(world, NEW_EMAIL)
    report = await world.harness.container.cards.charge_queued()
    assert report.unknown == 1 and report.declined == 0
    assert await world.statuses("2026/11/1") == ["pending"] and await world.notices("autopay_failed") == []
    (made,) = charged(world)
    world.kassa.notify_url = url
    assert await world.kassa.notify("payment.succeeded", made["id"]) == 200
    assert await world.statuses("2026/11/1") == ["paid"]
    assert (await world.harness.container.cards.charge_queued()).charged == 1  # the queue learns it: done
    assert len(charged(world)) == 1


# --- 2. No phone or e-mail for the receipt -----------------------------------------------------------------


async def test_a_payer_without_a_contact_gives_an_email_and_pays(both) -> None:
    world = both
    await forget_contacts(world)
    chat, screen = await select_and_pay(world, "2026/10/3")
    assert "нужен e-mail" in screen.text
    assert world.kassa.payments == {} and await count(world, select(func.count(Payment.id))) == 0
    assert await world.statuses("2026/10/3") == ["new"]  # nothing half-made

    (answer,) = await chat.send("ivanov at example")
    assert "ivanova@example.ru" in answer.text and world.kassa.payments == {}  # an example; still asked
    await cabinet_chat(world.harness, SHMOLINA)
    async with world.harness.engine.connect() as conn:
        hers = await conn.scalar(select(Account.email).where(Account.telegram_id == SHMOLINA))
    (answer,) = await chat.send(hers)
    assert "другим пользователем" in answer.text and world.kassa.payments == {}  # another's: still asked
    (answer,) = await chat.send("  Ivan.Ivanov@Example.RU ")
    assert "Платёж № 1" in answer.text and any(b.get("url") for b in answer.buttons())
    assert posts(world, "/payments")[0].body["receipt"]["customer"] == {"email": "Ivan.Ivanov@example.ru"}
    async with world.harness.engine.connect() as conn:
        assert await conn.scalar(select(Account.email).where(Account.telegram_id == IVANOV)) == "Ivan.Ivanov@example.ru"
    assert "Ivan.Ivanov@example.ru" in (await chat.send("/settings"))[0].text
    await world.kassa.pay(world.the_payment()["id"])
    assert await world.statuses("2026/10/3") == ["paid"]


async def test_in_english_the_receipt_email_is_asked_too(world_sqlite) -> None:
    world = world_sqlite
    await forget_contacts(world)
    chat = await cabinet_chat(world.harness, IVANOV, language_code="en")
    await world.harness.container.accounts.set_language(IVANOV, "en")
    offer = (await chat.send("/pay"))[0]
    screen = (await chat.press("💳 Pay", offer))[-1]
    assert "needs an e-mail" in screen.text
    (answer,) = await chat.send("nobody")
    assert "ivanova@example.ru" in answer.text
    (answer,) = await chat.send("ivan@example.ru")
    assert "Payment No. 1" in answer.text


async def test_no_automatic_charge_is_queued_for_a_payer_without_a_contact(both) -> None:
    world = both
    chat = await cabinet_chat(world.harness, IVANOV)
    await chat.send("/menu")
    await bind(world)  # bound while he had a contact
    await forget_contacts(world)
    await issue(world, BILL, date(2026, 11, 1))
    assert await count(world, select(func.count()).select_from(AutopayCharge)) == 0
    (issued,) = [n for n in await world.notices("invoice_issued") if n["invoice"] == "2026/11/1"]
    assert issued.get("email_needed") is True and "autopay" not in issued
    await world.deliver()
    notice = next(m for m in world.harness.emulator.messages(IVANOV) if "2026/11/1" in m.text)
    assert "нужен ваш e-mail" in notice.text and "/settings" in notice.text and "/pay" in notice.text
    assert (await world.harness.container.cards.charge_queued()).charged == 0 and charged(world) == []


# --- 3. Another amount than ours --------------------------------------------------------------------------


async def test_another_amount_is_told_to_the_payer_left_to_staff_and_not_read_back(both) -> None:
    world = both
    chat, _ = await select_and_pay(world, "2026/10/3")
    payment = world.the_payment()
    payment["amount"] = {"value": "399.00", "currency": "RUB"}  # YooKassa holds another amount than ours
    await world.kassa.pay(payment["id"])
    assert world.kassa.notifications[-1][2] == 200
    assert await world.statuses("2026/10/3") == ["pending"]  # never settled with the wrong amount
    assert await anomalies(world, "payment.anomaly") == [("1", "amount_mismatch")]
    (notice,) = await world.notices("payment_checking")
    assert notice == {"payment_id": 1, "amount": 40000, "invoices": ["2026/10/3"]}
    await world.deliver()
    assert "проверяют сотрудники" in chat.last.text and "2026/10/3" in chat.last.text

    await age(world, Payment, timedelta(minutes=61))
    reads = [r for r in world.kassa.requests if r.method == "GET" and payment["id"] in r.path]
    for _ in range(2):
        assert (await world.harness.container.payments.read_back_stale()).payments == 0
    assert [r for r in world.kassa.requests if r.method == "GET" and payment["id"] in r.path] == reads
    assert await world.kassa.notify("payment.succeeded", payment["id"]) == 200  # again: told once
    assert len(await world.notices("payment_checking")) == 1
    screen = (await chat.press("Проверить платёж № 1", (await chat.send("/payments"))[0]))[-1]
    assert "проверяют сотрудники" in screen.text


# --- 4. Pay during an automatic charge ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "pay_button", "text"),
    [
        ("ru", "💳 Оплатить", "прямо сейчас списывается с вашей сохранённой карты"),
        ("en", "💳 Pay", "card is being charged for this payment"),
    ],
)
async def test_pay_pressed_while_the_card_is_being_charged_says_so(both, language, pay_button, text) -> None:
    world = both
    chat = await cabinet_chat(world.harness, IVANOV, language_code=language)
    await world.harness.container.accounts.set_language(IVANOV, language)
    await chat.send("/menu")
    await bind(world)
    await issue(world, BILL, date(2026, 11, 1))
    offer = (await chat.send("/pay"))[0]  # the offer includes 2026/11/1, not charged yet
    assert "2026/11/1" in offer.text
    world.kassa.fail_next["create_payment"] = 500  # the job stores the charge; YooKassa is slow to make it
    assert (await world.harness.container.cards.charge_queued()).unknown == 1
    world.kassa.fail_next["create_payment"] = 500
    screen = (await chat.press(pay_button, offer))[-1]
    assert text in screen.text and not any(b.get("url") for b in screen.buttons())
    assert await count(world, select(func.count(Payment.id)).where(Payment.kind != "binding")) == 1
    await world.harness.container.cards.charge_queued()
    assert len(charged(world)) == 1 and await world.statuses("2026/11/1") == ["paid"]
