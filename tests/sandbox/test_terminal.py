"""The terminal chat of `python -m bot sandbox` survives any input: bad bytes, huge lines, control characters."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulators import terminal
from emulators.telegram import MAX_TEXT, TelegramEmulator
from emulators.terminal import TerminalChat, clean_line, read_lines, split_text
from tests.sandbox_terminal import sandbox

CUT_LETTER = "При".encode()[:-1]  # "р" cut in half: what a terminal's line limit does to a long paste
LONE_SURROGATE = "\ud800".encode("utf-8", "surrogatepass")  # invalid UTF-8 that decodes to a surrogate
CONTROLS = "\x00\x01\x07\x1b[2J\x7f\x9b"  # NUL, bell, an escape sequence, DEL, a C1 control


async def test_the_session_goes_on_after_lines_that_used_to_end_it(tmp_path: Path) -> None:
    async with sandbox(tmp_path) as screen:
        await screen.expect("[1] ✅ Согласен")
        await screen.type(CUT_LETTER + b" " + LONE_SURROGATE + " мир".encode(), "\nbot: ")
        await screen.type(("Я" * 10_000).encode(), "sent as 3 messages")
        await screen.type(f"{CONTROLS}привет{CONTROLS}".encode(), "\nbot: ")
        await screen.type(b'!file "unclosed', "No closing quotation")
        await screen.type(b"!help", "!quit")
        await screen.type(b"!1", "Правила пользования")  # the chat still works
        assert "Traceback" not in screen.seen and "Error" not in screen.seen
        assert await screen.quit() == 0


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

    def user_message(user, text):
        if text == "boom":
            raise RuntimeError("the emulator failed")
        return send(user, text)

    monkeypatch.setattr(telegram, "user_message", user_message)
    shown: list[str] = []
    await read_lines(TerminalChat(telegram, out=shown.append))
    assert [update["message"]["text"] for update in telegram.updates] == ["first", "third"]
    assert shown == ["  ! that line was not sent: RuntimeError: the emulator failed"]
    assert next(lines) == "never read"
