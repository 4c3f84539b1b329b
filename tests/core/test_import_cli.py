"""`python -m bot import KIND FILE`: output, exit codes, usage errors."""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.commands import importing
from bot.commands.base import UsageError
from core.services.importing.store import CommittingStore
from core.settings import Settings
from tests.conftest import fresh_postgres_database
from tests.core.import_fixtures import DATA, SAMPLES, TODAY, engine_for
from tests.core.test_import_bulk import registry


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    importing.add_parser(parser.add_subparsers())
    return parser.parse_args(["import", *map(str, argv)])


async def test_imports_into_a_database_it_migrates_first(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'new.sqlite3'}", bot_today=TODAY)
    for kind, name in SAMPLES:
        assert await importing.run(parse(kind, DATA / name), settings) == 0
    assert await importing.run(parse("registry", DATA / "registry-with-errors.csv", "--full"), settings) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-6:] == [
        "line 3: policy_number: required value missing",
        "line 4: birth_date: impossible date 31.02.1980",
        "line 5: program_code: unknown program NOPE",
        "line 6: policy_number: collides with line 2: the same number printed otherwise, for another person",
        "line 7: holder_policy_number: holder policy not found",
        "imported 1, updated 0, unchanged 0, rejected 5",
    ]
    assert "line 13: phone: warning: not a mobile number (dropped)" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("bills", DATA / "programs.csv"), "programs.csv: required columns bill_line_id, policy_number, "),
        (("programs", DATA / "programs.csv", "--full"), "--full applies to the registry only"),
        (("registry", DATA / "registry.csv", "--issued-on", "2026-09-01"), "--issued-on applies to bills only"),
        (("registry", DATA / "programs.csv"), "programs.csv: required columns policy_number, last_name, "),
        (("registry", DATA / "missing.csv"), "missing.csv: No such file or directory"),
    ],
)
async def test_usage_errors(sqlite_url: str, argv: tuple, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        await importing.run(parse(*argv), Settings(database_url=sqlite_url, bot_today=TODAY))
    assert message in str(caught.value)


async def test_a_batch_the_database_refuses_is_one_line(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big file's batch refused by the database (here a trigger standing for any constraint): one line,
    exit 2, never a traceback."""
    monkeypatch.setattr(CommittingStore, "batch", 40)
    settings = Settings(database_url=sqlite_url, bot_today=TODAY)
    for kind, name in SAMPLES[:2]:
        assert await importing.run(parse(kind, DATA / name), settings) == 0
    async with engine_for(sqlite_url) as engine, engine.begin() as conn:
        await conn.execute(
            text(
                "CREATE TRIGGER refuse BEFORE INSERT ON insured_people WHEN NEW.policy_key = 'BK00010026'"
                " BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END"
            )
        )
    path = tmp_path / "registry.csv"
    path.write_text(registry(300), encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        await importing.run(parse("registry", path), settings)
    assert str(caught.value) == (
        f"{path}: import stopped, the database refused a batch: IntegrityError: refused by a trigger;"
        " the rows written before it stay"
    )


def test_real_command_line(tmp_path: Path) -> None:
    """One run only: starting `python -m bot` costs seconds. A fresh database: no program is known."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}",
        "BOT_TODAY": "2026-09-01",
    }
    command = [sys.executable, "-m", "bot", "import", "registry", str(DATA / "registry-with-errors.csv")]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[0] == "line 2: program_code: unknown program STD"
    assert done.stdout.splitlines()[-1] == "imported 0, updated 0, unchanged 0, rejected 6"


@pytest.mark.parametrize("command", [("import", "registry", str(DATA / "registry.csv")), ("migrate",)])
def test_a_database_out_of_reach_is_one_line_and_exit_2(tmp_path: Path, command: tuple[str, ...]) -> None:
    """Nothing listens on port 1: the connection is refused. The commands say so in one line, never with a
    traceback, and exit 2 (exit 1 would read as "done, with rejected rows")."""
    env = {
        **os.environ,
        "DATABASE_URL": "postgresql+asyncpg://postgres:secret@127.0.0.1:1/nothing",
        "OTP_SECRET": "o" * 32,
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", *command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert (
        done.stderr
        == f"{command[0]}: stopped: the database (DATABASE_URL) could not be reached or dropped the connection\n"
    )


async def bot_command(database_url: str, cwd: Path, *argv: str) -> tuple[int, str, str]:
    """`python -m bot ARGV` on that database, as an operator runs it: (exit status, stdout, stderr)."""
    env = {**os.environ, "DATABASE_URL": database_url, "OTP_SECRET": "o" * 32}
    done = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "bot", *argv),
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(done.communicate(), 120)
    assert done.returncode is not None
    return done.returncode, out.decode(), err.decode()


@pytest.mark.postgres
async def test_a_database_never_migrated_is_one_line_and_exit_2(tmp_path: Path) -> None:
    async with fresh_postgres_database("base") as url:
        returncode, _, err = await bot_command(url, tmp_path, "import", "registry", str(DATA / "registry.csv"))
    assert returncode == 2
    assert err == "import: stopped: the database (DATABASE_URL) has no tables yet: run migrate first\n"
