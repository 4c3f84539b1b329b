"""`python -m bot import`: the first 1,000 issue lines then `… and K more`; `--report FILE` with
every issue as CSV (neutralised like every file the project writes); `--limits upload`."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.commands import importing
from bot.commands.base import UsageError
from core.settings import Settings
from tests.core.import_fixtures import DATA, TODAY
from tests.core.test_import_cli import parse

HEADER = "policy_number;last_name;first_name;birth_date;category;program_code;valid_from;valid_to"


def bad_rows(path: Path, count: int) -> Path:
    """Rows of an unknown program; the first also of a category that reads as a formula."""
    lines = [HEADER, "AM1/13;Иванов;Иван;15.03.1985;=1+2;STD;01.01.2026;31.12.2027"]
    lines += [f"AM{n}/13;Иванов;Иван;15.03.1985;;NOPE;01.01.2026;31.12.2027" for n in range(2, count + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def test_a_bounded_report_on_screen_and_every_issue_in_the_file(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    settings = Settings(database_url=sqlite_url, bot_today=TODAY)
    assert await importing.run(parse("programs", DATA / "programs.csv"), settings) == 0
    capsys.readouterr()
    report = tmp_path / "issues.csv"
    code = await importing.run(parse("registry", bad_rows(tmp_path / "r.csv", 1500), "--report", report), settings)
    assert code == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1002
    assert out[0] == "line 2: category: =1+2 is not one of: employee, relative"
    assert out[999] == "line 1001: program_code: unknown program NOPE"
    assert out[1000:] == ["… and 500 more", "imported 0, updated 0, unchanged 0, rejected 1500"]
    with report.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["line", "column", "level", "code", "reason"]
    assert len(rows) == 1 + 1500
    # The reason starts with the value given: neutralised, and equal once the leading ' is removed.
    assert rows[1] == ["2", "category", "rejected", "choice.invalid", "'=1+2 is not one of: employee, relative"]
    assert rows[1][4][1:] == out[0].removeprefix("line 2: category: ")
    assert rows[-1] == ["1501", "program_code", "rejected", "program.unknown", "unknown program NOPE"]


async def test_no_report_file_when_the_file_cannot_be_read(sqlite_url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=sqlite_url, bot_today=TODAY)
    long_tail = bad_rows(tmp_path / "r.csv", 10)
    long_tail.write_text(long_tail.read_text(encoding="utf-8") + "x" * 20_000 + "\n", encoding="utf-8")
    with pytest.raises(UsageError, match="line 12: over the command-line cell length limit"):
        await importing.run(parse("registry", long_tail, "--report", tmp_path / "issues.csv"), settings)
    assert not [path for path in tmp_path.iterdir() if "issues" in path.name]
    with pytest.raises(UsageError, match=r"cannot write .*issues.csv: No such file or directory"):
        await importing.run(parse("registry", long_tail, "--report", tmp_path / "no" / "issues.csv"), settings)


async def test_upload_limits_from_the_command_line(sqlite_url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=sqlite_url, bot_today=TODAY)
    big = tmp_path / "big.csv"
    with big.open("wb") as file:
        file.write(HEADER.encode() + b"\n")
        file.truncate(21 * 1024 * 1024)
    with pytest.raises(UsageError) as caught:
        await importing.run(parse("registry", big, "--limits", "upload"), settings)
    assert str(caught.value) == "big.csv: 21 MB: over the upload file size limit of 20 MB"
