"""Updates per second through one replica's webhook endpoint versus a bare aiohttp handler, on loopback.

The project: a replica as `python -m bot run` serves it in webhook mode on the embedded default (SQLite in
a temporary folder, memory FSM, the in-process claims), built by `build_app`, its webhook mounted by
`mount_webhook` and served by `serving`, with the Telegram emulator as its Bot API (in this process).
Each update is a registered user's `/menu`: the secret checked, the update claimed, parsed, dispatched
(the viewer, i18n, the FSM, the handler), and the menu returned in the webhook's answer. The load generator
keeps the answers and, once the clock has stopped, has the emulator perform them as Telegram would (that is
Telegram's work, not the replica's); then every update must have put its menu in the emulator's chat.

The baseline, in the same run and process: a bare aiohttp handler on another loopback port that reads
the JSON, builds `aiogram.types.Update` from it and answers 200; nothing else.

The load generator is an aiohttp client in this process with `--concurrency` users, each posting its own
updates one after another, as Telegram does for one chat (so the project's per-user event isolation
serialises nothing the real Telegram would not). The bodies are made before the clock starts.

Each side is warmed up, then timed `--runs` times in alternating blocks (bare, then project); the best run
of each counts. Every project block is checked: all answered 200, one new menu in each user's chat per
update, no incident logged.

    python bench/webhook.py [--updates N] [--concurrency C] [--runs R]

The last line, `ratio: X.XX`, is project updates/s ÷ bare updates/s.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from aiogram import Bot, Dispatcher, F, Router
from aiogram.types import Message, Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bot.factory.app import BotApp, build_app
from bot.factory.telegram import create_bot
from bot.runners.http import serving
from bot.runners.webhook import mount_webhook
from bot.web.telegram_webhook import SECRET_HEADER
from core.db.models import Account, InsuredPerson, Program
from core.settings import load_settings
from emulators.telegram import TelegramEmulator, TgUser

TOKEN = "123456:BENCH"
SECRET = "bench-secret"
PATH = "/telegram/webhook"
TODAY = date(2026, 11, 21)
FIRST_USER = 1_000  # the registered users: this id and up
WARM_UP = 300
MENU = "Главное меню"


class Incidents(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def registered_users(app: BotApp, count: int) -> list[int]:
    """`count` policies and the accounts linked to them, as finished registrations leave them."""
    async with app.container.uow() as uow:
        session = uow.session
        session.add(Program(code="STD", name="Standard"))
        await session.flush()
        now = datetime.now(UTC)
        users = list(range(FIRST_USER, FIRST_USER + count))
        for user_id in users:
            person = InsuredPerson(
                policy_key=f"B{user_id}",
                policy_number=f"B-{user_id}",
                last_name="Bench",
                first_name="Bench",
                last_name_key="bench",
                first_name_key="bench",
                birth_date=date(1980, 1, 1),
                program_code="STD",
                valid_from=date(2026, 1, 1),
                valid_to=date(2027, 12, 31),
                row_hash="-",
            )
            session.add(person)
            await session.flush()
            session.add(Account(telegram_id=user_id, insured_person_id=person.id, created_at=now, registered_at=now))
        await uow.commit()
    return users


def menu_body(emulator: TelegramEmulator, user_id: int) -> bytes:
    """The update the user's `/menu` makes, built by the emulator (which then knows the chat), as JSON."""
    user = TgUser(id=user_id, first_name="Bench", language_code="ru")
    return json.dumps(emulator.user_message(user, "/menu"), ensure_ascii=False).encode()


def bare_app(bot: Bot) -> web.Application:
    """The baseline: read the JSON, build the Update, answer 200."""

    async def handle(request: web.Request) -> web.Response:
        Update.model_validate(await request.json(loads=bot.session.json_loads), context={"bot": bot})
        return web.Response(text="{}", content_type="application/json")

    app = web.Application()
    app.router.add_post(PATH, handle)
    return app


def aiogram_app(bot: Bot) -> web.Application:
    """For reference: a bare aiogram dispatcher (one router, a handler answering the text) behind aiogram's
    own webhook handler, answering after the update is handled. What any aiogram bot pays per update."""
    router = Router()

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text)

    dp = Dispatcher()
    dp.include_router(router)
    app = web.Application()
    SimpleRequestHandler(dp, bot, handle_in_background=False, secret_token=SECRET).register(app, path=PATH)
    return app


@asynccontextmanager
async def served(app: web.Application) -> AsyncIterator[str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}{PATH}"
    finally:
        await runner.cleanup()


async def load(http: aiohttp.ClientSession, url: str, streams: Sequence[Sequence[bytes]]) -> list[bytes]:
    """Each stream posted in order, the streams side by side; anything but 200 is an error. The answers
    that carry a Bot API call, for Telegram to perform."""
    headers = {"Content-Type": "application/json", SECRET_HEADER: SECRET}
    calls: list[bytes] = []

    async def one_user(bodies: Sequence[bytes]) -> None:
        for body in bodies:
            async with http.post(url, data=body, headers=headers) as response:
                if response.status != 200:
                    raise RuntimeError(f"{url} answered {response.status}")
                answer = await response.read()
                if answer != b"{}":
                    calls.append(answer)

    await asyncio.gather(*(one_user(bodies) for bodies in streams))
    return calls


@dataclass
class Side:
    name: str
    url: str
    reply: str | None  # what each update must have put in the chat (None: nothing)
    settle: Callable[[], Awaitable[None]] | None = None  # until the updates answered are handled
    rates: list[float] = field(default_factory=list)


class Bench:
    def __init__(
        self,
        http: aiohttp.ClientSession,
        emulator: TelegramEmulator,
        users: list[int],
        incidents: Incidents,
        sides: list[Side],
    ) -> None:
        self.http, self.emulator, self.users, self.incidents, self.sides = http, emulator, users, incidents, sides

    def streams(self, count: int) -> list[list[bytes]]:
        per_user = [count // len(self.users) + (i < count % len(self.users)) for i in range(len(self.users))]
        return [
            [menu_body(self.emulator, user) for _ in range(n)] for user, n in zip(self.users, per_user, strict=True)
        ]

    async def block(self, side: Side, count: int) -> float:
        """`count` updates through one side, timed, then checked."""
        streams = self.streams(count)
        before = {user: len(self.emulator.messages(user)) for user in self.users}
        seen = len(self.incidents.records)
        started = time.perf_counter()
        calls = await load(self.http, side.url, streams)
        if side.settle is not None:
            await side.settle()  # an update counts once it is handled (its answer in the chat)
        seconds = time.perf_counter() - started
        for call in calls:  # what Telegram does with the answers, on its own servers
            await self.emulator.perform(json.loads(call), int(TOKEN.split(":")[0]))
        if len(self.incidents.records) > seen:
            record = self.incidents.records[seen]
            raise RuntimeError(f"{side.name}: a handler failed: {record.getMessage()}") from (
                record.exc_info[1] if record.exc_info else None
            )
        for user, bodies in zip(self.users, streams, strict=True):
            new = self.emulator.messages(user)[before[user] :]
            expected = len(bodies) if side.reply is not None else 0
            if len(new) != expected or any(side.reply not in m.text for m in new):
                raise AssertionError(
                    f"{side.name}, user {user}: {len(bodies)} /menu, {len(new)} new messages "
                    f"({[m.text[:30] for m in new[:3]]})"
                )
        return seconds

    async def run(self, count: int, block: int) -> list[float]:
        """`count` updates through each side, in blocks taking the sides in turn; updates per second of each.

        What is alive now (the emulator's every message so far, the earlier runs' leftovers) is frozen out of
        the collector's passes, as the server froze what its start-up built: otherwise the full passes of
        every side walk a history that grows with each run, the bench's own and not the replica's."""
        gc.collect()
        gc.freeze()
        seconds = [0.0] * len(self.sides)
        done = 0
        while done < count:
            size = min(block, count - done)
            for i, side in enumerate(self.sides):
                seconds[i] += await self.block(side, size)
            done += size
        return [count / s for s in seconds]


async def main(count: int, concurrency: int, runs: int) -> None:
    incidents = Incidents()
    logging.getLogger().addHandler(incidents)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            async with TelegramEmulator() as emulator:
                await measure(emulator, f"sqlite+aiosqlite:///{tmp}/bench.sqlite3", incidents, count, concurrency, runs)
    finally:
        logging.getLogger().removeHandler(incidents)


async def measure(
    emulator: TelegramEmulator, database_url: str, incidents: Incidents, count: int, concurrency: int, runs: int
) -> None:
    # Everything that could reach the outside or change the path is pinned, whatever the environment says.
    settings = load_settings(
        bot_token=TOKEN,
        telegram_api_url=emulator.base_url,
        database_url=database_url,
        redis_url=None,
        otp_secret="bench-otp-secret",
        bot_today=TODAY,
        admin_ids=[],
        support_ids=[],
        sms_gateway_url=None,
        sms_provider="generic",
        smtp_url=None,
        trust_telegram_contact=True,
        http_host="127.0.0.1",
        http_port=0,
        webhook_base_url="http://127.0.0.1",
        webhook_secret=SECRET,
        webhook_path=PATH,
    )
    app = await build_app(settings)  # migrates SQLite itself
    aiogram_bot = create_bot(settings)
    try:
        users = await registered_users(app, concurrency)
        webhook = mount_webhook(app)
        async with (
            serving(app) as runner,
            served(bare_app(app.bot)) as bare_url,
            served(aiogram_app(aiogram_bot)) as aiogram_url,
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency * 2)) as http,
        ):
            bare = Side("bare handler", bare_url, None)
            reference = Side("bare aiogram", aiogram_url, "/menu")
            project = Side("project", f"http://127.0.0.1:{runner.addresses[0][1]}{PATH}", MENU, webhook.idle)
            bench = Bench(http, emulator, users, incidents, [bare, reference, project])
            block = max(concurrency, min(count, 500))
            await bench.run(min(WARM_UP, count), block)
            for _ in range(runs):  # the best of each: what the machine could do undisturbed
                for side, rate in zip(bench.sides, await bench.run(count, block), strict=True):
                    side.rates.append(rate)
            for side in bench.sides:
                print(f"  {side.name} runs/s: {' '.join(f'{r:,.0f}' for r in side.rates)}", file=sys.stderr)
    finally:
        await aiogram_bot.session.close()
        await app.close()
    rate = {side.name: max(side.rates) for side in bench.sides}
    print(
        f"embedded webhook /menu, {count} updates, {concurrency} users at once: bare handler "
        f"{rate['bare handler']:,.0f}/s, project {rate['project']:,.0f}/s"
    )
    print(
        f"for reference: bare aiogram behind aiogram's webhook handler {rate['bare aiogram']:,.0f}/s, "
        f"project / bare aiogram {rate['project'] / rate['bare aiogram']:.2f}"
    )
    print(f"ratio: {rate['project'] / rate['bare handler']:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=3000, help="timed updates per run (default 3000)")
    parser.add_argument("--concurrency", type=int, default=20, help="users posting side by side (default 20)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs; the best of each side counts (default 3)")
    args = parser.parse_args()
    asyncio.run(main(args.updates, args.concurrency, args.runs))
