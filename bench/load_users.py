"""The load bench's simulated users: a person's steps through the cabinet (each with what the chat must show
before the next), the bare baseline's one step, and the payments made on the YooKassa page after Pay."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from load_deployment import person

from emulators.telegram import TelegramEmulator, TgUser
from emulators.yookassa import YooKassaEmulator


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
