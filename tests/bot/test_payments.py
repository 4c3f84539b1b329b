"""Paying invoices end to end: the emulated Telegram, the bot's dispatcher and HTTP side, and the emulated
YooKassa over real HTTP on loopback. Sample bills issued on 01.10.2026: Иванов pays 2026/10/1 (his own,
0.80 ₽) and 2026/10/3 (his son's, 400.00 ₽); his wife's 2026/10/2 was covered by the deposit."""

from __future__ import annotations

import asyncio
import time
from datetime import date, timedelta

import aiohttp
import pytest
from sqlalchemy import select, update

from core.db.models import Invoice, Payment
from core.gateways.payments import NOTIFICATION_MAX_BYTES
from tests.bot.cabinet_fixtures import IVANOV, SHMOLINA, cabinet_chat, import_samples
from tests.bot.payment_fixtures import FOREIGN, RETURN_URL, Paying, issue_samples, paying
from tests.harness import Chat

NBSP = "\u00a0"
# A third unpaid invoice of his own, issued on 01.11.2026: 1 500.00 × 20 % = 300.00 ₽.
MORE_BILLS = (
    "bill_line_id;policy_number;clinic_id;service_date;service_code;service_name;quantity;unit_price\n"
    "B-9001;123/14;C001;20.10.2026;B01.047.001;Прием врача-терапевта первичный;1;1500.00\n"
).encode()


def rub(text: str) -> str:
    """Amounts as the bot writes them: a no-break space before ₽."""
    return text.replace(" ₽", f"{NBSP}₽")


@pytest.fixture
async def pay(emulator, sms_gateway, smtp_sink, sqlite_url):
    async with paying(emulator, sms_gateway, smtp_sink, sqlite_url) as world:
        await import_samples(world.harness.engine)
        await issue_samples(world.harness)
        yield world


@pytest.fixture
async def pay_pg(emulator, sms_gateway, smtp_sink, postgres_url, redis_url):
    async with paying(emulator, sms_gateway, smtp_sink, postgres_url, redis_url=redis_url) as world:
        await import_samples(world.harness.engine)
        await issue_samples(world.harness)
        yield world


@pytest.fixture(params=["sqlite", "postgres"])
def both(request):
    """The payment flow on the embedded default and on PostgreSQL + Redis."""
    return request.getfixturevalue("pay" if request.param == "sqlite" else "pay_pg")


async def select_and_pay(world: Paying, *numbers: str, chat: Chat | None = None):
    """Иванов checks these invoices in /invoices and presses Pay; his chat and the screen he gets."""
    chat = chat or await cabinet_chat(world.harness, IVANOV)
    listing = (await chat.send("/invoices"))[0]
    for number in numbers:
        listing = (await chat.press(f"Выбрать {number}", listing))[0]
    screen = (await chat.press("💳 Оплатить", listing))[-1]
    return chat, screen


async def test_pay_one_invoice(both) -> None:
    world = both
    chat, screen = await select_and_pay(world, "2026/10/3")
    assert "Платёж № 1" in screen.text and rub("400,00 ₽") in screen.text and "2026/10/3" in screen.text
    payment = world.the_payment()
    url_button = next(b for b in screen.buttons() if b.get("url"))
    assert url_button["url"] == payment["confirmation"]["confirmation_url"]
    assert payment["status"] == "pending" and payment["metadata"] == {"payment_id": "1"}
    assert await world.statuses("2026/10/3", "2026/10/1") == ["pending", "new"]

    create = next(r for r in world.kassa.requests if r.method == "POST" and r.path.endswith("/payments"))
    body = create.body
    assert str(body["amount"]["value"]) == "400.00" and body["amount"]["currency"] == "RUB"
    assert body["capture"] is True and body["confirmation"] == {"type": "redirect", "return_url": RETURN_URL}
    receipt = body["receipt"]
    assert receipt["customer"] == {"phone": "79161000001", "email": "ivanov@example.ru"}
    (item,) = receipt["items"]
    assert str(item["amount"]["value"]) == "400.00" and item["amount"]["currency"] == "RUB"
    assert item["vat_code"] == 1 and item["payment_subject"] == "service" and item["payment_mode"] == "full_payment"
    assert "2026/10/3" in item["description"]
    assert all(r.idempotence_key for r in world.kassa.requests if r.method == "POST")

    await world.kassa.pay(payment["id"])
    assert world.kassa.notifications[-1] == ("payment.succeeded", payment["id"], 200)
    assert await world.statuses("2026/10/3", "2026/10/1") == ["paid", "new"]
    assert await world.deliver() == 1
    assert rub("Платёж № 1 на 400,00 ₽ получен. Оплачены: 2026/10/3.") in chat.last.text

    listing = (await chat.send("/invoices"))[0]
    assert "Выбрать 2026/10/3" not in [b["text"] for b in listing.buttons()]


async def test_pay_three_at_once_from_the_pay_command_in_english(pay) -> None:
    await pay.harness.container.billing.issue_from_bills(MORE_BILLS, date(2026, 11, 1), filename="more.csv")
    chat = await cabinet_chat(pay.harness, IVANOV, language_code="en")
    await pay.harness.container.accounts.set_language(IVANOV, "en")  # notices follow the account's language
    offer = (await chat.send("/pay"))[0]
    assert "2026/10/1" in offer.text and "2026/10/3" in offer.text and "2026/11/1" in offer.text
    assert "Total: <b>₽700.80</b>" in offer.html or "Total: ₽700.80" in offer.text
    screen = (await chat.press("💳 Pay", offer))[-1]
    assert "Payment No. 1" in screen.text and "₽700.80" in screen.text
    payment = pay.the_payment()
    items = payment_body(pay)["receipt"]["items"]
    assert [str(item["amount"]["value"]) for item in items] == ["0.80", "400.00", "300.00"]

    await pay.kassa.pay(payment["id"])
    assert await pay.statuses("2026/10/1", "2026/10/3", "2026/11/1") == ["paid", "paid", "paid"]
    await pay.deliver()
    assert "Paid: 2026/10/1, 2026/10/3, 2026/11/1." in chat.last.text
    assert "Nothing to pay" in (await chat.send("/pay"))[0].text


def payment_body(world: Paying) -> dict:
    return next(r.body for r in world.kassa.requests if r.method == "POST" and r.path.endswith("/payments"))


async def test_a_declined_payment_releases_the_invoices_and_says_why(pay) -> None:
    chat, _ = await select_and_pay(pay, "2026/10/1", "2026/10/3")
    payment = pay.the_payment()
    await pay.kassa.decline(payment["id"], "insufficient_funds")
    # Back to unpaid: OVERDUE, as their due date (13.11.2026) has passed by today (21.11.2026).
    assert await pay.statuses("2026/10/1", "2026/10/3") == ["overdue", "overdue"]
    await pay.deliver()
    assert "не прошёл: на карте недостаточно денег" in chat.last.text
    (notice,) = await pay.notices("payment_canceled")
    assert notice["invoices"] == ["2026/10/1", "2026/10/3"]

    # A new attempt for the same invoices (still checked) is a new payment with a new key.
    screen = (await chat.press("💳 Оплатить", (await chat.send("/invoices"))[0]))[-1]
    assert "Платёж № 2" in screen.text and len(pay.kassa.payments) == 2
    keys = {r.idempotence_key for r in pay.kassa.requests if r.method == "POST" and r.path.endswith("/payments")}
    assert len(keys) == 2


async def test_a_notification_repeated_five_times_credits_once_and_tells_once(both) -> None:
    world = both
    await select_and_pay(world, "2026/10/3")
    payment = world.the_payment()
    await world.kassa.pay(payment["id"])
    for _ in range(4):
        assert await world.kassa.notify("payment.succeeded", payment["id"]) == 200
    assert len(await world.notices("payment_succeeded")) == 1
    async with world.harness.engine.connect() as conn:
        paid = await conn.scalar(select(Invoice.paid_kopecks).where(Invoice.number == "2026/10/3"))
    assert paid == 40000


async def test_a_notification_from_a_foreign_address_is_refused(pay) -> None:
    await select_and_pay(pay, "2026/10/3")
    payment = pay.the_payment()
    pay.kassa.notify_url, url = None, pay.kassa.notify_url  # the payment succeeds, nobody is told …
    await pay.kassa.pay(payment["id"])
    pay.kassa.notify_url = url
    assert await pay.kassa.notify("payment.succeeded", payment["id"], source=FOREIGN) == 403  # … but a stranger
    assert await pay.statuses("2026/10/3") == ["pending"]
    assert await pay.notices("payment_succeeded") == []
    # Behind a proxy that is not ours, X-Forwarded-For is not believed either (tested in tests/core/test_net.py).


async def test_unset_trusted_networks_are_yookassas_published_ones(emulator, sms_gateway, smtp_sink, sqlite_url):
    """YOOKASSA_TRUSTED_NETWORKS unset: the yookassa SDK's list decides (here behind our own proxy on loopback,
    which names the sender): one of YooKassa's addresses is heard, loopback itself is not."""
    networks = {"yookassa_trusted_networks": [], "trusted_proxies": ["127.0.0.0/8"]}
    async with paying(emulator, sms_gateway, smtp_sink, sqlite_url, **networks) as world:
        await import_samples(world.harness.engine)
        await issue_samples(world.harness)
        await select_and_pay(world, "2026/10/3")
        payment = world.the_payment()
        world.kassa.notify_url, url = None, world.kassa.notify_url
        await world.kassa.pay(payment["id"])
        body = {"type": "notification", "event": "payment.succeeded", "object": world.kassa.payments[payment["id"]]}
        async with aiohttp.ClientSession() as http:
            for sender, expected in (("127.0.0.1", 403), ("185.71.76.1", 200)):
                async with http.post(url, json=body, headers={"X-Forwarded-For": sender}) as answer:
                    assert answer.status == expected, sender
        assert await world.statuses("2026/10/3") == ["paid"]


async def test_a_forged_body_whose_payment_is_still_pending_changes_nothing(pay) -> None:
    await select_and_pay(pay, "2026/10/3")
    payment = pay.the_payment()
    forged = {
        "type": "notification",
        "event": "payment.succeeded",
        "object": {**payment, "status": "succeeded", "paid": True},
    }
    assert await pay.kassa.notify("payment.succeeded", payment["id"], body=forged) == 200
    assert await pay.statuses("2026/10/3") == ["pending"]
    assert await pay.notices("payment_succeeded") == []
    garbage = await pay.kassa.notify("payment.succeeded", payment["id"], body={"type": "nonsense"})
    assert garbage == 400


async def test_a_body_nested_too_deep_is_refused_and_changes_nothing(pay) -> None:
    await select_and_pay(pay, "2026/10/3")
    payment_id = pay.the_payment()["id"]
    pay.kassa.notify_url, url = None, pay.kassa.notify_url  # paid, the bot not told yet
    await pay.kassa.pay(payment_id)
    pay.kassa.notify_url = url
    depth = (NOTIFICATION_MAX_BYTES - 1) // 6  # as deep as the size limit lets `{"a":` … `}` go
    for body in (b'{"a":' * depth + b"1" + b"}" * depth, b"[" * (depth * 3) + b"]" * (depth * 3)):
        assert len(body) <= NOTIFICATION_MAX_BYTES
        assert await pay.kassa.notify("payment.succeeded", payment_id, body=body) == 400
    deeper = b'{"a":' * 50_000 + b"1" + b"}" * 50_000  # over the size limit: refused before it is read
    assert await pay.kassa.notify("payment.succeeded", payment_id, body=deeper) == 413
    assert await pay.statuses("2026/10/3") == ["pending"]
    assert await pay.kassa.notify("payment.succeeded", payment_id) == 200  # the true one still counts
    assert await pay.statuses("2026/10/3") == ["paid"]


async def test_a_double_press_on_pay_makes_one_payment(both) -> None:
    world = both
    chat = await cabinet_chat(world.harness, IVANOV)
    listing = (await chat.send("/invoices"))[0]
    listing = (await chat.press("Выбрать 2026/10/3", listing))[0]
    pay_data = listing.button("💳 Оплатить")["callback_data"]
    first = (await chat.press("💳 Оплатить", listing))[-1]  # the table becomes the payment's screen …
    await chat.press_forged(listing, pay_data)  # … and the old button's press, already on its way, arrives
    second = chat.last
    assert len(world.kassa.payments) == 1
    assert "Платёж № 1" in second.text and "уже начат" in second.text
    assert [b.get("url") for b in first.buttons() if b.get("url")] == [
        b.get("url") for b in second.buttons() if b.get("url")
    ]


async def test_two_presses_at_once_make_one_payment(pay_pg) -> None:
    """Two devices of one payer (two Telegram users cannot share an account; the service is called
    directly, as two replicas would, at the same moment)."""
    world = pay_pg
    await cabinet_chat(world.harness, IVANOV)
    viewer = await world.harness.container.viewers.get(IVANOV)
    async with world.harness.engine.connect() as conn:
        ids = list(await conn.scalars(select(Invoice.id).where(Invoice.number.in_(["2026/10/1", "2026/10/3"]))))
    results = await asyncio.gather(*(world.harness.container.payments.pay(viewer, ids) for _ in range(4)))
    assert {r.payment.payment_id for r in results} == {1}
    assert len(world.kassa.payments) == 1


async def test_a_restart_between_creating_and_the_notification_credits_once(both) -> None:
    world = both
    _chat, _ = await select_and_pay(world, "2026/10/3")
    payment = world.the_payment()
    await world.restart()
    await world.kassa.pay(payment["id"])
    await world.kassa.notify("payment.succeeded", payment["id"])
    assert await world.statuses("2026/10/3") == ["paid"]
    assert len(await world.notices("payment_succeeded")) == 1


async def test_create_timing_out_then_the_retry_with_the_same_key_makes_one_payment(
    emulator, sms_gateway, smtp_sink, sqlite_url
) -> None:
    async with paying(emulator, sms_gateway, smtp_sink, sqlite_url, yookassa_timeout=0.5) as world:
        await import_samples(world.harness.engine)
        await issue_samples(world.harness)
        world.kassa.delay_next["create_payment"] = 1.5  # made at YooKassa, but the answer comes too late
        chat, screen = await select_and_pay(world, "2026/10/3")
        assert "не ответил вовремя" in screen.text
        assert await world.statuses("2026/10/3") == ["pending"]  # reserved for this payment
        await asyncio.sleep(1.2)  # the held answer goes out to nobody
        screen = (await chat.press("Повторить", screen))[-1]
        assert "Платёж № 1" in screen.text and any(b.get("url") for b in screen.buttons())
        assert len(world.kassa.payments) == 1
        creates = [r for r in world.kassa.requests if r.method == "POST" and r.path.endswith("/payments")]
        assert len(creates) == 2 and creates[0].idempotence_key == creates[1].idempotence_key


async def test_a_payment_refused_by_the_provider_releases_the_invoices(pay) -> None:
    pay.kassa.fail_next["create_payment"] = 500
    chat, screen = await select_and_pay(pay, "2026/10/3")
    assert "не ответил" in screen.text  # a 500 is an unknown outcome: retry with the same key
    screen = (await chat.press("Повторить", screen))[-1]
    assert len(pay.kassa.payments) == 1 and any(b.get("url") for b in screen.buttons())


async def test_two_successful_payments_for_one_invoice_refund_the_later(
    emulator, sms_gateway, smtp_sink, sqlite_url
) -> None:
    """The first payment's answer was lost and its key lapsed (the invoices were released); the payer paid
    one of them again and then — from the first payment's page, still open — the first payment too."""
    async with paying(emulator, sms_gateway, smtp_sink, sqlite_url, yookassa_timeout=0.5) as world:
        await import_samples(world.harness.engine)
        await issue_samples(world.harness)
        payments = world.harness.container.payments
        await (await cabinet_chat(world.harness, IVANOV)).send("/menu")  # the chat exists in Telegram
        viewer = await world.harness.container.viewers.get(IVANOV)
        async with world.harness.engine.connect() as conn:
            ids = dict((await conn.execute(select(Invoice.number, Invoice.id))).all())
        world.kassa.delay_next["create_payment"] = 1.5  # made at YooKassa, its answer lost
        first = await payments.pay(viewer, [ids["2026/10/1"], ids["2026/10/3"]])
        assert first.refusal == "unreachable" and len(world.kassa.payments) == 1
        lost = world.the_payment()
        await asyncio.sleep(1.2)
        # Two days later the job finds it: never confirmed, its key lapsed → failed, invoices released.
        long_ago = world.harness.container.clock.now() - timedelta(days=2)
        async with world.harness.engine.begin() as conn:
            await conn.execute(update(Payment).values(created_at=long_ago))
        assert (await payments.read_back_stale()).payments == 1
        assert await world.statuses("2026/10/1", "2026/10/3") == ["overdue", "overdue"]  # past due: 13.11
        # He pays 2026/10/3 alone …
        second = await payments.pay(viewer, [ids["2026/10/3"]])
        assert second.refusal is None
        await world.kassa.pay(next(p for p in world.kassa.payments if p != lost["id"]))
        assert await world.statuses("2026/10/3") == ["paid"]
        # … then the first page too: 2026/10/1 is paid by it; 2026/10/3, already paid, refunded: 400.00.
        await world.kassa.pay(lost["id"])
        await world.kassa.flush()
        assert await world.statuses("2026/10/1", "2026/10/3") == ["paid", "paid"]
        (refund,) = world.kassa.refunds.values()
        assert refund["payment_id"] == lost["id"] and str(refund["amount"]["value"]) == "400.00"
        refund_body = next(r.body for r in world.kassa.requests if r.path.endswith("/refunds") and r.method == "POST")
        assert [str(i["amount"]["value"]) for i in refund_body["receipt"]["items"]] == ["400.00"]
        assert refund_body["receipt"]["customer"] == {"phone": "79161000001", "email": "ivanov@example.ru"}
        await world.deliver()
        texts = [m.text for m in world.harness.emulator.messages(IVANOV)]
        assert any(rub("Часть его счетов уже была оплачена: 400,00 ₽ вернётся на карту") in t for t in texts)
        assert any(rub("400,00 ₽ возвращено на карту по платежу № 1 (2026/10/3)") in t for t in texts)


async def test_a_partial_refund_of_a_payment_for_two_invoices_and_the_history(pay) -> None:
    chat, _ = await select_and_pay(pay, "2026/10/1", "2026/10/3")
    payment = pay.the_payment()
    await pay.kassa.pay(payment["id"])
    # Staff give back 100.80: all of 2026/10/1 (0.80) and 100.00 of 2026/10/3.
    result = await pay.harness.container.payments.refund(9001, 1, 10080)
    assert result.refusal is None and result.refund.status == "succeeded"
    assert await pay.statuses("2026/10/1", "2026/10/3") == ["refunded", "paid"]
    async with pay.harness.engine.connect() as conn:
        refunded = dict((await conn.execute(select(Invoice.number, Invoice.refunded_kopecks))).all())
    assert refunded["2026/10/1"] == 80 and refunded["2026/10/3"] == 10000
    body = next(r.body for r in pay.kassa.requests if r.path.endswith("/refunds") and r.method == "POST")
    assert [str(i["amount"]["value"]) for i in body["receipt"]["items"]] == ["0.80", "100.00"]
    assert str(body["amount"]["value"]) == "100.80"
    # Too much, a second time: refused, nothing sent.
    assert (await pay.harness.container.payments.refund(9001, 1, 30001)).refusal == "too_much"
    assert len(pay.kassa.refunds) == 1

    await pay.deliver()
    assert rub("100,80 ₽ возвращено на карту по платежу № 1 (2026/10/1, 2026/10/3)") in chat.last.text
    history = (await chat.send("/payments"))[0]
    assert "№ 1" in history.text and rub("400,80 ₽") in history.text and "✅ оплачен" in history.text
    assert rub("Возврат 100,80 ₽") in history.text and "Чек" in history.text

    await pay.harness.container.accounts.set_language(IVANOV, "en")
    history = (await chat.send("/payments"))[0]
    assert "My payments" in history.text and "Refund of ₽100.80" in history.text and "receipt" in history.text


async def test_someone_elses_payment_is_not_shown_or_checked(pay) -> None:
    await select_and_pay(pay, "2026/10/3")
    stranger = await cabinet_chat(pay.harness, SHMOLINA)
    listing = (await stranger.send("/payments"))[0]
    assert "Платежей пока нет" in listing.text
    from bot.callbacks.payments import PaymentCheckCb

    answer = await stranger.press_forged(listing, PaymentCheckCb(payment_id=1).pack())
    assert answer["show_alert"] is True and "недоступен" in answer["text"]


async def test_the_bot_answers_others_while_yookassa_is_slow(pay) -> None:
    pay.kassa.delay_next["create_payment"] = 5.0
    chat = await cabinet_chat(pay.harness, IVANOV)
    listing = (await chat.send("/invoices"))[0]
    listing = (await chat.press("Выбрать 2026/10/3", listing))[0]
    other = await cabinet_chat(pay.harness, SHMOLINA)
    paying_press = asyncio.create_task(chat.press("💳 Оплатить", listing))
    await asyncio.sleep(0.2)
    started = time.monotonic()
    menu = await other.send("/menu")
    assert menu and time.monotonic() - started < 2.0
    assert not paying_press.done()
    screen = (await paying_press)[-1]
    assert "Платёж № 1" in screen.text


async def test_paying_the_overdue_invoices_restores_access_at_once(pay) -> None:
    await pay.harness.container.billing.run_daily(date(2026, 11, 21))  # past 13.11: restricted
    chat = await cabinet_chat(pay.harness, IVANOV)
    listing = (await chat.send("/policies"))[0]
    assert "ограничен" in (await chat.press("123/14", listing))[0].text
    _, _screen = await select_and_pay(pay, "2026/10/1", "2026/10/3", chat=chat)
    await pay.kassa.pay(pay.the_payment()["id"])
    listing = (await chat.send("/policies"))[0]
    assert "Статус: ✅ действует" in (await chat.press("123/14", listing))[0].text
    restored = await pay.notices("access_restored")
    assert len(restored) == 2  # Иванов and his son, each told to the payer once
    await pay.deliver()
    assert sum("доступ восстановлен" in m.text for m in pay.harness.emulator.messages(IVANOV)) == 2


async def test_a_lost_notification_is_made_up_by_the_read_back_after_an_hour(pay) -> None:
    await select_and_pay(pay, "2026/10/3")
    payment = pay.the_payment()
    pay.kassa.notify_url, url = None, pay.kassa.notify_url  # paid, but the notification never arrives
    await pay.kassa.pay(payment["id"])
    pay.kassa.notify_url = url
    payments = pay.harness.container.payments
    assert (await payments.read_back_stale()).payments == 0  # not an hour old yet
    an_hour_ago = pay.harness.container.clock.now() - timedelta(minutes=61)
    async with pay.harness.engine.begin() as conn:
        await conn.execute(update(Payment).values(created_at=an_hour_ago))
    assert (await payments.read_back_stale()).payments == 1
    assert await pay.statuses("2026/10/3") == ["paid"]
    assert (await payments.read_back_stale()).payments == 0  # nothing pending any more
    assert len(await pay.notices("payment_succeeded")) == 1


async def test_the_check_button_reads_the_payment_back(pay) -> None:
    chat, screen = await select_and_pay(pay, "2026/10/3")
    pay.kassa.notify_url = None
    await pay.kassa.pay(pay.the_payment()["id"])
    screen = (await chat.press("Я оплатил", screen))[-1]
    assert "Платёж получен" in screen.text
    assert await pay.statuses("2026/10/3") == ["paid"]


async def test_yookassa_down_when_notified_asks_to_be_notified_again(pay) -> None:
    await select_and_pay(pay, "2026/10/3")
    payment = pay.the_payment()
    pay.kassa.fail_next["get_payment"] = 500  # the read-back fails: nothing applied, YooKassa retries
    await pay.kassa.pay(payment["id"])
    assert pay.kassa.notifications[-1][2] == 503
    assert await pay.statuses("2026/10/3") == ["pending"]
    assert await pay.kassa.notify("payment.succeeded", payment["id"]) == 200  # the retry
    assert await pay.statuses("2026/10/3") == ["paid"]
