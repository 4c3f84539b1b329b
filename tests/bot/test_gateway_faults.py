"""The outside services failing, one test per fault, reached over real HTTP (and SMTP) on loopback through the
emulators' fault switches: the SMS gateway and SMTP (an error, a dropped connection, too slow), YooKassa (an
error, a dropped connection before or after it acted, too slow) and Telegram under the outbox sender (5xx, a
dropped connection, 429 with retry_after). What each proves is listed in SECURITY.md ("Payments and gateways
under faults"); the faults proven elsewhere are named there too."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db.models import OutboxMessage, Refund
from core.gateways import DEFAULT_TIMEOUT
from tests.bot.cabinet_fixtures import import_samples
from tests.bot.payment_fixtures import Paying, issue_samples, paying
from tests.bot.test_outbox_delivery import insert_notices, make_sender, open_chats, received, run_until_delivered
from tests.bot.test_payment_incidents import age, paid_invoice, posts
from tests.bot.test_payments import select_and_pay
from tests.bot.test_registration import by_email_instead, by_policy, enter_sms_code
from tests.harness import BotHarness

IVANOV_PHONE = "+79161000001"
SEMENOVA_EMAIL = "semenova@example.ru"


@pytest.fixture
async def h(harness: BotHarness) -> BotHarness:
    await harness.load_samples()
    return harness


@pytest.fixture
async def h_pg(harness_pg_redis: BotHarness) -> BotHarness:
    """The production tier: the codes and their counters in Redis, the rest in PostgreSQL."""
    await harness_pg_redis.load_samples()
    return harness_pg_redis


@pytest.fixture(params=["sqlite", "postgres"])
def tiers_h(request: pytest.FixtureRequest) -> BotHarness:
    return request.getfixturevalue("h" if request.param == "sqlite" else "h_pg")


@asynccontextmanager
async def paying_world(emulator, sms_gateway, smtp_sink, database_url: str, **overrides) -> AsyncIterator[Paying]:
    """A bot taking payments, its YooKassa calls timing out after half a second."""
    async with paying(emulator, sms_gateway, smtp_sink, database_url, yookassa_timeout=0.5, **overrides) as world:
        await import_samples(world.harness.engine)
        await issue_samples(world.harness)
        yield world


@pytest.fixture
async def world(emulator, sms_gateway, smtp_sink, sqlite_url):
    async with paying_world(emulator, sms_gateway, smtp_sink, sqlite_url) as world:
        yield world


@pytest.fixture
async def world_pg(emulator, sms_gateway, smtp_sink, postgres_url, redis_url):
    async with paying_world(emulator, sms_gateway, smtp_sink, postgres_url, redis_url=redis_url) as world:
        yield world


@pytest.fixture(params=["sqlite", "postgres"])
def tiers_world(request: pytest.FixtureRequest) -> Paying:
    return request.getfixturevalue("world" if request.param == "sqlite" else "world_pg")


# --- the SMS gateway and SMTP: the user told, the code sent again at once (no cooldown spent)


async def sms_code_refused_then_resent(h: BotHarness, user: int) -> None:
    chat = h.chat(user)
    await by_policy(chat, "123/14", "Иванов", "Иван", "Иванович", "15.03.1985")
    replies = await chat.send(IVANOV_PHONE)
    assert "Сервис SMS сейчас не отвечает" in replies[-1].text and h.sms.messages == []
    h.sms.fail, h.sms.delay = None, 0.0
    await chat.press("Отправить код ещё раз")
    assert "Готово" in "".join(m.text for m in await enter_sms_code(h, chat, IVANOV_PHONE))


async def email_code_refused_then_resent(h: BotHarness, user: int) -> None:
    chat = h.chat(user)
    await by_policy(chat, "АМ012345681/13", "Семенова", "Алена", "Петровна", "30.05.1992")
    await chat.send("+7 999 123-45-67")
    replies = await by_email_instead(chat, SEMENOVA_EMAIL)
    assert "Почтовый сервис сейчас не отвечает" in replies[-1].text and h.smtp.messages == []
    h.smtp.fail, h.smtp.delay = None, 0.0
    await chat.press("Отправить код ещё раз")
    assert "письмо с кодом" in chat.last.text and len(h.smtp.bodies(SEMENOVA_EMAIL)) == 1


@pytest.mark.parametrize("fault", ["http", "reset"])
async def test_sms_gateway_failing_tells_the_user_and_the_code_is_sent_again_at_once(tiers_h, fault) -> None:
    """On both tiers: the withdrawn code's cooldown and daily count are the database's, or Redis's."""
    tiers_h.sms.fail = fault  # HTTP 500, or the connection dropped without an answer
    await sms_code_refused_then_resent(tiers_h, 2001)


@pytest.mark.parametrize("fault", ["unavailable", "reset"])
async def test_smtp_failing_tells_the_user_and_the_code_is_sent_again_at_once(h, fault) -> None:
    h.smtp.fail = fault  # 421 "service not available", or the connection dropped
    await email_code_refused_then_resent(h, 2002)


async def test_sms_gateway_and_smtp_slower_than_their_timeout_tell_the_user(h) -> None:
    """Both gateways take longer than the client's timeout (10 s, not a setting): the codes are withdrawn, the
    users told, the next press sends at once. The two dialogs run side by side, so the test waits 10 s once."""
    h.sms.delay = h.smtp.delay = DEFAULT_TIMEOUT + 1
    loop = asyncio.get_running_loop()
    started = loop.time()
    await asyncio.gather(sms_code_refused_then_resent(h, 2003), email_code_refused_then_resent(h, 2004))
    assert loop.time() - started < 2 * DEFAULT_TIMEOUT  # each waited out its own timeout, side by side


# --- YooKassa: retried with the same body and key, or read back; one payment, one refund; the payer told


async def assert_one_payment_after_retry(world) -> None:
    chat, screen = await select_and_pay(world, "2026/10/3")
    assert "не ответил" in screen.text and await world.statuses("2026/10/3") == ["pending"]
    screen = (await chat.press("Повторить", screen))[-1]
    assert "Платёж № 1" in screen.text and any(b.get("url") for b in screen.buttons())
    assert len(world.kassa.payments) == 1
    first, second = posts(world, "/payments")
    assert first.body == second.body and first.idempotence_key == second.idempotence_key


@pytest.mark.parametrize("fault", [500, "reset", "reset_after"])
async def test_yookassa_failing_to_create_a_payment_is_retried_with_the_same_request(tiers_world, fault) -> None:
    """500 and a drop before acting: nothing made, the retry makes it; a drop after acting: the retry finds it.
    On both tiers (the payment's key and request stored in SQLite, or PostgreSQL)."""
    tiers_world.kassa.fail_next["create_payment"] = fault
    await assert_one_payment_after_retry(tiers_world)


async def test_yookassa_slower_than_the_timeout_is_retried_with_the_same_request(world) -> None:
    world.kassa.delay_next["create_payment"] = 10.0  # made at once, its answer held 10 s: the bot gave up at 0.5 s
    await assert_one_payment_after_retry(world)


@pytest.mark.parametrize("fault", [500, "reset", "reset_after", "slow"])
async def test_yookassa_failing_to_refund_is_retried_with_the_same_request_and_refunds_once(world, fault) -> None:
    await paid_invoice(world)
    world.kassa.notify_url = None  # no notification: the retry alone must settle it
    if fault == "slow":
        world.kassa.delay_next["create_refund"] = 10.0
    else:
        world.kassa.fail_next["create_refund"] = fault
    result = await world.harness.container.payments.refund(9001, 1, 40000)
    assert result.refund.status == "pending"  # staff are shown it under way, not refused
    await age(world, Refund, timedelta(minutes=2))
    assert (await world.harness.container.payments.read_back_stale()).refunds == 1
    first, second = posts(world, "/refunds")
    assert first.body == second.body and first.idempotence_key == second.idempotence_key
    (made,) = world.kassa.refunds.values()
    async with world.harness.engine.connect() as conn:
        assert (await conn.execute(select(Refund.status, Refund.provider_id))).one() == ("succeeded", made["id"])
    assert await world.statuses("2026/10/3") == ["refunded"]
    assert len(await world.notices("payment_refunded")) == 1


# --- Telegram under the outbox sender: retried, nothing lost or doubled, the pace honoured


async def test_telegram_dropping_connections_under_the_sender_loses_nothing(harness) -> None:
    emulator = harness.emulator
    recipients = list(range(630_001, 630_011))
    open_chats(emulator, recipients)
    await insert_notices(harness.engine, recipients)
    emulator.reset_sends(3)  # three sends get no answer at all: backed off, tried again, not counted
    await run_until_delivered(harness, make_sender(harness, backoff=0.2), recipients, len(recipients), timeout=20)
    assert sorted(received(emulator, recipients)) == list(range(1, 11))  # each once
    async with harness.engine.connect() as conn:
        assert set((await conn.execute(select(OutboxMessage.attempts))).scalars()) == {0}


async def test_telegram_answering_429_pauses_the_sender_for_the_retry_after(harness) -> None:
    emulator = harness.emulator
    recipients = list(range(640_001, 640_006))
    open_chats(emulator, recipients)
    await insert_notices(harness.engine, recipients)
    loop = asyncio.get_running_loop()
    sends: list[float] = []
    emulator.on_change.append(lambda message, change: sends.append(loop.time()))
    emulator.fail_sends(1, status=429, description="Too Many Requests: retry after 2", retry_after=2)
    started = loop.time()
    await run_until_delivered(harness, make_sender(harness), recipients, len(recipients), timeout=20)
    assert min(sends) - started >= 2.0  # nothing went out before the retry_after ran out
    assert sorted(received(emulator, recipients)) == list(range(1, 6))
    async with harness.engine.connect() as conn:
        assert set((await conn.execute(select(OutboxMessage.attempts))).scalars()) == {0}
