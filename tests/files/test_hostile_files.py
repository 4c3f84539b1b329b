"""Hostile, broken and huge files through the real command line (`python -m bot import`), each
in a process capped at 1.5 GB of address space: an unreadable file is exit 2 and at most three
lines (the reason on standard error), a readable file of bad rows exit 1 with the bounded report;
never a traceback. Each run's peak memory (its ru_maxrss, from wait4) is printed.

The files are generated (the zip bombs in about a second each); the runs go two at a time.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.files.hostile import (
    PNG,
    PROGRAMS,
    REGISTRY,
    SHEET_END,
    SHEET_START,
    inline_row,
    lie_about_size,
    repeated,
    sheet_of,
    workbook,
)

CAP = 1536 * 1024 * 1024  # RLIMIT_AS of every run (set in a preexec_fn)
PARALLEL = 2
REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Case:
    name: str
    kind: str
    make: Callable[[Path], Path]  # writes the file into the folder given, returns its path
    exit: int
    says: str  # in the last line of standard error (exit 2) or of standard output (exit 1)
    args: tuple[str, ...] = ()


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    peak_mb: float
    seconds: float


# --- the files -------------------------------------------------------------------------------


def garbage_sheet(folder: Path) -> Path:
    sheet = SHEET_START + inline_row(1, REGISTRY) + '<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>'
    return workbook(folder / "garbage.xlsx", sheet + '<row r="3"><c r="A3" <<<&&& not XML at all >>>' + SHEET_END)


def truncated_sheet(folder: Path) -> Path:
    rows = "".join(inline_row(n, ["AM1/13", "Иванов", "Иван"]) for n in range(2, 200))
    whole = sheet_of(REGISTRY, rows)
    return workbook(folder / "truncated.xlsx", whole[: len(whole) // 2])


def billion_laughs(folder: Path) -> Path:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol%s;" % (n - 1 or "")) * 10}">' for n in range(1, 10)
    )
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [{entities}]>'
        + SHEET_START.split("?>", 1)[1]
        + inline_row(1, REGISTRY)
        + inline_row(2, ["&lol9;"])
        + SHEET_END
    )
    return workbook(folder / "laughs.xlsx", sheet)


def strings_out_of_range(folder: Path) -> Path:
    strings = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(f"<si><t>{title}</t></si>" for title in REGISTRY)
        + "</sst>"
    )
    header = (
        '<row r="1">' + "".join(f'<c r="{chr(65 + n)}1" t="s"><v>{n}</v></c>' for n in range(len(REGISTRY))) + "</row>"
    )
    sheet = SHEET_START + header + '<row r="2"><c r="A2" t="s"><v>999999</v></c></row>' + SHEET_END
    return workbook(folder / "strings.xlsx", sheet, strings)


def impossible_date(folder: Path) -> Path:
    row = '<row r="2"><c r="A2" t="inlineStr"><is><t>AM1/13</t></is></c><c r="D2" t="d"><v>99999-99-99</v></c></row>'
    return workbook(folder / "date.xlsx", sheet_of(REGISTRY, row))


BOMB = 400 * 1024 * 1024  # inflated; about 400 KB deflated


def bomb_in_sheet(folder: Path) -> Path:
    head = (SHEET_START + inline_row(1, REGISTRY) + '<row r="2"><c r="A2" t="inlineStr"><is><t>').encode()
    return workbook(
        folder / "bomb-sheet.xlsx", repeated(b"A", BOMB, head, b"</t></is></c></row>" + SHEET_END.encode()), level=9
    )


def bomb_in_strings(folder: Path) -> Path:
    head = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    strings = repeated(b"A", 300 * 1024 * 1024, head, b"</t></si></sst>")
    return workbook(folder / "bomb-strings.xlsx", sheet_of(REGISTRY), strings, level=9)


def bomb_that_lies(folder: Path) -> Path:
    path = bomb_in_sheet(folder).rename(folder / "bomb-lying.xlsx")
    return lie_about_size(path, "xl/worksheets/sheet1.xml", 4000)


def wide_row_xlsx(folder: Path) -> Path:
    rng = random.Random(1)
    cells = "".join(f"<c><v>{rng.randint(0, 999)}</v></c>" for _ in range(1_000_000))
    return workbook(folder / "wide.xlsx", sheet_of(REGISTRY, f'<row r="2">{cells}</row>'))


def long_cell_xlsx(folder: Path) -> Path:
    return workbook(folder / "long.xlsx", sheet_of(REGISTRY, inline_row(2, ["AM1/13", "Я" * 200_000])))


def big_xlsx(rows: int) -> Callable[[Path], Path]:
    """Many rows of one cell (a program code and no name): all rejected."""

    def make(folder: Path) -> Path:
        def pieces():
            yield (SHEET_START + inline_row(1, PROGRAMS)).encode()
            for start in range(2, rows + 2, 10_000):
                yield "".join(
                    f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>P{n}</t></is></c></row>'
                    for n in range(start, min(start + 10_000, rows + 2))
                ).encode()
            yield SHEET_END.encode()

        return workbook(folder / f"big-{rows}.xlsx", pieces())

    return make


def text_file(name: str, content: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        (folder / name).write_bytes(content)
        return folder / name

    return make


def sparse(name: str, length: int) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        with (folder / name).open("wb") as file:
            file.truncate(length)
        return folder / name

    return make


HEADER = ";".join(REGISTRY).encode()
ROW = "AM1/13;Иванов;Иван;15.03.1985;STD;01.01.2026;31.12.2027".encode()

CASES = [
    # the five malformed workbooks the probe found
    Case("garbage sheet XML", "registry", garbage_sheet, 2, "not well-formed"),
    Case("truncated sheet", "registry", truncated_sheet, 2, "sheet1.xml"),
    Case("billion laughs", "registry", billion_laughs, 2, "DTD or entity declaration"),
    Case("shared string out of range", "registry", strings_out_of_range, 2, "a shared string that does not exist"),
    Case("t=d 99999-99-99", "registry", impossible_date, 2, "cell D2: not a date"),
    # zip bombs of 300–400 KB
    Case("zip bomb, sheet", "registry", bomb_in_sheet, 2, "over the command-line compression ratio limit of 100"),
    Case("zip bomb, shared strings", "registry", bomb_in_strings, 2, "compression ratio limit of 100"),
    Case("zip bomb, lying directory", "registry", bomb_that_lies, 2, "not a readable XLSX file"),
    # too big, too wide, too long
    Case("XLSX row of 1M cells", "registry", wide_row_xlsx, 2, "over the command-line columns limit of 500"),
    Case("XLSX 200,000-char cell", "registry", long_cell_xlsx, 2, "cell length limit of 10,000"),
    Case(
        "CSV 200,000-char cell",
        "registry",
        text_file("long.csv", HEADER + b"\n" + ROW + b"\n" + b"x" * 200_000),
        2,
        "line 3: over the command-line cell length limit of 10,000 characters",
    ),
    Case(
        "CSV row of 1M cells",
        "registry",
        text_file("wide.csv", HEADER + b"\n" + ROW + b"\n" + b";" * 1_000_000),
        2,
        "line 3: over the command-line columns limit of 500",
    ),
    Case(
        "21 MB for an upload",
        "registry",
        sparse("huge.csv", 21 * 1024 * 1024),
        2,
        "over the upload file size limit of 20 MB",
        ("--limits", "upload"),
    ),
    Case(
        "XLSX 120,000 rows for an upload",
        "programs",
        big_xlsx(120_000),
        2,
        "row 100,002: over the upload rows limit of 100,000",
        ("--limits", "upload"),
    ),
    # not what it says it is
    Case(
        "cp1251",
        "registry",
        text_file("cp1251.csv", (HEADER.decode() + "\n" + ROW.decode()).encode("cp1251")),
        2,
        "not UTF-8 text",
    ),
    Case(
        "UTF-16",
        "registry",
        text_file("utf16.csv", (HEADER.decode() + "\n" + ROW.decode()).encode("utf-16")),
        2,
        "NUL characters",
    ),
    Case("PNG named .xlsx", "registry", text_file("picture.xlsx", PNG), 2, "not a zip archive"),
    Case("empty file", "registry", text_file("empty.csv", b""), 2, "empty file"),
    Case(
        "missing columns",
        "registry",
        text_file("columns.csv", b"policy_number;name\nAM1/13;x\n"),
        2,
        "required columns last_name, first_name, birth_date, program_code, valid_from, valid_to absent",
    ),
    # readable, every row bad: exit 1, a bounded report, flat memory
    Case(
        "2 MB CSV of a million junk rows",
        "programs",
        text_file("junk.csv", b"program_code,name\n" + b"x\n" * 1_000_000),
        1,
        "rejected 1000000",
    ),
    Case("XLSX of 30,000 junk rows", "programs", big_xlsx(30_000), 1, "rejected 30000"),
]


# --- the runs --------------------------------------------------------------------------------

# Each command line runs under a small launcher: a process forked from pytest starts with pytest's
# resident memory as its high-water mark (and keeps it across exec), one forked from the launcher
# with the launcher's few MB; the launcher writes its child's ru_maxrss (from wait4) to a file.
LAUNCHER = """
import os, resource, subprocess, sys
cap, peak_file, command = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
def limit():
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
child = subprocess.Popen(command, preexec_fn=limit)
_, status, usage = os.wait4(child.pid, 0)
child.returncode = os.waitstatus_to_exitcode(status)
with open(peak_file, "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(child.returncode if child.returncode >= 0 else 128 - child.returncode)
"""


def _run_all(cases: list[Case], files: dict[str, Path], folder: Path, template: Path) -> dict[str, Outcome]:
    """Runs the command lines PARALLEL at a time."""
    pending, running, outcomes = list(cases), [], {}
    while pending or running:
        while pending and len(running) < PARALLEL:
            case = pending.pop(0)
            slug = "".join(ch if ch.isalnum() else "-" for ch in case.name)
            database = folder / f"{slug}.sqlite3"
            shutil.copy(template, database)
            env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{database}", "BOT_TODAY": "2026-09-01"}
            out, err = (folder / f"{slug}.out").open("w+"), (folder / f"{slug}.err").open("w+")
            peak = folder / f"{slug}.peak"
            command = [sys.executable, "-m", "bot", "import", case.kind, str(files[case.name]), *case.args]
            launcher = [sys.executable, "-c", LAUNCHER, str(CAP), str(peak), *command]
            process = subprocess.Popen(launcher, cwd=REPO, env=env, stdout=out, stderr=err)
            running.append((case, process, out, err, peak, time.monotonic()))
        for entry in list(running):
            case, process, out, err, peak, started = entry
            if process.poll() is None:
                continue
            running.remove(entry)
            out.seek(0)
            err.seek(0)
            outcomes[case.name] = Outcome(
                process.returncode, out.read(), err.read(), int(peak.read_text()) / 1024, time.monotonic() - started
            )
            out.close()
            err.close()
        time.sleep(0.02)
    return outcomes


@pytest.fixture(scope="module")
def outcomes(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, pytestconfig: pytest.Config
) -> dict[str, Outcome]:
    folder = tmp_path_factory.mktemp("hostile")
    files: dict[str, Path] = {}
    for case in CASES:
        sub = folder / str(len(files))
        sub.mkdir()
        files[case.name] = case.make(sub)
    found = _run_all(CASES, files, folder, sqlite_template)
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    lines = ["", "hostile files through `python -m bot import` (RLIMIT_AS 1.5 GB): exit, peak RSS, time"]
    for case in CASES:
        o = found[case.name]
        size = files[case.name].stat().st_size
        lines.append(
            f"  {case.name:<34} {size / 1024:>9,.0f} KB  exit {o.code}  peak {o.peak_mb:6.0f} MB  {o.seconds:5.1f} s"
        )
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():  # shown in a normal run, not only with -s
        for line in lines:
            reporter.write_line(line)
    return found


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_file(case: Case, outcomes: dict[str, Outcome]) -> None:
    o = outcomes[case.name]
    print(f"{case.name}: exit {o.code}, peak memory {o.peak_mb:.0f} MB, {o.seconds:.1f} s")
    assert "Traceback" not in o.out + o.err
    assert o.code == case.exit, (o.out[-2000:], o.err[-2000:])
    if case.exit == 2:
        lines = (o.out + o.err).strip().splitlines()
        assert 1 <= len(lines) <= 3, lines
        assert o.out == ""
        assert case.says in lines[-1], lines[-1]
    else:
        out = o.out.splitlines()
        assert len(out) == 1002  # the first 1,000 issue lines, "… and K more", the summary
        assert out[0].startswith("line 2: ")
        assert out[-2].startswith("… and ") and out[-2].endswith(" more")
        assert case.says in out[-1]
    assert o.peak_mb < 400  # streaming: nothing grows with the file or with the number of bad rows
