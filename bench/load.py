"""The whole deployment under load: the highest rate of updates two webhook replicas and a worker answer in time.

The deployment, as production runs it, on loopback: PostgreSQL (a throwaway database of its own on the
server `--postgres` names, dropped at the end) and Redis (`--redis`, keys under a prefix of the run's own,
deleted at the end), two replicas `python -m bot run` in webhook mode and one `python -m bot worker`, each
a process of its own, as deployed: replicas in this process would share its one event loop and one core
with the generator and the emulators. The replicas run under `bench/spans.py`, which wraps the seams an
update crosses (database, Redis, Bot API, YooKassa, Fluent) in timing spans, nothing else. The Telegram emulator is their
Bot API and the YooKassa emulator their payment provider (both in this process, on loopback; YooKassa
notifies the first replica, from 127.0.0.2, the network it trusts). The registry (`--users` people, each
with a policy on a 20 % deductible program, a phone, an e-mail) and one invoice each are imported through
the command line (`python -m bot import`) before the clock starts.

A simulated user (English, language `en`) goes through the cabinet: /start, the three consents, the
policy-number way, number, surname, first name, patronymic, birth date, the phone shared from Telegram
(registered), /menu, /policies and the policy's card, /invoices, the invoice selected, Pay; then pays on
the YooKassa page, and the worker's outbox sender must bring the "payment received" notice. Each step is
checked in the emulator's chat: a new or edited message carrying what the next step needs (the next
question, the button to press).

The generator is open-loop: updates arrive at the offered rate, evenly spaced, whatever the answers;
users arrive at that rate over the number of steps of one (an arrival is a new user's first step with
that chance, or when every user is waiting for an answer), and every other arrival is the next step of
the user who has waited longest since their last answer (a chat's next update goes only after its
answer, as Telegram does): once users have come and gone, a step sees the whole mix. Arrivals go to the replicas in turn, as a balancer spreads them. An update's latency runs from
its arrival time (so a late generator counts against the side, never for it) to the webhook's answer;
the Bot API call an answer carries is then performed by the emulator, as Telegram performs it on its own.

A step offers one rate for `--seconds`; it passes when 99 % of its updates were answered within 250 ms
and nothing failed (an answer other than 200, a step whose message never came, an ERROR line from a
process); below 100 updates in a step its p99 is its slowest. A rate that fails is offered once more
before it counts as failed (a shared machine has spikes). The search doubles the rate until a rate fails,
then halves the interval between the best pass and the lowest failure (geometric mean) until they are
within 15 %, at most 9 rates. The same search, in the same run and through the same generator, is made
for the baseline: two bare aiogram replicas (`bench/bare_replica.py`, a process each) answering every
update, a `/menu` from users of their own, with a static menu in the webhook's answer. The two searches take
their steps in turn, so that both sides meet the same load from outside.

Printed: each step's offered and achieved rate, p50/p99, errors, the CPU each process took per update
and the generator's worst event-loop lag (its process also hosts the emulators: a lag there delays the
answers of the Bot API and the arrivals alike); where a replica's time went at the best project step (per update: the whole handling, the
database, Redis, the Bot API, YooKassa, Fluent); the payments and the notices the worker delivered; and
last `ratio: X.XX`, the project's highest passing rate over the baseline's.

    python bench/load.py [--seconds N] [--users N] [--start-rate R] [--postgres URL] [--redis URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import signal
import socket
import sys
import tempfile
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.web.telegram_webhook import SECRET_HEADER
from core.bootstrap import bootstrap
from core.db.migrate import upgrade
from core.settings import load_settings
from emulators import SAMPLE_DATA
from emulators.telegram import TelegramEmulator, TgUser
from emulators.yookassa import YooKassaEmulator

REPO = Path(__file__).resolve().parent.parent
TOKEN = "123456:LOAD"
BOT_ID = int(TOKEN.split(":")[0])
SECRET = "load-secret"
PATH = "/telegram/webhook"
TODAY = "2026-10-05"  # the invoices, issued on 1 Oct, are not overdue
ISSUED_ON = "2026-10-01"
BUDGET = 0.25  # seconds: 99 % of the updates answered within it
QUANTILE = 0.99
CLOSE_ENOUGH = 1.15  # the search stops when the first failure is within 15 % of the best pass
MAX_STEPS = 9
DRAIN = 10.0  # seconds a step waits for its last answers
STEP_WAIT = 5.0  # seconds a user waits for a step's message after its answer
START_WAIT = 180.0  # seconds a process may take to serve (five start at once on a busy machine)
TRUSTED = "127.0.0.2"
FIRST_USER = 700_000_000
FIRST_BARE_USER = 900_000_000


# --- the data and the processes


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


# --- the users


@dataclass
class Step:
    update: Callable[[], dict]
    expect: str  # what a new or edited message must carry, in its text or a button: what the next step needs


class Chat:
    """One simulated user: the steps left, and what the chat held before the step under way."""

    def __init__(self, emulator: TelegramEmulator, user: TgUser, steps: Callable[[Chat], list[Step]]) -> None:
        self.emulator, self.user = emulator, user
        self.steps = deque(steps(self))
        self.before: set[tuple[int, int]] = set()

    def message(self, text_: str) -> Callable[[], dict]:
        return lambda: self.emulator.user_message(self.user, text_)

    def press(self, part: str) -> Callable[[], dict]:
        def update() -> dict:
            for sent in reversed(self.emulator.messages(self.user.id)):
                if sent.deleted or not sent.inline_markup:
                    continue
                for button in sent.buttons():
                    if part in button["text"] and "callback_data" in button:
                        return self.emulator.user_press(self.user, sent.message_id, button["callback_data"])
            raise LookupError(f"no button with {part!r}")

        return update

    def snapshot(self) -> None:
        self.before = {(m.message_id, m.edits) for m in self.emulator.messages(self.user.id)}

    def changed(self, expect: str) -> bool:
        return any(
            (m.message_id, m.edits) not in self.before
            and (expect in m.text or any(expect in b["text"] for b in m.buttons() if m.inline_markup))
            for m in self.emulator.messages(self.user.id)
        )

    def url_button(self) -> str | None:
        for sent in reversed(self.emulator.messages(self.user.id)):
            for button in sent.buttons() if sent.inline_markup else []:
                if "url" in button:
                    return button["url"]
        return None


def cabinet_steps(n: int) -> Callable[[Chat], list[Step]]:
    p = person(n)

    def steps(chat: Chat) -> list[Step]:
        return [
            Step(chat.message("/start"), "(1 of 3)"),
            Step(chat.press("I agree"), "(2 of 3)"),
            Step(chat.press("I agree"), "(3 of 3"),
            Step(chat.press("Yes, send them"), "How would you like to register"),
            Step(chat.press("I have a policy number"), "Enter your medical insurance policy number"),
            Step(chat.message(p["policy"]), "Enter your surname"),
            Step(chat.message(p["last"]), "Enter your first name"),
            Step(chat.message(p["first"]), "Enter your patronymic"),
            Step(chat.message(p["patronymic"]), "Enter your date of birth"),
            Step(chat.message(p["birth"]), "Give the mobile phone number"),
            Step(lambda: chat.emulator.user_contact(chat.user, p["phone"]), "Done!"),
            Step(chat.message("/menu"), "Main menu"),
            Step(chat.message("/policies"), p["policy"]),
            Step(chat.press(p["policy"]), p["policy"]),
            Step(chat.message("/invoices"), "Select"),
            Step(chat.press("Select"), "Selected"),
            Step(chat.press("Pay"), "Payment No."),
        ]

    return steps


def bare_steps(chat: Chat) -> list[Step]:
    return [Step(chat.message("/menu"), "Main menu")]


# --- the generator


@dataclass
class Outcome:
    rate: float
    planned: float  # seconds of arrivals
    seconds: float = 0.0  # from the first arrival to the last answer
    lag: float = 0.0  # the generator's event loop at its latest in waking a sleeper (it hosts the emulators)
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def quantile(self, q: float) -> float:
        if not self.latencies:
            return math.inf
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]

    @property
    def passed(self) -> bool:
        return not self.errors and self.quantile(QUANTILE) <= BUDGET


async def wait(event: asyncio.Event, seconds: float) -> bool:
    try:
        await asyncio.wait_for(event.wait(), max(0.0, seconds))
    except TimeoutError:
        return False
    return True


async def webhook_call(response: aiohttp.ClientResponse) -> dict[str, str]:
    """The Bot API call a webhook's answer carries: the project answers JSON, aiogram's own handler a form."""
    if response.content_type != "multipart/form-data":
        return json.loads(await response.read())
    return {part.name: await part.text() async for part in aiohttp.MultipartReader.from_response(response)}


class Generator:
    """Open-loop arrivals through the replicas in turn: a new user's first step, at the rate over the steps
    of a user, else the next step of the longest-waiting user."""

    def __init__(
        self,
        http: aiohttp.ClientSession,
        emulator: TelegramEmulator,
        urls: Sequence[str],
        new_chat: Callable[[], Chat],
        script_length: int,
        on_done: Callable[[Chat], None] = lambda _chat: None,
    ) -> None:
        self.http, self.emulator, self.urls = http, emulator, urls
        self.new_chat, self.on_done = new_chat, on_done
        self.fresh = 1 / script_length  # users arrive at the rate / their steps: each step sees the whole mix
        self.ready: deque[Chat] = deque()
        self.turn = 0
        self.random = random.Random(26)
        self.waiting: dict[int, asyncio.Event] = {}  # chat → woken when the emulator changes a message in it
        emulator.on_change.append(lambda message, _change: self._wake(message.chat_id))

    def _wake(self, chat_id: int) -> None:
        if (event := self.waiting.get(chat_id)) is not None:
            event.set()

    async def step(self, rate: float, seconds: float) -> Outcome:
        outcome = Outcome(rate, seconds)
        tasks: set[asyncio.Task[None]] = set()
        count = max(1, round(rate * seconds))
        meter = asyncio.create_task(self._lag(outcome))
        started = time.perf_counter()
        for k in range(count):
            due = started + k / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            fresh = not self.ready or self.random.random() < self.fresh
            chat = self.new_chat() if fresh else self.ready.popleft()
            task = asyncio.create_task(self._one(chat, due, outcome))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=DRAIN)
            for task in late:
                task.cancel()
            outcome.errors += [f"no answer within {DRAIN:.0f} s of the step's end"] * len(late)
        outcome.seconds = time.perf_counter() - started
        meter.cancel()
        return outcome

    @staticmethod
    async def _lag(outcome: Outcome) -> None:
        while True:
            asleep = time.perf_counter()
            await asyncio.sleep(0.005)
            outcome.lag = max(outcome.lag, time.perf_counter() - asleep - 0.005)

    async def _one(self, chat: Chat, due: float, outcome: Outcome) -> None:
        step = chat.steps.popleft()
        url = self.urls[self.turn % len(self.urls)]
        self.turn += 1
        try:
            body = json.dumps(step.update(), ensure_ascii=False).encode()
            chat.snapshot()
            headers = {"Content-Type": "application/json", SECRET_HEADER: SECRET}
            async with self.http.post(url, data=body, headers=headers) as response:
                if response.status != 200:
                    raise RuntimeError(f"HTTP {response.status}")
                call = await webhook_call(response)
            outcome.latencies.append(time.perf_counter() - due)
            if call:  # what Telegram does with the answer, on its own servers
                await self.emulator.perform(call, BOT_ID)
            await self._expect(chat, step.expect)
        except Exception as exc:
            outcome.errors.append(f"{type(exc).__name__}: {exc}")
            return  # this user is left where it stopped
        if chat.steps:
            self.ready.append(chat)
        else:
            self.on_done(chat)

    async def _expect(self, chat: Chat, expect: str) -> None:
        """Until the chat shows `expect`: looked at on each change in it, never polled (the generator's
        process is the Bot API's too)."""
        deadline = time.monotonic() + STEP_WAIT
        event = self.waiting[chat.user.id] = asyncio.Event()
        try:
            while not chat.changed(expect):
                event.clear()
                if not await wait(event, deadline - time.monotonic()):
                    raise AssertionError(f"no message with {expect!r}")
        finally:
            del self.waiting[chat.user.id]


# --- the search


def search_line(side: str, outcome: Outcome, cpu: dict[str, float]) -> str:
    achieved = len(outcome.latencies) / max(outcome.seconds, outcome.planned)
    answered = max(1, len(outcome.latencies))
    per_update = " ".join(f"{name} {seconds * 1000 / answered:.1f}" for name, seconds in cpu.items())
    return (
        f"  {side}: offered {outcome.rate:7.1f}/s answered {achieved:7.1f}/s  "
        f"p50 {outcome.quantile(0.5) * 1000:6.1f} ms p99 {outcome.quantile(QUANTILE) * 1000:7.1f} ms  "
        f"errors {len(outcome.errors):3d}  cpu ms/update: {per_update}  generator lag max "
        f"{outcome.lag * 1000:.0f} ms  {'pass' if outcome.passed else 'FAIL'}"
    )


async def measured_step(
    side: str,
    generator: Generator,
    servers: Sequence[Server],
    rate: float,
    seconds: float,
    observe: Callable[[Outcome], Awaitable[None]] | None,
) -> Outcome:
    """One step, printed with the CPU each process took and the ERROR lines they wrote meanwhile."""
    cpu_before = {s.name: s.cpu_seconds() for s in servers} | {"generator": time.process_time()}
    errors_before = sum(len(s.errors) for s in servers)
    outcome = await generator.step(rate, seconds)
    outcome.errors += [line for s in servers for line in s.errors][errors_before:]
    cpu_after = {s.name: s.cpu_seconds() for s in servers} | {"generator": time.process_time()}
    print(search_line(side, outcome, {k: cpu_after[k] - cpu_before[k] for k in cpu_before}), flush=True)
    for error in sorted(set(outcome.errors))[:3]:
        print(f"    {error[:200]}", flush=True)
    if observe is not None:
        await observe(outcome)
    return outcome


@dataclass
class Search:
    """One side's step search: the rate to offer next, the best that passed, the lowest that failed."""

    side: str
    generator: Generator
    servers: Sequence[Server]
    rate: float
    observe: Callable[[Outcome], Awaitable[None]] | None = None
    best: float = 0.0
    failed: float = math.inf
    steps: int = 0

    @property
    def done(self) -> bool:
        return self.failed <= self.best * CLOSE_ENOUGH or self.rate < 1 or self.steps >= MAX_STEPS

    async def step(self, seconds: float) -> None:
        """Offers the rate (a failure once more: the machine is shared), then picks the next rate."""
        self.steps += 1
        for attempt in range(2):
            if attempt:
                await asyncio.sleep(1.0)
            outcome = await measured_step(self.side, self.generator, self.servers, self.rate, seconds, self.observe)
            if outcome.passed:
                break
        if outcome.passed:
            self.best = self.rate
        else:
            self.failed = self.rate
        if self.failed == math.inf:
            self.rate *= 2
        else:
            self.rate = math.sqrt(self.best * self.failed) if self.best else self.rate / 2


async def search(searches: Sequence[Search], seconds: float) -> None:
    """The searches' steps taken in turn, so that every side meets the same load from outside."""
    while not all(s.done for s in searches):
        for search_ in searches:
            if not search_.done:
                await search_.step(seconds)
                await asyncio.sleep(1.0)  # the step's background work settles


class Spans:
    """The replicas' timing spans (`bench/spans.py`): each step's, and the best passing step's."""

    def __init__(self, replicas: Sequence[Server], files: Sequence[Path]) -> None:
        self.replicas, self.files = replicas, files
        self.best: tuple[Outcome, dict[str, list[float]]] | None = None

    async def read(self) -> dict[str, list[float]]:
        """The totals since the last read, summed over the replicas (each writes its file on SIGUSR1)."""
        for path in self.files:
            path.unlink(missing_ok=True)
        for replica in self.replicas:
            replica.process.send_signal(signal.SIGUSR1)
        totals: dict[str, list[float]] = {}
        for path in self.files:
            for _ in range(200):
                if path.exists():
                    break
                await asyncio.sleep(0.01)
            for name, (seconds, count) in json.loads(path.read_text()).items():
                total = totals.setdefault(name, [0.0, 0])
                total[0] += seconds
                total[1] += count
        return totals

    async def observe(self, outcome: Outcome) -> None:
        totals = await self.read()
        if outcome.passed and (self.best is None or outcome.rate > self.best[0].rate):
            self.best = (outcome, totals)

    def report(self) -> list[str]:
        if self.best is None:
            return ["where the time goes: no project step passed"]
        outcome, totals = self.best

        def per_update(name: str) -> tuple[float, float]:
            seconds, count = totals.get(name, (0.0, 0))
            return seconds / updates, count / updates

        updates = totals.get("update", (0.0, 0))[1] or 1
        handling = per_update("update")[0]
        claim = per_update("claim")[0]
        redis, redis_calls = per_update("redis")
        latency = sum(outcome.latencies) / max(1, len(outcome.latencies))
        lines = [
            f"where the time goes at {outcome.rate:.1f} updates/s, the best project step (wall-clock spans in the "
            f"replicas, means per update): answered in {latency * 1000:.1f} ms at the generator, "
            f"claimed in Redis {claim * 1000:.1f} ms, handled in {handling * 1000:.1f} ms, of which:"
        ]
        inside = 0.0
        parts = [
            ("database (PostgreSQL: statements, BEGIN, COMMIT)", *per_update("database")),
            ("Redis (FSM state and data, event isolation)", redis - claim, redis_calls - 1),
            ("Telegram calls (Bot API requests)", *per_update("telegram")),
            ("YooKassa calls", *per_update("yookassa")),
            ("rendering: Fluent texts", *per_update("fluent")),
        ]
        for label, seconds, calls in parts:
            inside += seconds
            lines.append(
                f"  {label:52s} {seconds * 1000:7.2f} ms {calls:5.1f} calls {seconds / (handling or math.inf):5.0%}"
            )
        rest = handling - inside
        label = "the rest: aiogram, middlewares, handlers, views (*)"
        lines.append(f"  {label:52s} {rest * 1000:7.2f} ms {'':11s} {rest / (handling or math.inf):5.0%}")
        lines.append(
            "  (*) the handling less the spans; the spans also count what runs beside the updates (YooKassa's "
            "notifications, the viewer channel), so near or below zero means the handling is all waiting"
        )
        return lines


@dataclass
class Payments:
    """Users who pressed Pay: their payment paid on the YooKassa page, the worker's notice awaited."""

    kassa: YooKassaEmulator
    emulator: TelegramEmulator
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    paid: list[int] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def pay(self, chat: Chat) -> None:
        task = asyncio.create_task(self._pay(chat))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _pay(self, chat: Chat) -> None:
        url = chat.url_button()
        try:
            if url is None:
                raise LookupError("no payment link")
            await self.kassa.pay(url.rsplit("/", 1)[1])
            self.paid.append(chat.user.id)
        except Exception as exc:
            self.failed.append(f"{type(exc).__name__}: {exc}")

    async def notices(self, timeout: float) -> int:
        """How many payers got the worker's "payment received", waiting up to `timeout` for the last ones."""
        while self.tasks:
            await asyncio.gather(*self.tasks)
        deadline = time.monotonic() + timeout
        while True:
            told = sum(any("received. Paid:" in m.text for m in self.emulator.messages(user)) for user in self.paid)
            if told == len(self.paid) or time.monotonic() > deadline:
                return told
            await asyncio.sleep(0.5)


async def measure(args: argparse.Namespace) -> float:
    async with AsyncExitStack() as stack:
        database_url = await stack.enter_async_context(throwaway_database(args.postgres))
        prefix = await stack.enter_async_context(redis_prefix(args.redis))
        emulator = await stack.enter_async_context(TelegramEmulator())
        kassa = await stack.enter_async_context(YooKassaEmulator(notify_from=TRUSTED))
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        env = bot_env(
            BOT_TOKEN=TOKEN,
            TELEGRAM_API_URL=emulator.base_url,
            DATABASE_URL=database_url,
            REDIS_URL=args.redis,
            REDIS_PREFIX=prefix,
            OTP_SECRET="load-otp-secret",
            BOT_TODAY=TODAY,
            HTTP_HOST="127.0.0.1",
            WEBHOOK_BASE_URL="http://127.0.0.1",
            WEBHOOK_SECRET=SECRET,
            WEBHOOK_PATH=PATH,
            YOOKASSA_SHOP_ID=kassa.shop_id,
            YOOKASSA_SECRET_KEY=kassa.secret_key,
            YOOKASSA_API_URL=kassa.base_url,
            YOOKASSA_RETURN_URL="https://t.me/dms_load_bot",
            YOOKASSA_TRUSTED_NETWORKS=f"{TRUSTED}/32",
        )
        started = time.monotonic()
        registry, bills = write_samples(folder, args.users)
        await load_data(env, registry, bills)
        loaded = time.monotonic()
        ports = [free_port() for _ in range(5)]
        spans_files = [folder / f"spans{i}.json" for i in range(2)]
        replicas = [
            await stack.enter_async_context(
                server(
                    f"replica{i + 1}",
                    ["bench/spans.py", "run"],
                    env | {"HTTP_PORT": str(ports[i]), "BENCH_SPANS_FILE": str(spans_files[i])},
                    ports[i],
                )
            )
            for i in range(2)
        ]
        worker = await stack.enter_async_context(
            server("worker", ["-m", "bot", "worker"], env | {"HTTP_PORT": str(ports[2])}, ports[2])
        )
        bare = [
            await stack.enter_async_context(
                server(f"bare{i + 1}", ["bench/bare_replica.py", str(port), TOKEN, SECRET, PATH], env, port)
            )
            for i, port in enumerate(ports[3:])
        ]
        await asyncio.gather(*(healthy(s) for s in [*replicas, worker, *bare]))
        kassa.notify_url = f"http://127.0.0.1:{replicas[0].port}/yookassa/notifications"
        print(
            f"{args.users} people and their invoices imported in {loaded - started:.0f} s; 2 replicas, a worker and "
            f"2 bare replicas serving {time.monotonic() - loaded:.0f} s later; steps of {args.seconds:g} s, pass: p99 <= {BUDGET * 1000:.0f} ms, "
            "no error",
            flush=True,
        )
        http = await stack.enter_async_context(aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)))
        people = iter(range(args.users))
        payments = Payments(kassa, emulator)

        def cabinet_chat() -> Chat:
            n = next(people, None)
            if n is None:
                raise SystemExit(f"all {args.users} users were taken: raise --users")
            return Chat(emulator, TgUser(id=FIRST_USER + n, first_name="Anna", language_code="en"), cabinet_steps(n))

        bare_ids = iter(range(FIRST_BARE_USER, FIRST_BARE_USER + 10**8))

        def bare_chat() -> Chat:
            return Chat(emulator, TgUser(id=next(bare_ids), first_name="Anna", language_code="en"), bare_steps)

        spans = Spans(replicas, spans_files)
        await spans.read()  # start-up's spans out
        steps = len(Chat(emulator, TgUser(id=FIRST_USER, first_name="Anna"), cabinet_steps(0)).steps)
        project = Search(
            "project",
            Generator(http, emulator, [r.url for r in replicas], cabinet_chat, steps, payments.pay),
            [*replicas, worker],
            args.start_rate,
            spans.observe,
        )
        baseline = Search(
            "bare   ", Generator(http, emulator, [b.url for b in bare], bare_chat, 1), bare, args.start_rate
        )
        await search([project, baseline], args.seconds)
        told = await payments.notices(timeout=60)
        best, bare_best = project.best, baseline.best
        for line in spans.report():
            print(line)
        print(
            f'payments: {len(payments.paid)} paid on the YooKassa page, {told} "payment received" notices '
            f"delivered by the worker, {len(payments.failed)} failed"
        )
        for error in payments.failed[:3]:
            print(f"    {error[:200]}")
        print(
            f"highest rate with p99 <= {BUDGET * 1000:.0f} ms and no error: project {best:.1f}/s, bare {bare_best:.1f}/s"
        )
        return best / bare_best if bare_best else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds each step offers its rate (default 5)")
    parser.add_argument("--users", type=int, default=3000, help="people in the registry, one user each (default 3000)")
    parser.add_argument("--start-rate", type=float, default=10.0, help="the first step's rate (default 10/s)")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"),
        help="a PostgreSQL server (a throwaway database is made beside the one named)",
    )
    parser.add_argument("--redis", default=os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
    args = parser.parse_args()
    ratio = asyncio.run(measure(args))
    print(f"ratio: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
