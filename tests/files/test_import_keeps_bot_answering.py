"""On SQLite a big import from the command line does not stop the bot: while `python -m bot import
registry` writes 200,000 rows in another process, the bot (the real dispatcher, on the same
database file) answers `/menu` (a database read: each time a new user, so the viewer cache
misses) and stores a language choice (a write) within a second each time."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from tests.bot.cabinet_fixtures import import_samples
from tests.harness import BotHarness

ROWS = 200_000
HEADER = "policy_number;last_name;first_name;patronymic;birth_date;phone;email;program_code;valid_from;valid_to"
NAMES = ["Иванов", "Петрова", "Сидоров", "Кузнецова", "Смирнов", "Ким", "Салтыков-Щедрин", "Алиев"]
FIRST = ["Иван", "Мария", "Пётр", "Анна", "Сергей", "Елена"]


def registry(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        for n in range(rows):
            out.write(
                f"ZZ{n:09d}/26;{NAMES[n % 8]};{FIRST[n % 6]};;{1 + n % 28:02d}.{1 + n % 12:02d}.{1950 + n % 60};"
                f"+7 916 {n % 10**7:07d};user{n}@example.ru;{'STD' if n % 3 else 'FR20'};01.01.2026;31.12.2027\n"
            )
    return path


async def test_bot_answers_within_a_second_during_a_200000_row_import(harness: BotHarness, tmp_path: Path) -> None:
    await import_samples(harness.engine)
    path = registry(tmp_path / "registry.csv", ROWS)
    env = {**os.environ, "DATABASE_URL": harness.settings.database_url, "BOT_TODAY": "2026-11-21"}
    importing = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "import",
        "registry",
        str(path),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    reads: list[float] = []
    writes: list[float] = []
    waiting = asyncio.ensure_future(importing.communicate())
    user = 800_000
    while not waiting.done():
        user += 1
        chat = harness.chat(user)
        started = time.monotonic()
        menu = await chat.send("/menu")
        reads.append(time.monotonic() - started)
        assert menu and menu[0].text
        if len(reads) % 3 == 0:
            await chat.send("/language")
            started = time.monotonic()
            chosen = await chat.press("English")
            writes.append(time.monotonic() - started)
            assert chosen
        await asyncio.sleep(0.05)
    out, err = waiting.result()
    assert importing.returncode == 0, err.decode()[-2000:]
    assert out.decode().splitlines()[-1] == f"imported {ROWS}, updated 0, unchanged 0, rejected 0"
    print(
        f"during the import: {len(reads)} /menu, slowest {max(reads):.3f} s; "
        f"{len(writes)} language choices stored, slowest {max(writes):.3f} s"
    )
    assert len(reads) >= 20 and len(writes) >= 5  # the import lasted long enough to mean something
    assert max(reads) < 1.0
    assert max(writes) < 1.0
