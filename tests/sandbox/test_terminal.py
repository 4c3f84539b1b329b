"""The terminal chat of `python -m bot sandbox` survives any input: bad bytes, huge lines, control characters."""

from __future__ import annotations

import asyncio
import codecs
import os
import sys
from pathlib import Path

import pytest

from emulators import terminal
from emulators.telegram import MAX_TEXT, TelegramEmulator
from emulators.terminal import TerminalChat, clean_line, read_lines, split_text

CUT_LETTER = "При".encode()[:-1]  # "р" cut in half: what a terminal's line limit does to a long paste
LONE_SURROGATE = "\ud800".encode("utf-8", "surrogatepass")  # invalid UTF-8 that decodes to a surrogate
CONTROLS = "\x00\x01\x07\x1b[2J\x7f\x9b"  # NUL, bell, an escape sequence, DEL, a C1 control


class Terminal:
    """The sandbox process, read until a text shows; lines written as raw bytes."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.seen = ""
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")

    async def expect(self, text: str, since: int = 0, timeout: float = 30) -> None:
        async def read_until() -> None:
            while text not in self.seen[since:]:
                chunk = await self.process.stdout.read(4096)
                if not chunk:
                    raise AssertionError(f"the sandbox ended before {text!r}:\n{self.seen[-2000:]}")
                self.seen += self._utf8.decode(chunk)

        await asyncio.wait_for(read_until(), timeout)

    async def type(self, line: bytes, then: str) -> None:
        mark = len(self.seen)
        self.process.stdin.write(line + b"\n")
        await self.process.stdin.drain()
        await self.expect(then, since=mark)


async def test_the_session_goes_on_after_lines_that_used_to_end_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "REDIS_", "SMS_", "SMTP_"))}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "sandbox", cwd=tmp_path, env=env,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    terminal = Terminal(process)
    try:
        await terminal.expect("[1] ✅ Согласен")
        await terminal.type(CUT_LETTER + b" " + LONE_SURROGATE + " мир".encode(), "\nbot: ")
        await terminal.type(("Я" * 10_000).encode(), "sent as 3 messages")
        await terminal.type(f"{CONTROLS}привет{CONTROLS}".encode(), "\nbot: ")
        await terminal.type(b'!file "unclosed', "No closing quotation")
        await terminal.type(b"!help", "!quit")
        await terminal.type(b"!1", "Правила пользования")  # the chat still works
        assert "Traceback" not in terminal.seen and "Error" not in terminal.seen
        process.stdin.write(b"!quit\n")
        await process.stdin.drain()
        assert await asyncio.wait_for(process.wait(), 30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


def test_a_line_keeps_its_text_but_loses_surrogates_and_control_characters() -> None:
    assert clean_line(f"\udcd0при\ud800вет{CONTROLS}\tok\x1bOA\x1b[1;5D\r") == "привет\tok"
    assert clean_line("обычный текст 🙂") == "обычный текст 🙂"


def test_a_long_text_is_split_as_telegram_counts() -> None:
    assert [len(piece) for piece in split_text("Я" * 10_000)] == [MAX_TEXT, MAX_TEXT, 10_000 - 2 * MAX_TEXT]
    pieces = split_text("🙂" * 3000)  # two UTF-16 units each
    assert "".join(pieces) == "🙂" * 3000 and [len(piece) for piece in pieces] == [2048, 952]


def test_the_chat_sends_what_is_left_of_a_line_with_a_lone_surrogate() -> None:
    telegram = TelegramEmulator()
    chat = TerminalChat(telegram, out=lambda text: None)
    assert chat.handle("При\udcd0 мир\x00")
    assert chat.handle(CONTROLS)  # nothing left to send
    assert [update["message"]["text"] for update in telegram.updates] == ["При мир"]


async def test_an_error_in_one_line_does_not_end_the_session(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = iter(["first", "boom", "third", "!quit", "never read"])
    monkeypatch.setattr(terminal, "_input", lambda prompt: next(lines))
    telegram = TelegramEmulator()
    send = telegram.user_message

    def user_message(user, text):  # noqa: ANN001, ANN202
        if text == "boom":
            raise RuntimeError("the emulator failed")
        return send(user, text)

    monkeypatch.setattr(telegram, "user_message", user_message)
    shown: list[str] = []
    await read_lines(TerminalChat(telegram, out=shown.append))
    assert [update["message"]["text"] for update in telegram.updates] == ["first", "third"]
    assert shown == ["  ! that line was not sent: RuntimeError: the emulator failed"]
    assert next(lines) == "never read"
