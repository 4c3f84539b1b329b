"""On SQLite a big import from the command line does not stop the bot: while `python -m bot import …` runs
in another process, the bot (the real dispatcher, on the same database file) answers `/menu` (a database
read: each time a new user, so the viewer cache misses) and stores a language choice (a write) within a
second each time.

- A registry of 200,000 rows (`KEEP_ANSWERING_ROWS` to change it): written by the importer's writer process
  in transactions of 20,000 rows, 100 ms apart.
- Bills: the file is read, checked and staged without the database's write lock; the final transaction (the
  invoices, the lines moved into place) holds it for a time that grows with the new lines (about a third
  of the import), so the file is sized to keep that part well under a second on a quiet machine."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from core.services.billing.bills import COLUMNS
from tests.bot.cabinet_fixtures import import_samples
from tests.harness import BotHarness

# The suite's size; `KEEP_ANSWERING_ROWS=1000000` runs it with a million rows (about 30 s of import, quiet).
ROWS = int(os.environ.get("KEEP_ANSWERING_ROWS", 200_000))
HEADER = "policy_number;last_name;first_name;patronymic;birth_date;phone;email;program_code;valid_from;valid_to"
NAMES = ["Иванов", "Петрова", "Сидоров", "Кузнецова", "Смирнов", "Ким", "Салтыков-Щедрин", "Алиев"]
FIRST = ["Иван", "Мария", "Пётр", "Анна", "Сергей", "Елена"]

LINES = 20_000
POLICIES = ["123/14", "АМ012345679/13", "АМ012345680/13", "АМ012345681/13", "АМ012345685/13"]  # valid all 2026
CLINICS = ["C001", "C002", "C003"]


def registry(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        for n in range(rows):
            out.write(
                f"ZZ{n:09d}/26;{NAMES[n % 8]};{FIRST[n % 6]};;{1 + n % 28:02d}.{1 + n % 12:02d}.{1950 + n % 60};"
                f"+7 916 {n % 10**7:07d};user{n}@example.ru;{'STD' if n % 3 else 'FR20'};01.01.2026;31.12.2027\n"
            )
    return path


def bills(path: Path, lines: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write(";".join(COLUMNS) + "\n")
        for n in range(lines):
            out.write(
                f"K-{n:08d};{POLICIES[n % 5]};{CLINICS[n % 3]};{1 + n % 28:02d}.09.2026;B01.047.001;"
                f"Прием врача-терапевта первичный;{1 + n % 3};{n % 300 + 1},{n % 100:02d}\n"
            )
    return path


async def test_bot_answers_within_a_second_during_a_big_registry_import(harness: BotHarness, tmp_path: Path) -> None:
    summary = await answered_during(harness, "registry", registry(tmp_path / "registry.csv", ROWS))
    assert summary == f"imported {ROWS}, updated 0, unchanged 0, rejected 0"


async def test_bot_answers_within_a_second_while_a_bills_import_reads_its_file(
    harness: BotHarness, tmp_path: Path
) -> None:
    path = bills(tmp_path / "bills.csv", LINES)
    summary = await answered_during(harness, "bills", path, "--issued-on", "2026-10-01")
    assert summary == f"imported {LINES}, updated 0, unchanged 0, rejected 0, invoices issued 4"


async def answered_during(harness: BotHarness, kind: str, path: Path, *options: str) -> str:
    """Users press /menu and choose a language while the import runs; each answered within a second. The
    import's last line (its summary)."""
    await import_samples(harness.engine)
    env = {**os.environ, "DATABASE_URL": harness.settings.database_url, "BOT_TODAY": "2026-11-21"}
    importing = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "bot", "import", kind, str(path), *options),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    reads: list[float] = []
    writes: list[float] = []
    waiting = asyncio.ensure_future(importing.communicate())
    began = time.monotonic()
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
    print(
        f"during the {kind} import ({time.monotonic() - began:.1f} s): {len(reads)} /menu, slowest "
        f"{max(reads):.3f} s; {len(writes)} language choices stored, slowest {max(writes):.3f} s"
    )
    assert len(reads) >= 20 and len(writes) >= 5  # the import lasted long enough to mean something
    assert max(reads) < 1.0
    assert max(writes) < 1.0
    return out.decode().splitlines()[-1]
