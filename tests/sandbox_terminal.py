"""`python -m bot sandbox` as a real process, typed into and read like a terminal."""

from __future__ import annotations

import asyncio
import codecs
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path


class Terminal:
    """The sandbox's output, read until a text shows; lines written to its standard input."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.seen = ""
        # A letter may be cut between two reads; bytes the sandbox should never print show as "�".
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")

    async def expect(self, text: str, since: int = 0, timeout: float = 60) -> None:
        """Read the terminal until `text` shows after position `since`."""

        async def read_until() -> None:
            while text not in self.seen[since:]:
                chunk = await self.process.stdout.read(4096)
                if not chunk:
                    raise AssertionError(f"the sandbox ended before {text!r}:\n{self.seen[-2000:]}")
                self.seen += self._utf8.decode(chunk)

        await asyncio.wait_for(read_until(), timeout)

    async def type(self, line: str | bytes, then: str) -> None:
        mark = len(self.seen)
        self.process.stdin.write((line.encode() if isinstance(line, str) else line) + b"\n")
        await self.process.stdin.drain()
        await self.expect(then, since=mark)

    async def quit(self) -> int:
        self.process.stdin.write(b"!quit\n")
        await self.process.stdin.drain()
        return await asyncio.wait_for(self.process.wait(), 30)


@asynccontextmanager
async def sandbox(cwd: Path, *options: str) -> AsyncIterator[Terminal]:
    """A fresh sandbox, with none of the caller's bot settings; killed if the test leaves it running."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "REDIS_", "SMS_", "SMTP_"))}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "sandbox",
        *options,
        cwd=cwd,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        yield Terminal(process)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
