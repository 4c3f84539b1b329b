"""Updates per second through the project's dispatcher versus a bare aiogram dispatcher, per path.

Three paths are measured, each against the same bare dispatcher (one router, no middlewares of its own)
fed the same number of comparable updates in this process, with no network: an offline Bot API session
serialises every request like a real session and answers it through aiogram's own response checks
(a Message for the send/edit methods, `true` for the boolean ones).

- /menu of a registered user (bare: a message handler answering the text);
- the card of the user's own policy, a button under a message the bot sent (bare: a callback handler
  that answers the callback and edits the message);
- one registration step: a user not registered yet, in the policy-number way, typing the surname
  (bare: a message handler answering the text). Every timed update is a real step: each has a user of
  its own whose dialog state is seeded, and whose viewer is cached, before the clock starts.

The ratio (project / bare) is what the project adds per update: middlewares, the viewer, i18n, the FSM,
the database reads of the real handler. The embedded default (SQLite in a temporary folder, memory FSM)
always runs; `--postgres URL --redis URL` also runs the paths on a throwaway database on that server
and on that Redis (only the keys this bench made are deleted afterwards).

Each path is warmed up on both dispatchers, then timed `--runs` times, in blocks of updates that
alternate between the two; the best run of each counts (a 2-core machine shared with other work is
noisy). Every timed block of updates is checked
afterwards: the methods each update had to call, no handler failure, and for the registration step the
dialog moved on. On a shared test Redis, a block under which the database was flushed is done again.

    python bench/updates.py [--updates N] [--runs R] [--postgres URL] [--redis URL]

The last line, `ratio: X.XX`, is the /menu ratio on the embedded default.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import logging
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, get_args

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.base import BaseSession
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import StorageKey
from aiogram.methods import TelegramMethod
from aiogram.types import CallbackQuery, Message, Update
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.callbacks.cabinet import PolicyCb
from bot.factory.telegram import create_bot, create_dispatcher
from bot.i18n import create_i18n_core
from bot.states.registration import Registration
from core import registration as dialogs
from core.bootstrap import Container, bootstrap
from core.db.migrate import upgrade
from core.db.models import Account, InsuredPerson, Program
from core.registration import Step, Way, parse_answer
from core.settings import Settings, load_settings

TOKEN = "123456:BENCH"
USER_ID = 555  # the registered user (/menu, the policy card)
STEP_USERS = 800_000_000  # the registration step's users: this id and up, one per update
TODAY = date(2026, 11, 21)  # inside the registered user's policy (2026-01-01 .. 2027-12-31)
POLICY_NUMBER = "B-1"
SURNAME = "Иванова"
WARM_UP = 200
SEED_BATCH = 50  # FSM calls in flight at once while seeding; redis-py pools refuse more than 100
BLOCK = 250  # updates timed at a stretch; a block disturbed from outside (see FlushGuard) is done again
RETRIES = 5  # at most this many times


# --- the offline Bot API


class OfflineSession(BaseSession):
    """Answers each method as Telegram would, without a network, through aiogram's own checks.

    The request is serialised as a real session serialises it (keyboards to JSON, defaults resolved);
    send/edit methods get a Message back (the chat and text of the request), boolean methods `true`.
    `calls` counts the methods called; `recording`, when a list, also keeps each call's fields.
    """

    def __init__(self) -> None:
        super().__init__()
        self._message_ids = itertools.count(10_000)
        self.calls: Counter[str] = Counter()
        self.recording: list[tuple[str, dict[str, Any]]] | None = None

    async def make_request(self, bot: Bot, method: Any, timeout: int | None = None) -> Any:
        fields: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            value = self.prepare_value(value, bot=bot, files={})
            if value:
                fields[key] = value
        name = method.__api_method__
        self.calls[name] += 1
        if self.recording is not None:
            self.recording.append((name, fields))
        reply = self.json_dumps({"ok": True, "result": self._result(bot, method, name, fields)})
        return self.check_response(bot, method, 200, reply).result

    def _result(self, bot: Bot, method: Any, name: str, fields: dict[str, Any]) -> Any:
        returning = get_args(method.__returning__) or (method.__returning__,)
        if Message in returning and "chat_id" in fields:
            return {
                "message_id": int(fields.get("message_id") or next(self._message_ids)),
                "date": int(time.time()),
                "chat": {"id": int(fields["chat_id"]), "type": "private"},
                "from": {"id": bot.id, "is_bot": True, "first_name": "Bench", "username": "bench_bot"},
                "text": fields.get("text") or "-",
            }
        if bool in returning:
            return True
        raise NotImplementedError(f"the offline session does not answer {name}")

    async def stream_content(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def close(self) -> None:
        return None


_update_ids = itertools.count(1)


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Bench", "language_code": "ru"}


def message_update(user_id: int, text_: str) -> Update:
    update_id = next(_update_ids)
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": 0,
        "chat": {"id": user_id, "type": "private"},
        "from": _user(user_id),
        "text": text_,
    }
    if text_.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text_.split()[0])}]
    return Update.model_validate({"update_id": update_id, "message": message})


def callback_update(bot: Bot, user_id: int, data: str) -> Update:
    """A press on a button of a message the bot sent earlier in this chat."""
    update_id = next(_update_ids)
    return Update.model_validate(
        {
            "update_id": update_id,
            "callback_query": {
                "id": str(update_id),
                "from": _user(user_id),
                "chat_instance": "bench",
                "data": data,
                "message": {
                    "message_id": 7,
                    "date": 0,
                    "chat": {"id": user_id, "type": "private"},
                    "from": {"id": bot.id, "is_bot": True, "first_name": "Bench", "username": "bench_bot"},
                    "text": "Полисы",
                    "reply_markup": {"inline_keyboard": [[{"text": POLICY_NUMBER, "callback_data": data}]]},
                },
            },
        }
    )


def bare_dispatcher() -> Dispatcher:
    """The baseline: one router, a message handler answering the text, a callback handler that
    answers the press and edits its message. No middlewares beyond aiogram's own."""
    router = Router()

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text)

    @router.callback_query()
    async def press(callback: CallbackQuery) -> None:
        await callback.answer()
        await callback.message.edit_text(callback.data)

    dp = Dispatcher()
    dp.include_router(router)
    return dp


# --- the tiers


@dataclass
class Tier:
    name: str
    container: Container
    dp: Dispatcher
    person_id: int  # the registered user's insured person


def bench_settings(database_url: str, redis_url: str | None) -> Settings:
    # Everything that could reach the outside or change the path is pinned, whatever the environment says.
    return load_settings(
        bot_token=TOKEN,
        database_url=database_url,
        redis_url=redis_url,
        otp_secret="bench-otp-secret",
        bot_today=TODAY,
        admin_ids=[],
        support_ids=[],
        webhook_base_url=None,
        sms_gateway_url=None,
        sms_provider="generic",
        smtp_url=None,
        trust_telegram_contact=True,
    )


async def registered_user(container: Container) -> int:
    """A policy and the account linked to it, as a finished registration leaves them."""
    async with container.uow() as uow:
        session = uow.session
        session.add(Program(code="STD", name="Standard"))
        await session.flush()
        person = InsuredPerson(
            policy_key="B1",
            policy_number=POLICY_NUMBER,
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
        now = datetime.now(UTC)
        session.add(Account(telegram_id=USER_ID, insured_person_id=person.id, created_at=now, registered_at=now))
        await uow.commit()
        return person.id


@asynccontextmanager
async def project(name: str, database_url: str, redis_url: str | None) -> AsyncIterator[Tier]:
    container = await bootstrap(bench_settings(database_url, redis_url))  # migrates SQLite itself
    try:
        await container.start()
        person_id = await registered_user(container)
        yield Tier(name, container, create_dispatcher(container, create_i18n_core()), person_id)
    finally:
        await container.close()


@asynccontextmanager
async def embedded_tier() -> AsyncIterator[Tier]:
    with tempfile.TemporaryDirectory() as tmp:
        async with project("embedded", f"sqlite+aiosqlite:///{tmp}/bench.sqlite3", None) as tier:
            yield tier


@asynccontextmanager
async def server_tier(postgres_url: str | None, redis_url: str | None) -> AsyncIterator[Tier]:
    """A fresh database on the PostgreSQL server (dropped at the end), or SQLite; Redis when given."""
    name = "+".join(part for part in ("postgres" if postgres_url else "sqlite", redis_url and "redis") if part)
    if not postgres_url:
        with tempfile.TemporaryDirectory() as tmp:
            async with project(name, f"sqlite+aiosqlite:///{tmp}/bench.sqlite3", redis_url) as tier:
                yield tier
        return
    admin = create_async_engine(postgres_url, isolation_level="AUTOCOMMIT")
    database = f"dmsbot_bench_{uuid.uuid4().hex[:10]}"
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{database}"'))
        try:
            url = make_url(postgres_url).set(database=database).render_as_string(hide_password=False)
            await upgrade(url)
            async with project(name, url, redis_url) as tier:
                yield tier
        finally:
            async with admin.connect() as connection:
                await connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    finally:
        await admin.dispose()


# --- the paths


class Incidents(logging.Handler):
    """Errors logged while feeding (the error handler's incidents): a run with any is not a measurement."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Scenario:
    """One path, in blocks of updates numbered from `start`: how to make them, what to do before the
    project gets them (untimed), what each update must have sent, and what must hold after."""

    name: str
    make: Callable[[int, int], list[Update]]
    calls_per_update: dict[str, int]
    prepare: Callable[[int, int], Awaitable[None]] | None = None
    verify: Callable[[int, int], Awaitable[None]] | None = None
    bare: list[float] = field(default_factory=list)
    full: list[float] = field(default_factory=list)


def key_of(bot: Bot, user_id: int) -> StorageKey:
    return StorageKey(bot_id=bot.id, chat_id=user_id, user_id=user_id)


async def in_batches(items: Iterable[Any], work: Callable[[Any], Awaitable[Any]]) -> None:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == SEED_BATCH:
            await asyncio.gather(*(work(x) for x in batch))
            batch.clear()
    if batch:
        await asyncio.gather(*(work(x) for x in batch))


def surname_asked() -> tuple[State, dict[str, Any]]:
    """The FSM of a user who chose the policy-number way and typed the number: the surname is asked."""
    number = parse_answer(Step.POLICY, POLICY_NUMBER, TODAY)
    if hasattr(dialogs, "Dialog"):  # the dialog as data, moved by core's own transitions
        dialog, _ = dialogs.begin(None, consents_given=True)
        dialog, _ = dialogs.on_way(dialog, Way.POLICY)
        dialog, action = dialogs.on_answer(dialog, number)
        assert action == dialogs.Ask(Step.LAST_NAME), action
        return Registration.active, {"dialog": dialog.to_data()}
    # The dialog as separate FSM keys (before core.registration.Dialog).
    return Registration.answering, {
        "invite": None,
        "way": Way.POLICY.value,
        "answers": number,
        "email_asked": False,
        "step": Step.LAST_NAME.value,
    }


def step_users(start: int, count: int) -> range:
    """The registration step's users: one per update, update `start` onwards."""
    return range(STEP_USERS + start, STEP_USERS + start + count)


def paths(tier: Tier, bot: Bot) -> list[Scenario]:
    storage, viewers = tier.dp.storage, tier.container.viewers
    card_data = PolicyCb(person_id=tier.person_id).pack()
    asked_state, asked_data = surname_asked()

    async def seed(user_id: int) -> None:
        key = key_of(bot, user_id)
        await storage.set_state(key, asked_state)
        await storage.set_data(key, asked_data)

    async def seed_steps(start: int, count: int) -> None:
        await in_batches(step_users(start, count), seed)
        await in_batches(step_users(start, count), viewers.get)  # a cache hit from here on

    async def stepped(user_id: int) -> None:
        key = key_of(bot, user_id)
        state, data = await storage.get_state(key), await storage.get_data(key)
        dialog = data.get("dialog", data)
        if (
            state != asked_state.state
            or dialog.get("step") != Step.FIRST_NAME.value
            or "last_key" not in dialog.get("answers", {})
        ):
            raise AssertionError(f"user {user_id} did not take the surname step: {state} {data}")

    async def verify_steps(start: int, count: int) -> None:
        await in_batches(step_users(start, count), stepped)

    async def warm_viewer(_: int, __: int) -> None:
        await viewers.get(USER_ID)

    return [
        Scenario(
            "/menu",
            lambda _, count: [message_update(USER_ID, "/menu") for _ in range(count)],
            {"sendMessage": 1},
            prepare=warm_viewer,
        ),
        Scenario(
            "policy card",
            lambda _, count: [callback_update(bot, USER_ID, card_data) for _ in range(count)],
            {"answerCallbackQuery": 1, "editMessageText": 1},
            prepare=warm_viewer,
        ),
        Scenario(
            "registration step",
            lambda start, count: [message_update(uid, SURNAME) for uid in step_users(start, count)],
            {"sendMessage": 1},
            prepare=seed_steps,
            verify=verify_steps,
        ),
    ]


class FlushGuard:
    """Tells whether the tier's Redis database was emptied during a block (a test suite's fixtures
    FLUSHDB the test database): the block's dialogs and locks vanished, so it measured nothing.
    A marker key of this bench's own is set before the block and looked for after it."""

    def __init__(self, tier: Tier) -> None:
        self.redis = tier.container.redis
        self.key = f"dmsbot-bench:marker:{uuid.uuid4().hex}"

    async def arm(self) -> None:
        if self.redis is not None:
            await self.redis.set(self.key, "1", ex=3600)

    async def intact(self) -> bool:
        return self.redis is None or bool(await self.redis.exists(self.key))

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.delete(self.key)


@dataclass
class Runner:
    tier: Tier
    bot: Bot
    session: OfflineSession
    incidents: Incidents
    guard: FlushGuard
    bare: Dispatcher = field(default_factory=bare_dispatcher)

    async def run(self, path: Scenario, count: int) -> tuple[float, float]:
        """`count` updates through the bare dispatcher and as many through the project's; updates per
        second of each.

        Fed in blocks, a bare block then a project block, so both see the same moments of a machine
        others share. Each block is prepared untimed, then timed, then checked. A project block under
        which Redis was flushed is done again (its time is not counted); any other failure is raised."""
        gc.collect()
        done, bare_seconds, full_seconds = 0, 0.0, 0.0
        while done < count:
            size = min(BLOCK, count - done)
            bare_seconds += await self._block(path, done, size, full=False)
            for attempt in range(RETRIES + 1):
                seconds = await self._block(path, done, size, full=True)
                if seconds is not None:
                    break
                if attempt == RETRIES:
                    raise RuntimeError(f"{self.tier.name} {path.name}: Redis was flushed under every attempt")
                print(
                    f"  {self.tier.name} {path.name}: Redis was flushed during a block; doing it again",
                    file=sys.stderr,
                    flush=True,
                )
            full_seconds += seconds
            done += size
        return count / bare_seconds, count / full_seconds

    async def _block(self, path: Scenario, start: int, size: int, *, full: bool) -> float | None:
        if full:  # the bare dispatcher keeps its (empty) FSM in memory: nothing outside can disturb it
            await self.guard.arm()
            if path.prepare is not None:
                await path.prepare(start, size)
        updates = path.make(start, size)
        dp = self.tier.dp if full else self.bare
        self.session.calls.clear()
        seen = len(self.incidents.records)
        started = time.perf_counter()
        for update in updates:
            await handled(dp, self.bot, update)
        seconds = time.perf_counter() - started
        if full and not await self.guard.intact():
            return None
        if len(self.incidents.records) > seen:
            record = self.incidents.records[seen]
            raise RuntimeError(f"{path.name}: a handler failed: {record.getMessage()}") from (
                record.exc_info[1] if record.exc_info else None
            )
        expected = Counter({method: n * size for method, n in path.calls_per_update.items()})
        if self.session.calls != expected:
            who = "project" if full else "bare"
            raise AssertionError(f"{path.name} ({who}): sent {dict(self.session.calls)}, expected {dict(expected)}")
        if full and path.verify is not None:
            await path.verify(start, size)
        return seconds


async def handled(dp: Dispatcher, bot: Bot, update: Update) -> None:
    """An update through the dispatcher as polling handles it: a call its handler returned is made."""
    result = await dp.feed_update(bot, update)
    if isinstance(result, TelegramMethod):
        await bot(result)


async def check_project(tier: Tier, bot: Bot, session: OfflineSession) -> None:
    """One update per path before any timing: each takes the path it is meant to measure."""
    session.recording = []
    try:
        await tier.container.viewers.get(USER_ID)
        await handled(tier.dp, bot, message_update(USER_ID, "/menu"))
        [(method, fields)] = session.recording
        if method != "sendMessage" or "reply_markup" not in fields:
            raise AssertionError(f"/menu did not show the registered user's menu: {session.recording}")
        session.recording.clear()
        await handled(tier.dp, bot, callback_update(bot, USER_ID, PolicyCb(person_id=tier.person_id).pack()))
        methods = dict(session.recording)
        if POLICY_NUMBER not in methods.get("editMessageText", {}).get("text", "") or "text" in methods.get(
            "answerCallbackQuery", {"text": "missing"}
        ):
            raise AssertionError(f"the policy card was not shown: {session.recording}")
    finally:
        session.recording = None


async def measure(
    tier: Tier, bot: Bot, session: OfflineSession, incidents: Incidents, count: int, runs: int
) -> dict[str, float]:
    await check_project(tier, bot, session)
    guard = FlushGuard(tier)
    runner = Runner(tier, bot, session, incidents, guard)
    ratios: dict[str, float] = {}
    try:
        for path in paths(tier, bot):
            await runner.run(path, min(WARM_UP, count))
            for _ in range(runs):  # the best of each: what the machine could do undisturbed
                bare_rate, full_rate = await runner.run(path, count)
                path.bare.append(bare_rate)
                path.full.append(full_rate)
            bare_rate, full_rate = max(path.bare), max(path.full)
            ratios[path.name] = full_rate / bare_rate
            print(
                f"{tier.name} {path.name}: bare {bare_rate:,.0f}/s, project {full_rate:,.0f}/s, "
                f"ratio {ratios[path.name]:.2f}",
                flush=True,
            )
            print(
                f"  runs/s: bare {' '.join(f'{r:,.0f}' for r in path.bare)}; "
                f"project {' '.join(f'{r:,.0f}' for r in path.full)}",
                file=sys.stderr,
                flush=True,
            )
    finally:
        await guard.close()
    return ratios


async def forget_fsm(tier: Tier, bot: Bot, count: int) -> None:
    """Redis: delete the dialog keys this bench made (its users' only), nothing else."""
    storage = tier.dp.storage
    redis, builder = getattr(storage, "redis", None), getattr(storage, "key_builder", None)
    if redis is None or builder is None:
        return
    users = [USER_ID, *step_users(0, max(count, WARM_UP))]
    keys = [builder.build(key_of(bot, uid), part) for uid in users for part in ("state", "data")]
    for start in range(0, len(keys), 1000):
        await redis.delete(*keys[start : start + 1000])


async def main(count: int, runs: int, postgres_url: str | None, redis_url: str | None) -> None:
    session = OfflineSession()
    bot = create_bot(bench_settings("sqlite+aiosqlite:///unused.sqlite3", None), session)
    incidents = Incidents()
    logging.getLogger().addHandler(incidents)
    try:
        async with embedded_tier() as tier:
            embedded = await measure(tier, bot, session, incidents, count, runs)
        if postgres_url or redis_url:
            async with server_tier(postgres_url, redis_url) as tier:
                try:
                    await measure(tier, bot, session, incidents, count, runs)
                finally:
                    await forget_fsm(tier, bot, count)
    finally:
        logging.getLogger().removeHandler(incidents)
        await bot.session.close()
    print(f"ratio: {embedded['/menu']:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=3000, help="timed updates per run (default 3000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per path and dispatcher; the best counts")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also run on a throwaway database on this server, e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test",
    )
    parser.add_argument(
        "--redis",
        metavar="URL",
        help="with it, the FSM and the viewer channel on this Redis, e.g. redis://127.0.0.1:6379/15",
    )
    args = parser.parse_args()
    asyncio.run(main(args.updates, args.runs, args.postgres, args.redis))
