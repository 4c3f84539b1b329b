"""The load bench's generator: one step's open-loop arrivals at an offered rate through the replicas in turn,
each update's latency and what failed."""

from __future__ import annotations

import asyncio
import gc
import json
import math
import random
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import aiohttp
from load_deployment import BOT_ID, SECRET
from load_users import Chat

from bot.web.telegram_webhook import SECRET_HEADER
from emulators.telegram import TelegramEmulator

BUDGET = 0.25  # seconds: 99 % of the updates answered within it
QUANTILE = 0.99
DRAIN = 10.0  # seconds a step waits for its last answers
STEP_WAIT = 5.0  # seconds a user waits for a step's message after its answer


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
        # What the generator holds (the emulator's chats, the users) frozen out of its collector: a full
        # collection over it took up to 0.9 s with 3,000 users, a lag that failed steps of either side.
        gc.collect()
        gc.freeze()
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
