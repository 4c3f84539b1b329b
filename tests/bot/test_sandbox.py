"""`python -m bot sandbox` as a person uses it: a real process, lines typed on its standard input."""

from __future__ import annotations

import asyncio
import codecs
import os
import sys
from pathlib import Path



class Terminal:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.seen = ""
        self._utf8 = codecs.getincrementaldecoder("utf-8")()  # a letter may be cut between two reads

    async def expect(self, text: str, since: int = 0, timeout: float = 30) -> None:
        """Read the terminal until `text` shows after position `since`."""

        async def read_until() -> None:
            while text not in self.seen[since:]:
                chunk = await self.process.stdout.read(4096)
                if not chunk:
                    raise AssertionError(f"the sandbox ended before {text!r}:\n{self.seen[-2000:]}")
                self.seen += self._utf8.decode(chunk)

        await asyncio.wait_for(read_until(), timeout)

    async def type(self, line: str, then: str) -> None:
        mark = len(self.seen)
        self.process.stdin.write(f"{line}\n".encode())
        await self.process.stdin.drain()
        await self.expect(then, since=mark)



async def test_a_person_registers_and_opens_the_cabinet_in_the_terminal(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "REDIS_", "SMS_", "SMTP_"))}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "sandbox", cwd=tmp_path, env=env,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    terminal = Terminal(process)
    try:
        await terminal.expect("[1] ✅ Согласен")  # /start is sent for you: greeting, first consent
        await terminal.type("!1", "Правила пользования")
        await terminal.type("!1", "Уведомления")
        await terminal.type("!2", "Как вы хотите зарегистрироваться?")
        await terminal.type("!1", "Введите номер полиса")
        await terminal.type("AM012345678/13", "Введите фамилию")
        await terminal.type("Шмолина", "Введите имя")
        await terminal.type("Елена", "Введите отчество")
        await terminal.type("Вениаминовна", "Введите дату рождения")
        await terminal.type("02.07.1979", "keyboard: 📱 Поделиться номером")
        await terminal.type("8 916 100-00-02", "[SMS to +79161000002]")
        code = terminal.seen.split("[SMS to +79161000002] ")[1].split(":")[1].split(".")[0].strip()
        await terminal.type(code, "Главное меню")
        await terminal.type("/policies", "AM012345678/13")
        await terminal.type("/invoices", "№ 2026/10/4")  # the sample bills are issued
        await terminal.type("!99", "the last message has buttons")  # a wrong number is explained
        process.stdin.write(b"!quit\n")
        await process.stdin.drain()
        assert await asyncio.wait_for(process.wait(), 30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
