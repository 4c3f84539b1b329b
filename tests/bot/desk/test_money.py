"""The admin's money actions end to end: the emulated Telegram, the bot's dispatcher and HTTP side, and the
emulated YooKassa over real HTTP on loopback — on SQLite and on PostgreSQL + Redis.

From a person's record (an invoice's or a payment's details) and from a payment anomaly of the queue: mark
an invoice paid offline, cancel one, refund a payment in part or in full, settle or dismiss an anomaly.
Each shows its plan first and does exactly that plan (or nothing, when the invoices changed meanwhile),
is audited and tells the payer; the restriction is lifted at once; a refund reaches YooKassa once (a
double press, a lost answer, a restart); support is refused in core and by forged buttons.

Sample bills issued on 01.10.2026: Иванов pays 2026/10/1 (his own, 0.80 ₽) and 2026/10/3 (his son's,
400.00 ₽); the daily job of 14.11.2026 makes both overdue and restricts them."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from bot.callbacks.desk_money import MoneyCb, MoneyStepCb
from core.actors import Forbidden
from core.db.models import AccessRestriction, AuditEvent, DeskClaim, Invoice, Refund
from core.desk.money import MoneyAction
from tests.bot.cabinet_fixtures import IVANOV, cabinet_chat, import_samples, person_id
from tests.bot.desk.helpers import ADMIN, STALE_RU, SUPPORT
from tests.bot.payment_fixtures import Paying, issue_samples, paying
from tests.bot.test_payments import rub, select_and_pay

YES_RU, YES_EN = "Да, выполнить", "Yes, do it"


@pytest.fixture
async def world_sqlite(emulator, sms_gateway, smtp_sink, sqlite_url):
    async with paying(emulator, sms_gateway, smtp_sink, sqlite_url, yookassa_timeout=0.5) as world:
        await import_samples(world.harness.engine)
        await issue_samples(world.harness)
        yield world


@pytest.fixture
async def world_pg(emulator, sms_gateway, smtp_sink, postgres_url, redis_url):
    async with paying(
        emulator, sms_gateway, smtp_sink, postgres_url, redis_url=redis_url, yookassa_timeout=0.5
    ) as world:
        await import_samples(world.harness.engine)
        await issue_samples(world.harness)
        yield world


@pytest.fixture(params=["sqlite", "postgres"])
def both(request) -> Paying:
    return request.getfixturevalue("world_sqlite" if request.param == "sqlite" else "world_pg")


async def overdue(world: Paying) -> None:
    """Иванов registered (his chat open); the daily job of 14.11.2026 has run."""
    await (await cabinet_chat(world.harness, IVANOV)).send("/menu")
    report = await world.harness.container.billing.run_daily(date(2026, 11, 14))
    assert report.overdue == ("2026/10/1", "2026/10/3", "2026/10/4")


async def money_tab(world: Paying, staff: int, *, language_code: str = "ru"):
    """The staff member's chat and Иванов's record open at its invoices and payments."""
    chat = world.harness.chat(staff, language_code=language_code)
    listed = (await chat.send("/find 123/14"))[0]
    record = (await chat.press("1. ", listed))[0]
    tab = "Счета и платежи" if language_code == "ru" else "Invoices and payments"
    return chat, (await chat.press(tab, record))[0]


async def invoice_row(world: Paying, number: str):
    async with world.harness.engine.connect() as conn:
        return (await conn.execute(select(Invoice).where(Invoice.number == number))).one()


async def audit(world: Paying, *actions: str) -> list[tuple]:
    query = select(AuditEvent.action, AuditEvent.actor_telegram_id, AuditEvent.object_id, AuditEvent.reason)
    async with world.harness.engine.connect() as conn:
        rows = await conn.execute(query.where(AuditEvent.action.in_(actions)).order_by(AuditEvent.id))
        return [tuple(row) for row in rows]


async def restored(world: Paying, policy: str) -> bool:
    person = await person_id(world.harness.engine, policy)
    async with world.harness.engine.connect() as conn:
        query = select(AccessRestriction.restored_on).where(AccessRestriction.person_id == person)
        return [on is not None for on in await conn.scalars(query)] == [True]


def refund_posts(world: Paying) -> list:
    return [r for r in world.kassa.requests if r.method == "POST" and r.path.endswith("/refunds")]


# --- mark paid offline, cancel ------------------------------------------------------------------------------


async def test_an_invoice_marked_paid_offline_is_as_confirmed_audited_told_and_restores_access(both) -> None:
    world = both
    await overdue(world)
    chat, tab = await money_tab(world, ADMIN)
    card = (await chat.press("🧾 2026/10/1", tab))[0]
    assert "Счёт № 2026/10/1" in card.text and "⚠️ просрочен" in card.text and rub("0,80 ₽") in card.text
    prompt = (await chat.press("Отметить оплаченным", card))[0]
    assert "основание оплаты" in prompt.text
    wrong = (await chat.send(" \u200b "))[0]  # nothing: told what is wrong, the draft still waits
    assert "пример" in wrong.text.lower() and "касса" not in wrong.text
    plan = (await chat.send("перевод в кассе клиники, чек <17>"))[0]
    assert "2026/10/1: ⚠️ просрочен → ✅ оплачен, " + rub("0,80 ₽") in plan.text
    assert "чек &lt;17&gt;" not in plan.text and "чек <17>" in plan.text  # escaped, shown as typed
    done = (await chat.press(YES_RU, plan))[0]
    assert rub("Отмечено оплаченным: 0,80 ₽") in done.text and "✅ оплачен" in done.text
    assert "чек <17>" in done.text and "вне бота" in done.text

    row = await invoice_row(world, "2026/10/1")
    assert (row.status, row.paid_kopecks, row.paid_how) == ("paid", 80, "offline")
    assert row.offline_reference == "перевод в кассе клиники, чек <17>" and row.paid_at is not None
    assert await audit(world, "invoice.marked_paid") == [("invoice.marked_paid", ADMIN, str(row.id), None)]
    (notice,) = await world.notices("invoice_marked_paid")
    assert notice == {
        "invoice": "2026/10/1",
        "person_id": await person_id(world.harness.engine, "123/14"),
        "amount": 80,
    }
    assert await restored(world, "123/14")  # nothing of his is overdue any more
    assert len(await world.notices("access_restored")) == 1
    assert await world.deliver() == 4  # restricted (him and his son), marked paid, restored
    told = [m.text for m in world.harness.emulator.messages(IVANOV)]
    assert any("2026/10/1" in text and "отмечен оплаченным" in text for text in told), told
    ivanov = world.harness.chat(IVANOV)
    shown = (await ivanov.press("📄 2026/10/1", (await ivanov.send("/invoices"))[0]))[0]
    assert rub("Оплачено 0,80 ₽ вне бота") in shown.text.replace("<b>", "").replace("</b>", "")

    # A second press on the plan does nothing more
    answer = await chat.press_forged(plan, MoneyStepCb(step="do").pack())
    assert answer["text"] == STALE_RU
    assert len(await audit(world, "invoice.marked_paid")) == 1


async def test_an_invoice_cancelled_in_english_leaves_the_totals_and_a_changed_one_is_refused(both) -> None:
    world = both
    await overdue(world)
    chat, tab = await money_tab(world, ADMIN, language_code="en")
    card = (await chat.press("🧾 2026/10/3", tab))[0]
    assert "Invoice No. 2026/10/3" in card.text and "overdue" in card.text
    await chat.press("Cancel the invoice", card)
    plan = (await chat.send("billed twice by the clinic"))[0]
    assert "2026/10/3: ⚠️ overdue → ✖️ cancelled, ₽400.00" in plan.text and "Reason: billed twice" in plan.text
    done = (await chat.press(YES_EN, plan))[0]
    assert "Invoice cancelled (₽400.00 no longer owed)" in done.text and "billed twice by the clinic" in done.text
    row = await invoice_row(world, "2026/10/3")
    assert (row.status, row.cancel_reason, row.paid_kopecks) == ("cancelled", "billed twice by the clinic", 0)
    assert row.cancelled_at is not None
    assert [a[0] for a in await audit(world, "invoice.cancelled")] == ["invoice.cancelled"]
    (notice,) = await world.notices("invoice_cancelled")
    assert notice["invoice"] == "2026/10/3" and notice["amount"] == 40000
    son = await invoice_row(world, "2026/10/3")
    async with world.harness.engine.connect() as conn:
        still = await conn.scalar(
            select(AccessRestriction.restored_on).where(AccessRestriction.person_id == son.person_id)
        )
    assert still is not None  # his only overdue invoice is gone: access restored at once

    # The plan shown, then the invoice paid meanwhile: nothing is done
    card = (await chat.press("🧾 2026/10/1", (await money_tab(world, ADMIN, language_code="en"))[1]))[0]
    await chat.press("Mark paid offline", card)
    plan = (await chat.send("cash at the desk"))[0]
    async with world.harness.engine.begin() as conn:
        await conn.execute(update(Invoice).where(Invoice.number == "2026/10/1").values(status="pending"))
    refused = (await chat.press(YES_EN, plan))[0]
    assert "Nothing was done: the invoices changed" in refused.text
    row = await invoice_row(world, "2026/10/1")
    assert (row.status, row.offline_reference) == ("pending", None)
    assert await audit(world, "invoice.marked_paid") == []


# --- refunds -------------------------------------------------------------------------------------------------


async def paid(world: Paying) -> str:
    """Иванов pays 2026/10/3 (400.00 ₽) through the bot; the payment's id at YooKassa."""
    await select_and_pay(world, "2026/10/3")
    payment = world.the_payment()
    await world.kassa.pay(payment["id"])
    assert await world.statuses("2026/10/3") == ["paid"]
    return payment["id"]


async def test_a_refund_in_part_then_in_full_reaches_yookassa_once_per_confirmation(both) -> None:
    world = both
    await paid(world)
    chat, tab = await money_tab(world, ADMIN)
    card = (await chat.press("💳 № 1", tab))[0]
    assert "Платёж № 1" in card.text and rub("можно вернуть ещё 400,00 ₽") in card.text
    prompt = (await chat.press("Вернуть часть", card))[0]
    assert rub("Не больше 400,00 ₽") in prompt.text
    assert "больше, чем осталось" in (await chat.send("400,01"))[0].text  # refused, the draft waits
    assert "не сумма" in (await chat.send("сто"))[0].text
    plan = (await chat.send("150,50"))[0]
    assert "2026/10/3: ✅ оплачен → ✅ оплачен, " + rub("150,50 ₽") in plan.text
    done = (await chat.press(YES_RU, plan))[0]
    again = await chat.press_forged(plan, MoneyStepCb(step="do").pack())  # the double press: nothing
    assert again["text"] == STALE_RU
    assert len(refund_posts(world)) == 1
    assert rub("Возврат 150,50 ₽") in done.text
    row = await invoice_row(world, "2026/10/3")
    assert (row.status, row.refunded_kopecks) == ("paid", 15050)

    card = (await chat.press("💳 № 1", (await money_tab(world, ADMIN))[1]))[0]
    plan = (await chat.press("Вернуть всё, что осталось", card))[0]
    assert "2026/10/3: ✅ оплачен → ↩️ деньги возвращены, " + rub("249,50 ₽") in plan.text
    await chat.press(YES_RU, plan)
    assert len(refund_posts(world)) == 2
    row = await invoice_row(world, "2026/10/3")
    assert (row.status, row.refunded_kopecks) == ("refunded", 40000)
    assert [a[0] for a in await audit(world, "refund.requested", "refund.succeeded")] == [
        "refund.requested",
        "refund.succeeded",
        "refund.requested",
        "refund.succeeded",
    ]
    assert [n["amount"] for n in await world.notices("payment_refunded")] == [15050, 24950]


async def test_a_refund_whose_answer_is_lost_is_asked_again_after_a_restart_and_made_once(both) -> None:
    world = both
    await paid(world)
    chat, tab = await money_tab(world, ADMIN)
    card = (await chat.press("💳 № 1", tab))[0]
    plan = (await chat.press("Вернуть всё, что осталось", card))[0]
    world.kassa.notify_url = None  # its notification waits
    world.kassa.delay_next["create_refund"] = 1.5  # made at YooKassa, its answer lost
    done = (await chat.press(YES_RU, plan))[0]
    assert "отправлен в ЮKassa" in done.text and len(world.kassa.refunds) == 1
    assert await world.statuses("2026/10/3") == ["paid"]
    await asyncio.sleep(1.2)
    await world.restart()  # the bot dies and starts again; the job asks YooKassa with the stored key
    async with world.harness.engine.begin() as conn:
        await conn.execute(update(Refund).values(created_at=world.harness.container.clock.now() - timedelta(minutes=2)))
    assert (await world.harness.container.payments.read_back_stale()).refunds == 1
    first, second = refund_posts(world)
    assert first.idempotence_key == second.idempotence_key and first.body == second.body
    (made,) = world.kassa.refunds.values()  # one refund at YooKassa
    assert await world.statuses("2026/10/3") == ["refunded"]
    assert await world.kassa.notify("refund.succeeded", made["id"]) == 200  # late: recorded once
    assert len(await world.notices("payment_refunded")) == 1
    assert len(await audit(world, "refund.succeeded")) == 1


# --- anomalies of the queue ------------------------------------------------------------------------------------


async def mismatched(world: Paying) -> None:
    """Иванов's payment of 2026/10/3 reported by YooKassa with another amount: an anomaly for staff."""
    await select_and_pay(world, "2026/10/3")
    payment = world.the_payment()
    payment["amount"] = {"value": "399.00", "currency": "RUB"}
    await world.kassa.pay(payment["id"])
    assert await world.statuses("2026/10/3") == ["pending"]


async def anomaly_card(world: Paying, chat):
    queue = (await chat.send("/queue"))[0]
    item = (await chat.press("№ 1", queue))[0]
    return (await chat.press("Платёж и действия с деньгами", item))[0]


async def test_an_anomaly_settled_by_marking_its_invoices_paid_leaves_the_queue(both) -> None:
    world = both
    await mismatched(world)
    chat = world.harness.chat(ADMIN)
    card = await anomaly_card(world, chat)
    assert "Аномалия ждёт в очереди: amount_mismatch" in card.text
    assert [b["text"] for b in card.buttons() if b["callback_data"].startswith("dm:")] == [
        "✅ Отметить оплаченным вне бота",
        "🗂 Закрыть аномалию с комментарием",
    ]
    await chat.press("Отметить оплаченным", card)
    plan = (await chat.send("платёж 1 в ЮKassa, сверено по реестру"))[0]
    assert "2026/10/3: ⏳ оплачивается → ✅ оплачен, " + rub("400,00 ₽") in plan.text
    await chat.press(YES_RU, plan)
    row = await invoice_row(world, "2026/10/3")
    assert (row.status, row.paid_how, row.paid_kopecks) == ("paid", "offline", 40000)
    assert await audit(world, "anomaly.settled") == [("anomaly.settled", ADMIN, "1", "paid")]
    assert len(await world.notices("invoice_marked_paid")) == 1
    assert not [b for b in (await chat.send("/queue"))[0].buttons() if "№ 1" in b["text"]]


async def test_an_anomaly_dismissed_with_a_comment_changes_no_money(both) -> None:
    world = both
    await mismatched(world)
    chat = world.harness.chat(ADMIN, language_code="en")
    queue = (await chat.send("/queue"))[0]
    item = (await chat.press("№ 1", queue))[0]
    card = (await chat.press("The payment and its money actions", item))[0]
    await chat.press("Dismiss the anomaly", card)
    plan = (await chat.send("checked in the YooKassa dashboard"))[0]
    assert "No invoice and no money changes" in plan.text
    done = (await chat.press(YES_EN, plan))[0]
    assert "Anomaly dismissed" in done.text and "Anomaly closed: amount_mismatch" in done.text
    assert await world.statuses("2026/10/3") == ["pending"]
    async with world.harness.engine.connect() as conn:
        claim = (await conn.execute(select(DeskClaim.comment, DeskClaim.closed_at))).one()
    assert claim.comment == "checked in the YooKassa dashboard" and claim.closed_at is not None
    assert [a[0] for a in await audit(world, "anomaly.dismissed")] == ["anomaly.dismissed"]


# --- support is refused ---------------------------------------------------------------------------------------


async def test_support_sees_no_money_action_and_is_refused_in_core_and_by_forged_buttons(both) -> None:
    world = both
    await overdue(world)
    await paid_after_overdue(world)
    chat, tab = await money_tab(world, SUPPORT)
    card = (await chat.press("🧾 2026/10/1", tab))[0]
    assert "Счёт № 2026/10/1" in card.text
    assert not [b for b in card.buttons() if b["callback_data"].startswith("dm:")]
    payment = (await chat.press("💳 № 1", (await money_tab(world, SUPPORT))[1]))[0]
    assert not [b for b in payment.buttons() if b["callback_data"].startswith("dm:")]
    invoice_id = (await invoice_row(world, "2026/10/1")).id
    forged = [
        MoneyCb(action=MoneyAction.MARK_PAID, on="i", item_id=invoice_id),
        MoneyCb(action=MoneyAction.CANCEL, on="i", item_id=invoice_id),
        MoneyCb(action=MoneyAction.REFUND, on="p", item_id=1, full=True),
        MoneyCb(action=MoneyAction.DISMISS, on="p", item_id=1),
        MoneyStepCb(step="do"),
    ]
    for data in forged:
        assert (await chat.press_forged(card, data.pack()))["text"] == STALE_RU
    money = world.harness.container.money
    for action, target in (
        (MoneyAction.MARK_PAID, {"invoice_id": invoice_id}),
        (MoneyAction.CANCEL, {"invoice_id": invoice_id}),
        (MoneyAction.REFUND, {"payment_id": 1}),
        (MoneyAction.DISMISS, {"payment_id": 1}),
    ):
        with pytest.raises(Forbidden):
            await money.plan(SUPPORT, action, **target)
        with pytest.raises(Forbidden):
            await money.apply(SUPPORT, action, [], **target)
    with pytest.raises(Forbidden):
        await world.harness.container.payments.refund(SUPPORT, 1, 100)
    assert refund_posts(world) == []
    assert await world.statuses("2026/10/1", "2026/10/3") == ["overdue", "paid"]
    # A user's forged money buttons: the same alert
    user = world.harness.chat(IVANOV)
    menu = (await user.send("/menu"))[0]
    assert (await user.press_forged(menu, forged[0].pack()))["text"] == STALE_RU


async def paid_after_overdue(world: Paying) -> None:
    """Иванов pays his son's overdue 2026/10/3 through the bot (payment No. 1)."""
    await select_and_pay(world, "2026/10/3", chat=world.harness.chat(IVANOV))
    await world.kassa.pay(world.the_payment()["id"])
    assert await world.statuses("2026/10/3") == ["paid"]
