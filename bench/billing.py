"""Invoices issued from a bills file versus a plain SQL aggregation of the same lines.

Generates a registry of `--lines / 10` employees (programs with a franchise of 0, 15, 20 and 30 %,
policies starting on different days) and imports it, with its programs and four clinics, through
the project's importer into a fresh SQLite file in a temporary folder. Then a bills CSV of N lines for
them (service dates inside each policy, before the issue date; prices with kopecks, `,` or `.`) is
issued with `ImportService.run("bills", …)` (parsing, checks, the stored lines, the invoices).

The baseline, in the same process, under the engine's pragmas, in a file of its own: the same lines,
already parsed, loaded with `sqlite3.executemany` into a plain staging table of the same columns, then
one `INSERT INTO baseline_invoices SELECT … GROUP BY` computing each person's co-pay (per line
quantity × unit price × percent, rounded half-up to the kopeck, summed per person). The project's
invoice totals per person are checked equal to the baseline's before the ratio is printed.

    python bench/billing.py [--lines N] [--seed S]

The last line, `ratio: X.XX`, is project lines/s ÷ baseline lines/s. Peak memory goes to stderr: the
process's (the bench keeps the parsed lines for the baseline), and what issuing itself added on top of
the RSS it started with (sampled every 20 ms where /proc is readable). Before it, where the bills import's
time went: wall-clock spans around the import's steps (wrapped by the bench as `spans.py` wraps a replica's
seams, nothing in the product changed); they nest, and the reading's overlap the staging and the lookups.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import sqlite3
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spans import TOTALS, timed, timed_coroutine

from core.bootstrap import bootstrap
from core.normalize.policy import canonical_policy
from core.services.billing.bills import COLUMNS  # the bills file's header, as the importer reads it
from core.settings import load_settings

ISSUED_ON = date(2026, 10, 1)
VALID_TO = date(2027, 12, 31)
PROGRAMS = {"STD": 0, "FR15": 15, "FR20": 20, "FR30C": 30}  # code: franchise percent
PROGRAM_WEIGHTS = [1, 1, 2, 2]
CLINICS = ["C001", "C002", "C003", "C004"]
SERVICES = [
    ("B01.047.001", "Прием врача-терапевта первичный"),
    ("B01.047.002", "Прием врача-терапевта повторный"),
    ("A02.31.001", "Измерение температуры"),
    ("A06.09.007", "Рентгенография легких"),
    ("B03.016.003", "Общий анализ крови"),
    ("", "Консультация (без кода)"),
]


def programs_csv(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("program_code;name;franchise_percent;due_days;due_day_kind;overdue_rule;emergency_only;description\n")
        for code, percent in PROGRAMS.items():
            out.write(f"{code};Программа {code};{percent};30;working;franchise;no;\n")


def clinics_csv(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("clinic_id;name;city;address;latitude;longitude;phone;booking_url;program_codes;franchise\n")
        for n, clinic in enumerate(CLINICS):
            out.write(
                f"{clinic};Клиника {n};Москва;ул. Тверская, {n + 1};55.76;37.61;+7 495 100-10-0{n};;"
                f"{' '.join(PROGRAMS)};{'yes' if n % 2 else 'no'}\n"
            )


def registry_csv(path: Path, people: int, rng: random.Random) -> list[tuple[str, date]]:
    """Employees only; returns (policy as written, valid_from) per person."""
    written = []
    codes = list(PROGRAMS)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(
            "policy_number;last_name;first_name;patronymic;birth_date;phone;email;category;"
            "holder_policy_number;personnel_number;contract_number;employer;program_code;valid_from;valid_to\n"
        )
        for n in range(people):
            policy = f"БН{n:09d}/26" if n % 2 else f"{n + 1}/26"
            valid_from = date(2026, 1, 1) + timedelta(days=rng.randint(0, 200))
            program = rng.choices(codes, PROGRAM_WEIGHTS)[0]
            born = f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(1955, 2004)}"
            out.write(
                f"{policy};Иванов;Иван;Иванович;{born};;;employee;;T-{n};К-2026/{n % 200:03d};"
                f"ООО «Компания {n % 200}»;{program};{valid_from:%d.%m.%Y};{VALID_TO:%d.%m.%Y}\n"
            )
            written.append((policy, valid_from))
    return written


def bills_csv(path: Path, lines: int, people: list[tuple[str, date]], rng: random.Random) -> list[tuple]:
    """The CSV, and the same lines parsed (policy as written, kopecks), for the baseline."""
    parsed = []
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(";".join(COLUMNS) + "\n")
        for n in range(lines):
            policy, valid_from = people[rng.randrange(len(people))]
            served = valid_from + timedelta(days=rng.randint(0, (ISSUED_ON - valid_from).days))
            code, name = rng.choice(SERVICES)
            quantity = rng.choice((1, 1, 1, 2, 3))
            price = rng.randint(1, 500_000)  # kopecks
            text = f"{price // 100}{rng.choice('.,')}{price % 100:02d}"
            row = (
                f"B-{n:08d}",
                policy,
                rng.choice(CLINICS),
                served,
                code,
                name,
                quantity,
                price,
            )
            out.write(f"{row[0]};{policy};{row[2]};{served:%d.%m.%Y};{code};{name};{quantity};{text}\n")
            parsed.append(row)
    return parsed


# The bills import's steps, in the order they run: (span, what it is). A chunk's lookups and its lines'
# staging run on the database's side while the next chunk is read.
STEPS = {
    "read": "the file read: rows parsed and checked, rules applied, lines staged (wall)",
    "parse": "  rows parsed and checked (cells, content keys)",
    "rules": "  lines classified, the rules applied, co-pays summed",
    "lookups": "  lookups of the lines' ids (stored, staged), in flight beside the reading",
    "staged": "  lines staged (in flight beside the reading, after the next chunk's lookups)",
    "invoices": "invoices computed (core.billing.invoices.issue_totals)",
    "stored": "invoices stored",
    "move": "lines moved from the staging into bill_lines",
    "commit": "the transaction committed",
}


def wrap_steps() -> None:
    from core.db.bill_lines import BillLineWriter
    from core.db.billing import BillingRepository
    from core.db.uow import UnitOfWork
    from core.services.billing import bills, issuing

    bills.Bills.run = timed_coroutine("read", bills.Bills.run)
    bills.Bills.parse = timed("parse", bills.Bills.parse)
    bills.Bills._store = timed("rules", bills.Bills._store)
    BillLineWriter.stored_contents = timed_coroutine("lookups", BillLineWriter.stored_contents)
    BillLineWriter.stage = timed_coroutine("staged", BillLineWriter.stage)
    issuing.issue_totals = timed("invoices", issuing.issue_totals)
    BillingRepository.add_invoices = timed_coroutine("stored", BillingRepository.add_invoices)
    BillLineWriter.finish = timed_coroutine("move", BillLineWriter.finish)
    UnitOfWork.commit = timed_coroutine("commit", UnitOfWork.commit)


def print_steps(elapsed: float) -> None:
    seconds = {name: TOTALS[name][0] if name in TOTALS else 0.0 for name in STEPS}
    print(
        f"where the bills import's {elapsed:.2f} s went (wall-clock spans; indented: within the first):",
        file=sys.stderr,
    )
    for name, text in STEPS.items():
        print(f"  {seconds[name]:7.2f} s  {TOTALS[name][1] if name in TOTALS else 0:6d}×  {text}", file=sys.stderr)
        if name == "rules":
            waited = seconds["read"] - seconds["parse"] - seconds["rules"]
            print(f"  {waited:7.2f} s           the reading waiting for the database (the rest of it)", file=sys.stderr)
    rest = elapsed - sum(seconds[name] for name in ("read", "invoices", "stored", "move", "commit"))
    print(f"  {rest:7.2f} s           the rest (lock, checks, deposits, notices)", file=sys.stderr, flush=True)


async def project(db: Path, work: Path, lines: int, rng: random.Random) -> tuple[float, dict[str, int], list, str]:
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{db}",
        otp_secret="bench-otp-secret",
        bot_today=ISSUED_ON,
        redis_url=None,
        admin_ids=[],
        support_ids=[],
        webhook_base_url=None,
        sms_gateway_url=None,
        sms_provider="generic",
        smtp_url=None,
    )
    container = await bootstrap(settings)
    try:
        programs_csv(work / "programs.csv")
        clinics_csv(work / "clinics.csv")
        people = registry_csv(work / "registry.csv", max(1, lines // 10), rng)
        for kind, path in (
            ("programs", work / "programs.csv"),
            ("clinics", work / "clinics.csv"),
            ("registry", work / "registry.csv"),
        ):
            report = await container.imports.run(kind, path)
            if report.rejected:
                sys.exit(f"billing bench: the generated {kind} had {report.rejected} rejected rows")
        parsed = bills_csv(work / "bills.csv", lines, people, rng)
        TOTALS.clear()
        with RssPeak() as rss:
            started = time.perf_counter()
            report = await container.imports.run("bills", work / "bills.csv", issued_on=ISSUED_ON)
            elapsed = time.perf_counter() - started
        print_steps(elapsed)
        if rss.before:
            print(
                f"issuing memory: RSS {rss.before:.0f} MB before, peak {rss.peak:.0f} MB "
                f"(+{rss.peak - rss.before:.0f} MB)",
                file=sys.stderr,
                flush=True,
            )
        if report.imported != lines or report.rejected:
            sys.exit(f"billing bench: expected {lines} lines imported, got: {report.summary()}")
    finally:
        await container.close()
    with sqlite3.connect(db) as conn:
        totals = dict(
            conn.execute(
                "SELECT p.policy_key, i.copay_kopecks FROM invoices i JOIN insured_people p ON p.id = i.person_id"
            ).fetchall()
        )
        invoices = conn.execute("SELECT count(*) FROM invoices").fetchone()[0]
    if invoices != len(totals):
        sys.exit(f"billing bench: {invoices} invoices for {len(totals)} people (one each expected)")
    return elapsed, totals, parsed, report.summary()


def baseline(db: Path, parsed: list[tuple], programs_of: dict[str, str]) -> tuple[float, dict[str, int]]:
    conn = sqlite3.connect(db, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        conn.execute(f"PRAGMA {pragma}")
    conn.executescript("""
        CREATE TABLE programs (code TEXT PRIMARY KEY, percent INTEGER NOT NULL);
        CREATE TABLE people (policy TEXT PRIMARY KEY, program_code TEXT NOT NULL REFERENCES programs(code));
        CREATE TABLE staging (bill_line_id TEXT PRIMARY KEY, policy TEXT NOT NULL, clinic_id TEXT NOT NULL,
            service_date DATE NOT NULL, service_code TEXT NOT NULL, service_name TEXT NOT NULL,
            quantity INTEGER NOT NULL, unit_price INTEGER NOT NULL);
        CREATE TABLE baseline_invoices (policy TEXT PRIMARY KEY, copay_kopecks INTEGER NOT NULL);
    """)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO programs VALUES (?, ?)", PROGRAMS.items())
    conn.executemany("INSERT INTO people VALUES (?, ?)", programs_of.items())
    conn.execute("COMMIT")
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO staging VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        ((*row[:3], row[3].isoformat(), *row[4:]) for row in parsed),
    )
    conn.execute("""
        INSERT INTO baseline_invoices
        SELECT s.policy, SUM(CAST(ROUND(s.quantity * s.unit_price * g.percent / 100.0) AS INTEGER)) AS copay
        FROM staging s JOIN people p ON p.policy = s.policy JOIN programs g ON g.code = p.program_code
        GROUP BY s.policy HAVING copay > 0
    """)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    totals = dict(conn.execute("SELECT policy, copay_kopecks FROM baseline_invoices").fetchall())
    conn.close()
    return elapsed, totals


class RssPeak:
    """The highest resident set size while the block runs, sampled by a thread (0 without /proc)."""

    def __init__(self, every: float = 0.02) -> None:
        self.every = every
        self.before = self.peak = 0.0
        self.done = threading.Event()

    @staticmethod
    def rss_mb() -> float:
        try:
            with open("/proc/self/statm") as statm:
                return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
        except OSError:
            return 0.0

    def _sample(self) -> None:
        while not self.done.wait(self.every):
            self.peak = max(self.peak, self.rss_mb())

    def __enter__(self) -> RssPeak:
        self.before = self.peak = self.rss_mb()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join()
        self.peak = max(self.peak, self.rss_mb())


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    wrap_steps()
    with tempfile.TemporaryDirectory(prefix="bench-billing-") as tmp:
        work = Path(tmp)
        project_s, project_totals, parsed, summary = asyncio.run(
            project(work / "project.sqlite3", work, args.lines, rng)
        )
        print(f"project peak memory: {peak_mb():.0f} MB RSS", file=sys.stderr, flush=True)
        with sqlite3.connect(work / "project.sqlite3") as conn:
            programs_of = dict(conn.execute("SELECT policy_number, program_code FROM insured_people").fetchall())
        baseline_s, baseline_totals = baseline(work / "baseline.sqlite3", parsed, programs_of)
    print(f"peak memory: {peak_mb():.0f} MB RSS", file=sys.stderr, flush=True)

    expected = {canonical_policy(policy): total for policy, total in baseline_totals.items()}
    if expected != project_totals:
        differ = sorted(
            key for key in expected.keys() | project_totals.keys() if expected.get(key) != project_totals.get(key)
        )
        sample = ", ".join(f"{k}: project {project_totals.get(k)} baseline {expected.get(k)}" for k in differ[:5])
        sys.exit(f"billing bench: invoice totals differ for {len(differ)} people ({sample})")

    project_rate, baseline_rate = args.lines / project_s, args.lines / baseline_s
    print(f"project: {summary}")
    print(f"import bills: {project_s:.2f} s, {project_rate:,.0f} lines/s (parsing included)")
    print(f"baseline INSERT … SELECT: {baseline_s:.2f} s, {baseline_rate:,.0f} lines/s (executemany + aggregate)")
    print(f"totals equal: {len(project_totals)} invoices, {sum(project_totals.values()) / 100:,.2f} RUB")
    print(f"ratio: {project_rate / baseline_rate:.2f}")


if __name__ == "__main__":
    main()
