"""The servers going away: PostgreSQL for 30 s, Redis; the bot, its webhook, `/healthz` and the worker.

Each test puts a loopback proxy (`tests/servers.py`) in front of its own database or its own throwaway
`redis-server` and cuts it: every connection reset, new ones refused, as a server that went away. The
machine's shared servers are never touched. A replica is a `BotApp` serving its webhook on loopback, as
`python -m bot run` does (`tests/bot/test_webhook_replicas.py`).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import aiohttp
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.web.telegram_webhook import SECRET_HEADER
from core.db.engine import create_engine
from emulators.telegram import SentMessage, TelegramEmulator, TgUser
from tests.bot.cabinet_fixtures import IVANOV, import_samples, register
from tests.bot.test_webhook_replicas import SECRET, TOKEN, Replica, WebhookChat, replica, settle
from tests.conftest import fresh_postgres_database
from tests.servers import proxy_to, redis_server

OUTAGE_SECONDS = 30
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


async def test_postgres_away_for_30_s_users_told_briefly_and_everything_recovers_alone(
    emulator: TelegramEmulator, sms_gateway, smtp_sink, redis_url: str
) -> None:
    async with fresh_postgres_database() as direct:
        engine = create_engine(direct)
        try:
            await import_samples(engine)
            await register(engine, IVANOV, "123/14")
            async with engine.begin() as connection:
                await connection.execute(text(f"UPDATE accounts SET language = 'en' WHERE telegram_id = {IVANOV}"))
        finally:
            await engine.dispose()
        target = make_url(direct)
        async with proxy_to(target.host, target.port) as proxy:
            proxied = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
            async with (
                replica(emulator, sms_gateway, smtp_sink, proxied, redis_url) as r,
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

                await proxy.cut()
                cut_at = time.monotonic()
                went_down = await health_within(http, r, 503)
                # Every update is answered 200 (handled: the user is told), in the user's language.
                assert UNAVAILABLE["en"] in (await ivan.send("/menu"))[-1].text
                assert UNAVAILABLE["en"] in (await ivan.press("My policies"))[-1].text
                assert UNAVAILABLE["ru"] in (await newcomer.send("/start"))[-1].text
                await asyncio.wait_for(until_cleared(worker.active), 10)  # the worker stepped down
                runs_before = jobs_run(r, "expiry")
                await asyncio.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - cut_at)))
                assert UNAVAILABLE["ru"] in (await newcomer.send("/start"))[-1].text  # still away at 30 s

                await proxy.restore()
                came_back = await health_within(http, r, 200)
                assert "Main menu" in (await ivan.send("/menu"))[-1].text
                assert "персональных данных" in (await newcomer.send("/start"))[-1].text
                # The worker takes the lock again by itself and runs its jobs once more (a new leader's start).
                await asyncio.wait_for(worker.active.wait(), 15)
                await wait_for_jobs(r, "expiry", runs_before + 1)
    print(f"healthz: 503 after {went_down:.2f} s, 200 again after {came_back:.2f} s")


async def until_cleared(event: asyncio.Event) -> None:
    while event.is_set():
        await asyncio.sleep(0.05)


async def wait_for_jobs(r: Replica, job: str, runs: float, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while jobs_run(r, job) < runs:
        assert time.monotonic() < deadline, f"job {job} did not run"
        await asyncio.sleep(0.05)


async def test_redis_away_webhook_answers_503_and_the_redelivered_update_runs_exactly_once(
    emulator: TelegramEmulator, sms_gateway, smtp_sink, sqlite_url: str, tmp_path: Path
) -> None:
    async with (
        redis_server(tmp_path) as server,
        proxy_to("127.0.0.1", server.port) as proxy,
        replica(emulator, sms_gateway, smtp_sink, sqlite_url, f"redis://127.0.0.1:{proxy.port}/0") as r,
        aiohttp.ClientSession() as http,
    ):
        worker = r.app.worker  # in-process on SQLite
        await asyncio.wait_for(worker.active.wait(), 20)
        newcomer = Chat(emulator, NEWCOMER, [r], http)
        assert "персональных данных" in (await newcomer.send("/start"))[-1].text

        await proxy.cut()
        went_down = await health_within(http, r, 503)
        update = emulator.user_message(NEWCOMER, "/help")
        before = len(emulator.messages(NEWCOMER.id))
        assert await post(http, r, update, emulator) == 503  # Telegram keeps it and delivers it again later
        assert await post(http, r, update, emulator) == 503
        await asyncio.sleep(0.5)
        assert len(emulator.messages(NEWCOMER.id)) == before  # nothing ran
        assert worker.active.is_set()  # the worker's lock is the database's: its jobs go on

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
    print(f"healthz: 503 after {went_down:.2f} s, 200 again after {came_back:.2f} s")
