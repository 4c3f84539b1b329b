"""`python -m bot worker` as deployed: real processes on PostgreSQL, one active (the advisory lock), the
other waiting; the active one killed with SIGKILL, the other takes over; no reminder is sent twice.
On the embedded default `run` runs the same jobs in-process (tests/bot/test_outbox.py's real process)."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from core.db.engine import create_engine
from core.db.models import OutboxMessage, SentReminder
from emulators import SAMPLE_DATA
from tests.bot.cabinet_fixtures import IVANOV, SHMOLINA, import_samples, register
from tests.bot.test_outbox import _user
from tests.bot.test_runners import clean_env, free_port, run_cli

pytestmark = pytest.mark.postgres
ACTIVE = "worker: active"
JOBS = (
    "billing_daily",
    "reminders",
    "payments_read_back",
    "autopay",
    "card_expiry",
    "expiry",
    "broadcasts",
    "retention",
)


class WorkerProcess:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.output = ""

    async def wait_for(self, text: str, timeout: float) -> None:
        async def read() -> None:
            while text not in self.output:
                line = await self.process.stderr.readline()
                if not line:
                    raise AssertionError(f"the worker ended before {text!r}:\n{self.output[-3000:]}")
                self.output += line.decode(errors="replace")

        try:
            await asyncio.wait_for(read(), timeout)
        except TimeoutError:
            raise AssertionError(f"no {text!r} from the worker in {timeout} s:\n{self.output[-3000:]}") from None


@asynccontextmanager
async def worker(env: dict[str, str], cwd: Path) -> AsyncIterator[WorkerProcess]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "worker",
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield WorkerProcess(process)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()


async def count(database: str, query) -> int:
    engine = create_engine(database)
    try:
        async with engine.connect() as conn:
            return await conn.scalar(query)
    finally:
        await engine.dispose()


async def first_active(*workers: WorkerProcess, timeout: float = 60) -> tuple[WorkerProcess, WorkerProcess]:
    """(the one that took the lock, the other): both start at once, either may win."""
    waits = {asyncio.create_task(w.wait_for(ACTIVE, timeout)): w for w in workers}
    done, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    winner = next(iter(done))
    winner.result()
    active = waits[winner]
    return active, next(w for w in workers if w is not active)


async def outbox_drained(database: str, timeout: float = 30) -> None:
    pending = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
    for _ in range(int(timeout * 5)):
        if await count(database, pending) == 0:
            return
        await asyncio.sleep(0.2)
    raise AssertionError("the outbox was not drained")


async def test_one_worker_runs_the_jobs_and_another_takes_over_when_it_is_killed(
    emulator, postgres_url: str, tmp_path: Path
) -> None:
    engine = create_engine(postgres_url)
    try:
        await import_samples(engine)
        await register(engine, IVANOV, "123/14")
        await register(engine, SHMOLINA, "AM012345678/13")
    finally:
        await engine.dispose()
    code, _, err = await run_cli(
        "import",
        "bills",
        str(SAMPLE_DATA / "bills.csv"),
        "--issued-on",
        "2026-10-01",
        env=clean_env(DATABASE_URL=postgres_url, OTP_SECRET="worker-test"),
        cwd=tmp_path,
    )
    assert code == 0, err  # issued 01.10.2026, due 13.11.2026
    for telegram_id in (IVANOV, SHMOLINA):
        emulator.deliver(emulator.user_message(_user(telegram_id), "/menu"))  # the chats exist

    # 06.11.2026: five working days before the due date — three reminders are due (two Иванов's, one hers).
    env = clean_env(
        BOT_TOKEN="123:abc",
        TELEGRAM_API_URL=emulator.base_url,
        DATABASE_URL=postgres_url,
        OTP_SECRET="worker-test",
        BOT_TODAY="2026-11-06",
        REMINDER_HOURS="0-24",
        LOG_LEVEL="INFO",
    )
    async with worker(env, tmp_path) as one, worker(env, tmp_path) as other:
        first, second = await first_active(one, other)
        await first.wait_for("job reminders", 30)
        await outbox_drained(postgres_url)  # the first sent everything (a row it had claimed when killed
        # would wait for its claim to lapse, two minutes, before another sender takes it)
        assert ACTIVE not in second.output  # it waits for the lock
        assert await count(postgres_url, select(func.count()).select_from(SentReminder)) == 3

        first.process.kill()  # SIGKILL: no goodbye; PostgreSQL drops its session and the lock
        await first.process.wait()
        await second.wait_for(ACTIVE, 30)
        await second.wait_for("job reminders", 30)  # its catch-up ran the reminders: nothing new to send
        assert "ReminderReport(invoices=0, disputes=0, policies=0" in second.output
        await asyncio.sleep(1.0)

    reminders = [m.text for chat in (IVANOV, SHMOLINA) for m in emulator.messages(chat) if m.text.startswith("⏰")]
    assert len(reminders) == 3, reminders
    assert (
        await count(
            postgres_url,
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "invoice_reminder"),
        )
        == 3
    )


async def test_the_worker_serves_its_health_and_its_jobs_metrics(emulator, postgres_url: str, tmp_path: Path) -> None:
    """The jobs' counts live in the worker process: it serves them itself (a `run` elsewhere cannot)."""
    port = free_port()
    env = clean_env(
        BOT_TOKEN="123:abc",
        TELEGRAM_API_URL=emulator.base_url,
        DATABASE_URL=postgres_url,
        OTP_SECRET="worker-test",
        BOT_TODAY="2026-11-06",
        METRICS_TOKEN="scrape-me-worker-0123",
        HTTP_HOST="127.0.0.1",
        HTTP_PORT=str(port),
        LOG_LEVEL="INFO",
    )
    async with worker(env, tmp_path) as one, aiohttp.ClientSession() as http:
        await one.wait_for(ACTIVE, 60)
        for job in JOBS:  # the catch-up runs every job once, in no fixed order
            await one.wait_for(f"job {job}:", 30)
        base = f"http://127.0.0.1:{port}"
        async with http.get(f"{base}/healthz") as response:
            assert response.status == 200
        async with http.get(f"{base}/metrics") as response:
            assert response.status == 401
        async with http.get(f"{base}/metrics", headers={"Authorization": "Bearer scrape-me-worker-0123"}) as response:
            assert response.status == 200
            samples = {
                (s.name, s.labels.get("job")): s.value
                for family in text_string_to_metric_families(await response.text())
                for s in family.samples
            }
        for job in JOBS:
            assert samples[("dmsbot_jobs_run_total", job)] >= 1, job
        async with http.post(f"{base}/yookassa/notifications", data=b"{}") as response:
            assert response.status == 404  # notifications are `run`'s, not the worker's
