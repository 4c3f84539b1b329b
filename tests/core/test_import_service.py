"""`ImportService.run`: every kind through one call, as the command line and the chat's uploads use it: the
options each kind takes, the progress told while it runs, the result, the report file."""

from __future__ import annotations

import asyncio
import csv
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from core.bootstrap import Container
from core.services.importing import ImportRefused, UnreadableFile
from core.services.importing.progress import ImportProgress
from core.services.importing.service import KINDS, check_import
from tests.core.import_fixtures import DATA, root_with_samples

ISSUED_ON = date(2026, 10, 1)
HEADER = "policy_number;last_name;first_name;birth_date;program_code;valid_from;valid_to"


def registry(rows: int, bad: int = 0) -> bytes:
    """`rows` people of the sample program STD; the last `bad` of an unknown program."""
    lines = [HEADER]
    lines += [
        f"SV{n:07d}/26;Иванов;Иван;15.03.1985;{'NOPE' if n >= rows - bad else 'STD'};01.01.2026;31.12.2027"
        for n in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
async def root(sqlite_url: str) -> AsyncIterator[Container]:
    async with root_with_samples(sqlite_url, ISSUED_ON) as root:
        yield root


def test_the_kinds() -> None:
    assert KINDS == ("registry", "programs", "clinics", "deposits", "bills")


@pytest.mark.parametrize(
    ("kind", "asked", "message"),
    [
        ("patients", {}, "unknown kind 'patients': one of registry, programs, clinics, deposits, bills"),
        ("programs", {"full": True}, "--full applies to the registry only"),
        ("bills", {"full": True}, "--full applies to the registry only"),
        ("registry", {"issued_on": ISSUED_ON}, "--issued-on applies to bills only"),
    ],
)
async def test_options_a_kind_does_not_take_are_refused(root: Container, kind: str, asked: dict, message: str) -> None:
    with pytest.raises(ImportRefused) as checked:
        check_import(kind, DATA / "programs.csv", **asked)
    with pytest.raises(ImportRefused) as ran:
        await root.imports.run(kind, DATA / "programs.csv", **asked)
    assert str(checked.value) == str(ran.value) == message


async def test_a_file_without_the_kinds_columns_is_unreadable(root: Container) -> None:
    with pytest.raises(UnreadableFile, match=r"programs\.csv: required columns bill_line_id, policy_number, "):
        check_import("bills", DATA / "programs.csv")
    with pytest.raises(UnreadableFile, match=r"programs\.csv: required columns bill_line_id, policy_number, "):
        await root.imports.run("bills", DATA / "programs.csv")


async def test_bills_are_a_kind(root: Container) -> None:
    result = await root.imports.run("bills", DATA / "bills.csv", issued_on=ISSUED_ON)
    assert result.summary() == "imported 8, updated 0, unchanged 0, rejected 0, invoices issued 5"
    assert result.kind == "bills" and result.invoices_issued == 5 and result.exit_code == 0
    again = await root.imports.run("bills", DATA / "bills.csv")  # issued today (the root's clock): nothing new
    assert again.summary() == "imported 0, updated 0, unchanged 8, rejected 0, invoices issued 0"


async def test_progress_is_told_while_the_import_runs_and_once_at_the_end(root: Container) -> None:
    root.imports.progress_every_s = 0  # every look at the clock: each 1,000 rows
    told: list[ImportProgress] = []

    async def show(progress: ImportProgress) -> None:  # as the chat edits its message
        told.append(progress)
        await asyncio.sleep(0)

    result = await root.imports.run("registry", registry(5000, bad=2), filename="r.csv", progress=show)
    assert (result.imported, result.rejected, result.exit_code) == (4998, 2, 1)
    assert [issue.code for issue in result.issues] == ["program.unknown"] * 2
    assert len(told) >= 3, told
    assert [p.rows for p in told] == sorted(p.rows for p in told)
    assert all(not p.done and 0 < p.fraction <= 1 for p in told[:-1])
    last = told[-1]
    assert (last.rows, last.done, last.fraction, last.total_bytes) == (5000, True, 1.0, len(registry(5000, bad=2)))


async def test_a_failing_progress_callback_does_not_fail_the_import(root: Container) -> None:
    root.imports.progress_every_s = 0

    def broken(progress: ImportProgress) -> None:
        raise RuntimeError("the chat is gone")

    async def broken_later(progress: ImportProgress) -> None:
        raise RuntimeError("the chat is gone")

    for callback in (broken, broken_later):
        result = await root.imports.run("registry", registry(3000), filename="r.csv", progress=callback)
        assert result.exit_code == 0


async def test_progress_of_bills(root: Container) -> None:
    told: list[ImportProgress] = []
    result = await root.imports.run("bills", DATA / "bills.csv", issued_on=ISSUED_ON, progress=told.append)
    assert result.invoices_issued == 5
    assert [(p.rows, p.done) for p in told] == [(8, True)]  # a small file: the last report only


async def test_every_issue_in_the_report_file(root: Container, tmp_path: Path) -> None:
    path = tmp_path / "issues.csv"
    result = await root.imports.run("registry", registry(10, bad=3), filename="r.csv", report_to=path)
    assert result.report_file == path
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["line", "column", "level", "code", "reason"]
    assert [row[0] for row in rows[1:]] == ["9", "10", "11"]
    with pytest.raises(ImportRefused, match="cannot write"):
        await root.imports.run("registry", registry(10), filename="r.csv", report_to=tmp_path / "no" / "x.csv")


async def test_progress_after_the_last_rows_of_a_file_read_to_its_end(root: Container) -> None:
    root.imports.progress_every_s = 0  # told after the last chunk too, once the reader closed the file
    told: list[ImportProgress] = []
    result = await root.imports.run("registry", registry(1500), filename="r.csv", progress=told.append)
    assert result.imported == 1500
    assert [p.rows for p in told] == [1000, 1500, 1500] and told[-1].done
