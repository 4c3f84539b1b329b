"""The load bench's deployment: the people it imports, the processes it starts (each serving HTTP, its ERROR
lines counted), the throwaway PostgreSQL database and Redis prefix they share."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from core.bootstrap import bootstrap
from core.db.migrate import upgrade
from core.settings import load_settings
from emulators import SAMPLE_DATA

REPO = Path(__file__).resolve().parent.parent
TOKEN = "123456:LOAD"
BOT_ID = int(TOKEN.split(":")[0])
SECRET = "load-secret"
PATH = "/telegram/webhook"
TODAY = "2026-10-05"  # the invoices, issued on 1 Oct, are not overdue
ISSUED_ON = "2026-10-01"
START_WAIT = 180.0  # seconds a process may take to serve (five start at once on a busy machine)


def person(n: int) -> dict[str, str]:
    return {
        "policy": f"LD-{n:06d}",
        "last": "Loadova",
        "first": "Anna",
        "patronymic": "Petrovna",
        "birth": "15.03.1985",
        "phone": f"+7916{2_000_000 + n:07d}",
    }


def write_samples(folder: Path, users: int) -> tuple[Path, Path]:
    """The registry (one adult employee a user, on the 20 % program) and one bill line for each."""
    registry, bills = folder / "registry.csv", folder / "bills.csv"
    head = (
        "policy_number;last_name;first_name;patronymic;birth_date;phone;email;category;holder_policy_number;"
        "personnel_number;contract_number;employer;program_code;valid_from;valid_to\n"
    )
    rows = [
        f"{p['policy']};{p['last']};{p['first']};{p['patronymic']};{p['birth']};{p['phone']};user{n}@example.com;"
        f"employee;;T-{n};K-LOAD;Load LLC;FR20;01.01.2026;31.12.2027\n"
        for n, p in ((n, person(n)) for n in range(users))
    ]
    registry.write_text(head + "".join(rows))
    lines = [f"L-{n};{person(n)['policy']};C003;17.09.2026;A01;Consultation;1;1500.00\n" for n in range(users)]
    head = "bill_line_id;policy_number;clinic_id;service_date;service_code;service_name;quantity;unit_price\n"
    bills.write_text(head + "".join(lines))
    return registry, bills


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# What the import in this process takes of the processes' environment.
BOT_SETTINGS = ("BOT_TOKEN", "TELEGRAM_API_URL", "DATABASE_URL", "REDIS_URL", "REDIS_PREFIX", "OTP_SECRET", "BOT_TODAY")


def bot_env(**values: str) -> dict[str, str]:
    """This environment without the bot's settings, and these."""
    prefixes = ("BOT_", "TELEGRAM_", "DATABASE_", "REDIS_", "WEBHOOK_", "HTTP_", "OTP_", "YOOKASSA_", "METRICS_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    return env | values


async def load_data(env: dict[str, str], registry: Path, bills: Path) -> None:
    """The schema, the sample programs and clinics, the registry and the invoices, as the command line
    imports them (its use case, in this process: a command's start-up is seconds on a busy machine)."""
    settings = load_settings(**{k.lower(): v for k, v in env.items() if k in BOT_SETTINGS})
    await upgrade(settings.database_url)
    container = await bootstrap(settings)
    try:
        for kind, path in (
            ("programs", SAMPLE_DATA / "programs.csv"),
            ("clinics", SAMPLE_DATA / "clinics.csv"),
            ("registry", registry),
            ("bills", bills),
        ):
            issued_on = date.fromisoformat(ISSUED_ON) if kind == "bills" else None
            result = await container.imports.run(kind, path, issued_on=issued_on)
            if result.rejected:
                raise RuntimeError(f"import {kind}: {result.lines()[:3]}")
    finally:
        await container.close()


@dataclass
class Server:
    """A process serving HTTP on a port of its own, its output read (and its ERROR lines counted)."""

    name: str
    process: asyncio.subprocess.Process
    port: int
    errors: list[str] = field(default_factory=list)
    reader: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PATH}"

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for line in self.process.stdout:
            if b" ERROR " in line or b"Traceback" in line:
                self.errors.append(line.decode(errors="replace").rstrip())


@asynccontextmanager
async def server(name: str, argv: Sequence[str], env: dict[str, str], port: int) -> AsyncIterator[Server]:
    """The process started (`healthy` waits until it serves), then stopped as a deployment stops it."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, *argv, env=env, cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    running = Server(name, process, port)
    running.reader = asyncio.create_task(running._read())
    try:
        yield running
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()
        await running.reader


async def healthy(running: Server) -> None:
    deadline = time.monotonic() + START_WAIT
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            if running.process.returncode is not None:
                raise RuntimeError(f"{running.name} exited {running.process.returncode}: {running.errors[-5:]}")
            try:
                async with http.get(f"http://127.0.0.1:{running.port}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{running.name}: /healthz never answered")


@asynccontextmanager
async def throwaway_database(server_url: str) -> AsyncIterator[str]:
    name = f"bench_load_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@asynccontextmanager
async def redis_prefix(redis_url: str) -> AsyncIterator[str]:
    prefix = f"bench-load-{uuid.uuid4().hex[:10]}"
    client = Redis.from_url(redis_url)
    try:
        yield prefix
    finally:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*", count=1000)]
        for start in range(0, len(keys), 1000):
            await client.delete(*keys[start : start + 1000])
        await client.aclose()
