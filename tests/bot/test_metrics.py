"""GET /metrics: the Prometheus text format behind METRICS_TOKEN, served by the bot's own HTTP side
(`create_web`) on loopback, after a small scenario through the real dispatcher and the emulators."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import date

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.middlewares.metrics import UpdateMetrics
from core.desk.stats import Figures, InvoiceFigures, Tally, week_of
from core.infra.metrics import Metrics
from core.settings import ConfigError, load_settings
from tests.bot.cabinet_fixtures import IVANOV, SHMOLINA, cabinet_chat, import_samples
from tests.bot.payment_fixtures import Paying, issue_samples, paying

TOKEN = "metrics-token-0123456789abcdef"
PATIENT = 60.0  # seconds: a database that answers at all answers within this, however busy the machine


async def get_metrics(world: Paying, authorization: str | None = f"Bearer {TOKEN}") -> tuple[int, str, str]:
    port = world.runner.addresses[0][1]
    headers = {"Authorization": authorization} if authorization is not None else {}
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}/metrics", headers=headers) as response,
    ):
        return response.status, response.headers.get("Content-Type", ""), await response.text()


def samples(body: str) -> dict[str, list]:
    """Family name → its samples (a counter's family is named without `_total`)."""
    return {family.name: family.samples for family in text_string_to_metric_families(body)}


def value(found: dict[str, list], sample_name: str, **labels: str) -> float:
    family = sample_name.removesuffix("_total").removesuffix("_count").removesuffix("_sum")
    return sum(s.value for s in found[family] if s.name == sample_name and labels.items() <= s.labels.items())


@pytest.fixture
async def world(emulator, sms_gateway, smtp_sink, sqlite_url):
    async with paying(emulator, sms_gateway, smtp_sink, sqlite_url, metrics_token=TOKEN) as world:
        await import_samples(world.harness.engine)
        await issue_samples(world.harness)
        yield world


async def scenario(world: Paying) -> None:
    """/menu, an unknown command, button presses, a payment paid through the YooKassa emulator (its notice
    left pending in the outbox), an update nobody handles and a handler that fails."""
    harness = world.harness
    chat = await cabinet_chat(harness, IVANOV)
    assert (await chat.send("/menu"))[0].text
    assert (await chat.send("/no_such_command"))[0].text
    listing = (await chat.send("/invoices"))[0]
    listing = (await chat.press("Выбрать 2026/10/3", listing))[0]
    await chat.press("💳 Оплатить", listing)
    payment = world.the_payment()
    await world.kassa.pay(payment["id"])
    assert world.kassa.notifications[-1] == ("payment.succeeded", payment["id"], 200)

    edited = {
        "update_id": 900_000_001,
        "edited_message": {
            "message_id": 1,
            "date": 1_790_000_000,
            "edit_date": 1_790_000_001,
            "text": "поправил",
            "chat": {"id": SHMOLINA, "type": "private", "first_name": "Елена"},
            "from": {"id": SHMOLINA, "is_bot": False, "first_name": "Елена"},
        },
    }
    await harness.feed(edited, SHMOLINA)

    async with harness.engine.begin() as connection:
        # /requests fails on a column it reads; the scrape's counts of requests read none of it.
        await connection.execute(text("ALTER TABLE user_requests RENAME COLUMN preferred_time TO gone"))
    replies = await chat.send("/requests", expect_error=True)
    assert "Код обращения" in replies[0].text

    metrics = harness.container.metrics
    with metrics.job("billing_daily"):
        await harness.container.billing.run_daily()
    with pytest.raises(RuntimeError), metrics.job("reminders"):
        raise RuntimeError("a job that fails")


async def test_metrics_after_a_scenario(world: Paying) -> None:
    await scenario(world)
    status, content_type, body = await get_metrics(world)
    assert status == 200 and content_type.startswith("text/plain")
    found = samples(body)

    assert value(found, "dmsbot_updates_total", update_type="message", handler="common.menu") == 1
    assert value(found, "dmsbot_updates_total", update_type="message", handler="unknown.unknown_command") == 1
    assert value(found, "dmsbot_updates_total", update_type="callback_query") == 2
    assert value(found, "dmsbot_updates_total", update_type="edited_message", handler="unhandled") == 1
    assert value(found, "dmsbot_update_duration_seconds_count", update_type="message") >= 4
    assert value(found, "dmsbot_update_duration_seconds_count", update_type="callback_query") == 2
    assert value(found, "dmsbot_update_duration_seconds_sum", update_type="message") > 0
    assert value(found, "dmsbot_update_errors_total", update_type="message") == 1
    assert value(found, "dmsbot_update_errors_total", update_type="callback_query") == 0
    assert value(found, "dmsbot_database_up") == 1
    assert value(found, "dmsbot_outbox_pending") >= 1
    assert value(found, "dmsbot_outbox_oldest_pending_age_seconds") > 0
    assert value(found, "dmsbot_payments", status="succeeded") == 1
    assert value(found, "dmsbot_payments", status="pending") == 0
    assert {s.labels["status"] for s in found["dmsbot_payments"]} == {"pending", "succeeded", "canceled", "failed"}
    assert value(found, "dmsbot_jobs_run_total", job="billing_daily") == 1
    assert value(found, "dmsbot_jobs_run_total", job="reminders") == 1
    assert value(found, "dmsbot_jobs_failed_total", job="reminders") == 1
    assert value(found, "dmsbot_jobs_failed_total", job="billing_daily") == 0

    # Labels are bounded sets: never a Telegram id (nor a chat id, a name or a phone).
    label_values = {v for family in found.values() for s in family for v in s.labels.values()}
    for user_id in (str(IVANOV), str(SHMOLINA)):
        assert not any(user_id in label for label in label_values), label_values
    assert not any(name in body for name in ("Иванов", "Елена", "79161000001"))

    # The outbox notice is delivered: the backlog shrinks at the next scrape once the figures read are no
    # longer fresh (none are here), no restart needed.
    pending = value(found, "dmsbot_outbox_pending")
    assert await world.deliver() >= 1
    world.harness.container.metrics.fresh_for = 0
    assert value(samples((await get_metrics(world))[2]), "dmsbot_outbox_pending") < pending


@pytest.mark.parametrize(
    "authorization", [None, "", "Bearer", "Bearer wrong-token-0123456789", f"Basic {TOKEN}", f"Bearer {TOKEN}x", TOKEN]
)
async def test_without_the_token_401(world: Paying, authorization: str | None) -> None:
    status, _, body = await get_metrics(world, authorization)
    assert status == 401 and "dmsbot" not in body


async def test_the_scheme_is_case_insensitive(world: Paying) -> None:
    assert (await get_metrics(world, f"bearer {TOKEN}"))[0] == 200


async def test_metrics_off_without_the_token_404(emulator, sms_gateway, smtp_sink, sqlite_url) -> None:
    async with paying(emulator, sms_gateway, smtp_sink, sqlite_url) as world:
        assert (await get_metrics(world))[0] == 404
        assert (await get_metrics(world, None))[0] == 404
        # Off costs nothing per update: the middleware is not even installed.
        assert not any(isinstance(m, UpdateMetrics) for m in world.harness.dp.update.outer_middleware)


async def test_the_database_down_still_scrapes(world: Paying, caplog) -> None:
    chat = await cabinet_chat(world.harness, IVANOV)
    await chat.send("/menu")
    async with world.harness.engine.begin() as connection:
        await connection.execute(text("DROP TABLE outbox"))
    with caplog.at_level(logging.WARNING, logger="core.infra.metrics"):
        status, _, body = await get_metrics(world)
    assert status == 200
    found = samples(body)
    assert value(found, "dmsbot_database_up") == 0
    assert "dmsbot_outbox_pending" not in found and "dmsbot_payments" not in found
    assert value(found, "dmsbot_updates_total", handler="common.menu") == 1
    assert "metrics: the database did not answer (OperationalError)" in caplog.text
    assert "outbox" not in caplog.text  # the type only, not the driver's message


async def test_a_slow_database_is_given_up_after_the_timeout(
    emulator, sms_gateway, smtp_sink, postgres_url, caplog
) -> None:
    """No race with the machine's speed: a healthy database is given all the time it needs, and the slow one
    is a locked table, which no read gets through until the test releases it."""
    async with paying(emulator, sms_gateway, smtp_sink, postgres_url, metrics_token=TOKEN) as world:
        metrics = world.harness.container.metrics
        metrics.query_timeout, metrics.fresh_for = PATIENT, 0  # every scrape reads: no figures kept
        assert value(samples((await get_metrics(world))[2]), "dmsbot_database_up") == 1
        locker = create_async_engine(postgres_url)
        try:
            async with locker.connect() as connection:
                transaction = await connection.begin()
                await connection.execute(text("LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE"))
                metrics.query_timeout = 0.5
                started = time.monotonic()
                with caplog.at_level(logging.WARNING, logger="core.infra.metrics"):
                    # Answered while the lock is still held: the read was given up (without the timeout
                    # it would wait for the lock for ever; `PATIENT` only turns that into a failure).
                    status, _, body = await asyncio.wait_for(get_metrics(world), PATIENT)
                assert status == 200 and time.monotonic() - started >= metrics.query_timeout
                assert value(samples(body), "dmsbot_database_up") == 0
                assert "did not answer (TimeoutError)" in caplog.text
                await transaction.rollback()
        finally:
            await locker.dispose()
        metrics.query_timeout = PATIENT
        assert value(samples((await get_metrics(world))[2]), "dmsbot_database_up") == 1


def test_each_container_has_its_own_registry() -> None:
    first, second = Metrics(), Metrics()  # the same names twice in one process: no collision
    first.jobs_run.labels(job="expiry").inc()
    assert first.registry.get_sample_value("dmsbot_jobs_run_total", {"job": "expiry"}) == 1
    assert second.registry.get_sample_value("dmsbot_jobs_run_total", {"job": "expiry"}) is None


def test_metrics_token_setting() -> None:
    assert load_settings(metrics_token="").metrics_token is None
    assert load_settings(metrics_token=TOKEN).metrics_token == TOKEN
    for bad in ("short", "with space in it 0123456789", "кириллица-0123456789abcdef"):
        with pytest.raises(ConfigError, match=r"^METRICS_TOKEN: "):
            load_settings(metrics_token=bad)


def figures_of(pending: int) -> Figures:
    empty = Tally()
    return Figures(
        week=week_of(date(2026, 11, 21)),
        registered=0,
        registrations={},
        refusals={},
        invoices=InvoiceFigures(),
        payments=empty,
        refunds=empty,
        disputes_open=0,
        disputes_late=0,
        requests_open=0,
        questions_open=0,
        outbox_pending=pending,
        outbox_oldest=None,
    )


async def test_scrapes_share_one_read_and_keep_its_figures_a_few_seconds() -> None:
    reads: list[int] = []
    release = asyncio.Event()

    async def read() -> Figures:
        reads.append(len(reads))
        await release.wait()
        return figures_of(len(reads))

    metrics = Metrics(read, query_timeout=0.05, fresh_for=3600)
    # A slow read: the scrapes give up waiting (database_up 0), and share it rather than start one each.
    assert await asyncio.gather(*(metrics.read_database() for _ in range(3))) == [None] * 3
    assert await metrics.read_database() is None
    assert reads == [0]
    release.set()
    metrics.query_timeout = PATIENT
    # The read finished in the background: its figures serve the next scrapes, with no read more.
    assert (await metrics.read_database()).outbox_pending == 1
    assert (await metrics.read_database()).outbox_pending == 1
    assert reads == [0]
    metrics.fresh_for = 0  # kept no longer: the next scrape reads again
    assert (await metrics.read_database()).outbox_pending == 2
    metrics.close()
