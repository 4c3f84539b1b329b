"""On SQLite a bills import from the command line does not hold the database's write lock while it reads,
checks and stages its file: as `python -m bot import bills` takes LINES new lines in another process, the
bot (the real dispatcher, on the same database file) answers `/menu` (a read) and stores a language choice
(a write) within a second each time. The import's final transaction (its invoices, and its lines moved
into place) does hold the lock, for a time that grows with the new lines (about a third of the import):
the file is sized so that this part stays well under a second on a quiet machine."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from core.services.billing.bills import COLUMNS
from tests.bot.cabinet_fixtures import import_samples
from tests.harness import BotHarness

LINES = 20_000
POLICIES = [
    "123/14",
    "АМ012345679/13",
    "АМ012345680/13",
    "АМ012345681/13",
    "АМ012345685/13",
]  # valid all 2026 (…680 pays nothing: STD)
CLINICS = ["C001", "C002", "C003"]


def bills(path: Path, lines: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write(";".join(COLUMNS) + "\n")
        for n in range(lines):
            out.write(
                f"K-{n:08d};{POLICIES[n % 5]};{CLINICS[n % 3]};{1 + n % 28:02d}.09.2026;B01.047.001;"
                f"Прием врача-терапевта первичный;{1 + n % 3};{n % 300 + 1},{n % 100:02d}\n"
            )
    return path


async def test_bot_answers_within_a_second_while_a_bills_import_reads_its_file(
    harness: BotHarness, tmp_path: Path
) -> None:
    await import_samples(harness.engine)
    path = bills(tmp_path / "bills.csv", LINES)
    env = {**os.environ, "DATABASE_URL": harness.settings.database_url, "BOT_TODAY": "2026-11-21"}
    importing = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "bot", "import", "bills", str(path), "--issued-on", "2026-10-01"),
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
    assert out.decode().splitlines()[-1] == f"imported {LINES}, updated 0, unchanged 0, rejected 0, invoices issued 4"
    print(
        f"during the import ({time.monotonic() - began:.1f} s): {len(reads)} /menu, slowest {max(reads):.3f} s; "
        f"{len(writes)} language choices stored, slowest {max(writes):.3f} s"
    )
    assert len(reads) >= 20 and len(writes) >= 5  # the import lasted long enough to mean something
    assert max(reads) < 1.0
    assert max(writes) < 1.0
