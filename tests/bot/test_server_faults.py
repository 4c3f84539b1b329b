"""The servers going away: PostgreSQL for 30 s, Redis; the bot, its webhook, `/healthz` and the worker.

PostgreSQL goes away twice: a throwaway cluster of the test's own killed and started again, and a loopback
proxy (`tests/servers.py`) in front of its own database cut (every connection reset, new ones refused, as
a network gone). Redis is a throwaway `redis-server` behind such a proxy, on SQLite and on PostgreSQL. The
machine's shared servers are never touched. A replica is a `BotApp` serving its webhook on loopback, as
`python -m bot run` does (`tests/bot/test_webhook_replicas.py`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.web.telegram_webhook import SECRET_HEADER
from core.db.engine import create_engine
from core.db.migrate import upgrade
from emulators.telegram import SentMessage, TelegramEmulator, TgUser
from tests.bot.cabinet_fixtures import IVANOV, ivanov_in_english
from tests.bot.test_outbox_delivery import insert_notices, received
from tests.bot.test_webhook_replicas import SECRET, TOKEN, Replica, WebhookChat, replica, settle
from tests.conftest import fresh_postgres_database
from tests.servers import postgres_cluster, proxy_to, redis_server

OUTAGE_SECONDS = 30
CUT_SECONDS = 3
IVAN_EN = TgUser(id=IVANOV, first_name="Ivan", language_code="ru")  # chose English in the bot
NEWCOMER = TgUser(id=7101, first_name="Пётр", language_code="ru")
UNAVAILABLE = {"ru": "временно недоступен", "en": "temporarily unavailable"}


async def post(http: aiohttp.ClientSession, r: Replica, update: dict, emulator: TelegramEmulator) -> int:
    """As Telegram posts an update, and performs the Bot API call the answer may carry (/menu's)."""
    async with http.post(r.url, json=update, headers={SECRET_HEADER: SECRET}) as response:
        answer = await response.json() if response.content_type == "application/json" else {}
        status = response.status
    if answer:
        await emulator.perform(answer, int(TOKEN.split(":")[0]))
    return status


class Chat(WebhookChat):
    async def feed(self, update: dict) -> list[SentMessage]:
        before = self._seen()
        assert await post(self.http, self.replicas[0], update, self.emulator) == 200
        await settle(self.replicas)
        return [m for m in self.emulator.messages(self.user.id) if (m.message_id, m.edits, m.deleted) not in before]


def health_url(r: Replica) -> str:
    return r.url.rsplit("/", 2)[0] + "/healthz"


async def health_within(http: aiohttp.ClientSession, r: Replica, status: int, bound: float = 1.0) -> float:
    """Seconds until `/healthz` answers `status`; fails past `bound`."""
    started = time.monotonic()
    while True:
        async with http.get(health_url(r)) as response:
            if response.status == status:
                return time.monotonic() - started
        assert time.monotonic() - started < bound, f"/healthz did not turn {status} within {bound} s"
        await asyncio.sleep(0.02)


def jobs_run(r: Replica, job: str) -> float:
    return r.app.container.metrics.registry.get_sample_value("dmsbot_jobs_run_total", {"job": job}) or 0.0


async def postgres_away(
    emulator: TelegramEmulator,
    sms_gateway,
    smtp_sink,
    database_url: str,
    redis_url: str,
    *,
    away: Callable[[], Awaitable[object]],
    back: Callable[[], Awaitable[object]],
    outage: float,
) -> tuple[float, float]:
    """The database goes `away` for `outage` seconds and comes `back`: users are told briefly, in their
    language, and the bot and the worker recover by themselves. /healthz's seconds to 503 and back to 200."""
    async with (
        replica(emulator, sms_gateway, smtp_sink, database_url, redis_url) as r,
        aiohttp.ClientSession() as http,
    ):
        worker = r.app.worker
        worker.leadership.heartbeat = 1.0  # a lost lock is seen within a second or two, not five
        worker.start()
        await asyncio.wait_for(worker.active.wait(), 20)
        # Every read of a viewer goes to the database, as after the cache's TTL: while it is away, the
        # language comes from the viewer last read (an expired entry still knows it).
        r.app.container.viewers.ttl = 0
        ivan = Chat(emulator, IVAN_EN, [r], http)
        newcomer = Chat(emulator, NEWCOMER, [r], http)
        assert "Main menu" in (await ivan.send("/menu"))[-1].text
        await wait_for_jobs(r, "expiry", 1)

        await away()
        cut_at = time.monotonic()
        went_down = await health_within(http, r, 503)
        # Every update is answered 200 (handled: the user is told), in the user's language.
        assert UNAVAILABLE["en"] in (await ivan.send("/menu"))[-1].text
        assert UNAVAILABLE["en"] in (await ivan.press("My policies"))[-1].text
        assert UNAVAILABLE["ru"] in (await newcomer.send("/start"))[-1].text
        await asyncio.wait_for(until_cleared(worker.active), 10)  # the worker stepped down
        runs_before = jobs_run(r, "expiry")
        await asyncio.sleep(max(0.0, outage - (time.monotonic() - cut_at)))
        assert UNAVAILABLE["ru"] in (await newcomer.send("/start"))[-1].text  # still away at the end

        await back()
        came_back = await health_within(http, r, 200)
        assert "Main menu" in (await ivan.send("/menu"))[-1].text
        assert "персональных данных" in (await newcomer.send("/start"))[-1].text
        # The worker takes the lock again by itself and runs its jobs once more (a new leader's start).
        await asyncio.wait_for(worker.active.wait(), 15)
        await wait_for_jobs(r, "expiry", runs_before + 1)
    return went_down, came_back


async def test_postgres_stopped_for_30_s_users_told_briefly_and_everything_recovers_alone(
    emulator: TelegramEmulator, sms_gateway, smtp_sink, redis_url: str
) -> None:
    """The server itself goes: a throwaway cluster killed (`pg_ctl stop -m immediate`), started again 30 s
    later, recovering from its WAL."""
    async with postgres_cluster() as cluster:
        url = await cluster.create_database("dmsbot")
        await upgrade(url)
        await ivanov_in_english(url)
        went_down, came_back = await postgres_away(
            emulator,
            sms_gateway,
            smtp_sink,
            url,
            redis_url,
            away=lambda: cluster.stop("immediate"),
            back=cluster.start,
            outage=OUTAGE_SECONDS,
        )
    print(f"healthz: 503 after {went_down:.2f} s, 200 again after {came_back:.2f} s")


async def test_postgres_connections_cut_users_told_briefly_and_everything_recovers_alone(
    emulator: TelegramEmulator, sms_gateway, smtp_sink, redis_url: str
) -> None:
    """The network goes instead: every connection reset mid-stream by a proxy, new ones refused, for a few
    seconds (the 30 s are the test above's; nothing here depends on the length)."""
    async with fresh_postgres_database() as direct:
        await ivanov_in_english(direct)
        target = make_url(direct)
        async with proxy_to(target.host, target.port) as proxy:
            proxied = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
            went_down, came_back = await postgres_away(
                emulator,
                sms_gateway,
                smtp_sink,
                proxied,
                redis_url,
                away=proxy.cut,
                back=proxy.restore,
                outage=CUT_SECONDS,
            )
    print(f"healthz: 503 after {went_down:.2f} s, 200 again after {came_back:.2f} s")


async def until_cleared(event: asyncio.Event) -> None:
    while event.is_set():
        await asyncio.sleep(0.05)


async def wait_for_jobs(r: Replica, job: str, runs: float, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while jobs_run(r, job) < runs:
        assert time.monotonic() < deadline, f"job {job} did not run"
        await asyncio.sleep(0.05)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")


async def notice_delivered(emulator: TelegramEmulator, engine: AsyncEngine, number: int) -> None:
    """A notice queued for the newcomer reaches the chat: the worker's outbox sender is at work."""
    await insert_notices(engine, [NEWCOMER.id], start=number)
    for _ in range(200):
        if number in received(emulator, [NEWCOMER.id]):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"notice {number} was not delivered")


async def test_redis_away_webhook_answers_503_the_redelivered_update_runs_exactly_once_and_the_worker_goes_on(
    emulator: TelegramEmulator, sms_gateway, smtp_sink, database_url: str, tmp_path: Path
) -> None:
    engine = create_engine(database_url)
    async with (
        redis_server(tmp_path) as server,
        proxy_to("127.0.0.1", server.port) as proxy,
        replica(emulator, sms_gateway, smtp_sink, database_url, f"redis://127.0.0.1:{proxy.port}/0") as r,
        aiohttp.ClientSession() as http,
    ):
        worker = r.app.worker
        if not r.app.settings.is_sqlite:  # on PostgreSQL, `python -m bot worker`'s: started here the same way
            worker.leadership.heartbeat = 1.0
            worker.start()
        await asyncio.wait_for(worker.active.wait(), 20)
        newcomer = Chat(emulator, NEWCOMER, [r], http)
        assert "персональных данных" in (await newcomer.send("/start"))[-1].text
        await notice_delivered(emulator, engine, 1)

        await proxy.cut()
        went_down = await health_within(http, r, 503)
        update = emulator.user_message(NEWCOMER, "/help")
        before = len(emulator.messages(NEWCOMER.id))
        assert await post(http, r, update, emulator) == 503  # Telegram keeps it and delivers it again later
        assert await post(http, r, update, emulator) == 503
        # The worker's lock is the database's: it stays the leader, and its sender delivers meanwhile.
        await notice_delivered(emulator, engine, 2)
        assert worker.active.is_set()
        before += 1
        assert len(emulator.messages(NEWCOMER.id)) == before  # the update did not run

        await proxy.restore()
        came_back = await health_within(http, r, 200)
        assert await post(http, r, update, emulator) == 200  # the redelivery is handled…
        assert await post(http, r, update, emulator) == 200  # …once: a further copy finds the claim
        for _ in range(100):
            if len(emulator.messages(NEWCOMER.id)) > before:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
        assert len(emulator.messages(NEWCOMER.id)) == before + 1
        await notice_delivered(emulator, engine, 3)
        assert worker.active.is_set() and received(emulator, [NEWCOMER.id]) == [1, 2, 3]
    await engine.dispose()
    print(f"healthz: 503 after {went_down:.2f} s, 200 again after {came_back:.2f} s")
