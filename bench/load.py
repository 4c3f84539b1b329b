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
answers of the Bot API and the arrivals alike; what it holds is frozen out of its garbage collector before
each step, whose full passes over 3,000 users' chats took up to 0.9 s); where a replica's time went at the best project step (per update: the whole handling, the
database, Redis, the Bot API, YooKassa, Fluent); the payments and the notices the worker delivered; and
last `ratio: X.XX`, the project's highest passing rate over the baseline's.

Its parts, a module each beside it: `load_deployment.py` (the data, the processes, the throwaway database
and Redis prefix), `load_users.py` (the simulated users' steps and payments), `load_generator.py` (one
step's arrivals and latencies), `load_search.py` (the step search and its lines), `load_report.py` (where
the time goes, from the replicas' spans); this file puts them together.

    python bench/load.py [--seconds N] [--users N] [--start-rate R] [--postgres URL] [--redis URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from collections.abc import Coroutine
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from load_deployment import (
    PATH,
    SECRET,
    TODAY,
    TOKEN,
    bot_env,
    free_port,
    healthy,
    load_data,
    redis_prefix,
    server,
    throwaway_database,
    write_samples,
)
from load_generator import BUDGET, Generator
from load_report import Spans
from load_search import Search, search
from load_users import Chat, Payments, bare_steps, cabinet_steps

from emulators.telegram import TelegramEmulator, TgUser
from emulators.yookassa import YooKassaEmulator

TRUSTED = "127.0.0.2"
FIRST_USER = 700_000_000
FIRST_BARE_USER = 900_000_000


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
    try:
        ratio = asyncio.run(stoppable(measure(args)))
    except asyncio.CancelledError:
        print("load bench: stopped; its processes, database and Redis keys are gone", file=sys.stderr)
        return 143
    print(f"ratio: {ratio:.2f}")
    return 0


async def stoppable(measuring: Coroutine[Any, Any, float]) -> float:
    """SIGTERM (`kill`, a CI's timeout) stops the bench as Ctrl-C does: the replicas, the worker, the
    throwaway database and the Redis keys go with it (without this they would outlive the bench)."""
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    return await measuring


if __name__ == "__main__":
    sys.exit(main())
