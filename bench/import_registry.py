"""Registry import speed versus a raw bulk insert of the same rows, and matching lookup latency.

Generates N registry rows as messy as real HR files (every phone shape of the samples, ~5 % bad
or foreign or landline phones, Latin and Cyrillic policy letters, ё, missing patronymics, `;`
and a BOM as Excel writes them) and imports them with `import_file`.

SQLite (the default): into a fresh SQLite file; then the very rows it stored are inserted with
`sqlite3.executemany` into a fresh table of the same DDL (columns, indexes, foreign key) under
the engine's pragmas, which `ratio` compares with (the figure the issues quote); and once more with
the larger page cache the importer gives its own connection, for information. Finally 10,000
random matching lookups (policy key; name + birth date) through `core.db.people.PeopleRepository`.

`--postgres URL` (a server URL such as postgresql+asyncpg://postgres@127.0.0.1:5432/test): into
a throwaway database created and migrated on that server; then the very rows it stored are
COPYed (asyncpg's `copy_records_to_table`, the fastest path there is) into a second throwaway
database of the same migrations. Both are dropped at the end.

    python bench/import_registry.py [--rows N] [--lookups N] [--profile FILE] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.db.engine import create_engine, create_session_factory
from core.db.migrate import upgrade
from core.db.people import PeopleRepository
from core.services.importing import SQLITE_CACHE_KB, import_file, store
from core.services.importing.registry import COLUMNS, STORED

TODAY = date(2026, 9, 1)
PROGRAMS = "program_code;name;franchise_percent\nSTD;Стандарт;0\nFR20;Франшиза 20;20\nFR30C;Франшиза 30;30\n"
SURNAMES = [
    "Иванов",
    "Петров",
    "Сидоров",
    "Кузнецов",
    "Смирнов",
    "Попов",
    "Соколов",
    "Лебедев",
    "Козлов",
    "Новиков",
    "Морозов",
    "Волков",
    "Алексеев",
    "Семёнов",
    "Фёдоров",
    "Салтыков-Щедрин",
    "Королёв",
    "Алиев",
    "Жумабаев",
    "Ким",
    "Мамедов",
    "Орлов",
    "Зайцев",
    "Павлов",
    "Голубев",
    "Виноградов",
    "Богданов",
    "Воробьёв",
    "Белов",
]
FIRST = {
    "m": ["Иван", "Пётр", "Сергей", "Алексей", "Дмитрий", "Андрей", "Михаил", "Рашид", "Ерлан", "Артём", "Олег"],
    "f": ["Мария", "Елена", "Анна", "Ольга", "Алёна", "Наталья", "Татьяна", "Ирина", "Дарья", "Светлана"],
}
PATRONYMIC = {
    "m": ["Иванович", "Петрович", "Сергеевич", "Алексеевич", "Гасан оглы", "Фёдорович", "Олегович", ""],
    "f": ["Ивановна", "Петровна", "Сергеевна", "Алексеевна", "Вениаминовна", "Гасан кызы", "Игоревна", ""],
}
MOBILE_CODES = [
    "903",
    "905",
    "906",
    "909",
    "910",
    "915",
    "916",
    "917",
    "919",
    "925",
    "926",
    "929",
    "962",
    "965",
    "977",
    "985",
    "999",
]
PHONE_SHAPES = [
    "+7 {c} {a}-{b}-{d}",
    "8{c}{a}{b}{d}",
    "{c}{a}{b}{d}",
    "+7{c}{a}{b}{d}",
    "8 ({c}) {a}-{b}-{d}",
    "+7 {c} {a} {b} {d}",
    "7-{c}-{a}-{b}-{d}",
    "+7 ({c}) {a}{b}{d}",
]
# Refused phones, each with its own digits (so no cache can remember them), plus a few office
# landlines that HR repeats for a whole department.
BAD_PHONES = ["+7 (495) {a}-{b}-{d}", "+7 701 {a} {b} {d}", "8 800 {a}-{b}-{d}", "{b}-{d}", "+44 20 7946 {b}{d}"]
OFFICE_PHONES = ["+7 (495) 100-00-12", "+7 (812) 200-30-40", "8 (343) 310-00-00"]
POLICY_PREFIXES = ["АМ", "AM", "ВК", "BK", "ХС", "XC", "", "ОС", "OC"]  # Cyrillic and Latin look-alikes


def generate(path: Path, rows: int, rng: random.Random) -> None:
    contracts = [(f"К-2026/{n:03d}", f"ООО «Компания {n}»") for n in range(200)]
    holders: list[str] = []  # recent employees' policies, as written, for relatives to name
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write(";".join(COLUMNS) + "\r\n")
        for n in range(rows):
            sex = rng.choice("mf")
            relative = bool(holders) and rng.random() < 0.3
            policy = _policy(n, rng)
            contract, employer = rng.choice(contracts)
            cells = [
                policy,
                _surname(sex, rng),
                rng.choice(FIRST[sex]),
                rng.choice(PATRONYMIC[sex]),
                _birth_date(rng),
                _phone(n, rng),
                _email(n, rng),
                "relative" if relative else rng.choice(["employee", "сотрудник", ""]),
                rng.choice(holders) if relative else "",
                "" if relative else f"T-{n}",
                contract,
                employer,
                rng.choice(["STD", "FR20", "FR30C"]),
                "01.01.2026",
                "31.12.2027",
            ]
            if not relative:
                holders.append(policy)
                if len(holders) > 1000:
                    holders = holders[-500:]
            out.write(";".join(cells) + "\r\n")


def _policy(n: int, rng: random.Random) -> str:
    prefix = rng.choice(POLICY_PREFIXES)
    if not prefix:
        return f"{n}/{rng.randint(10, 26)}"
    return f"{prefix}{n:09d}{rng.choice('/-. ')}{rng.randint(10, 26)}"


def _surname(sex: str, rng: random.Random) -> str:
    surname = rng.choice(SURNAMES)
    if sex == "f" and surname.endswith("ов"):
        surname += "а"
    roll = rng.random()
    return surname.upper() if roll < 0.05 else f" {surname} " if roll < 0.07 else surname


def _birth_date(rng: random.Random) -> str:
    year, month, day = rng.randint(1950, 2020), rng.randint(1, 12), rng.randint(1, 28)
    return f"{day:02d}.{month:02d}.{year}" if rng.random() < 0.9 else f"{year}-{month:02d}-{day:02d}"


def _phone(n: int, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.10:
        return ""
    digits = f"{n % 10**7:07d}"
    a, b, d = digits[:3], digits[3:5], digits[5:]
    if roll < 0.14:
        return rng.choice(BAD_PHONES).format(a=a, b=b, d=d)
    if roll < 0.15:
        return rng.choice(OFFICE_PHONES)
    return rng.choice(PHONE_SHAPES).format(c=rng.choice(MOBILE_CODES), a=a, b=b, d=d)


def _email(n: int, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.30:
        return ""
    if roll < 0.31:
        return f"user{n}(at)example.ru"
    return f"User{n}@Example.RU" if roll < 0.40 else f"user{n}@example.ru"


async def project_import(url: str, csv_path: Path, profile: Path | None) -> float:
    """The import's time; says how long it waited for its writer (SQLite's writer process, PostgreSQL's
    COPY): the checks are the limit when that is short, the writing when it is long."""
    await upgrade(url)
    waited = [0.0]
    owner = store.CommittingStore if url.startswith("sqlite") else store.CopyStore
    settle = owner.settle

    async def timed_settle(self) -> None:
        began = time.perf_counter()
        await settle(self)
        waited[0] += time.perf_counter() - began

    engine = create_engine(url)
    await import_file(engine, "programs", PROGRAMS.encode(), filename="programs.csv", today=TODAY)
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    with mock.patch.object(owner, "settle", timed_settle):
        report = await import_file(engine, "registry", csv_path, today=TODAY)
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    elapsed = time.perf_counter() - started
    await engine.dispose()
    print(f"project: {report.summary()}; {report.warnings} warnings; waited {waited[0]:.2f} s for its writer")
    return elapsed


def raw_insert(source: Path, target: Path, cache_kb: int | None = None) -> tuple[float, int]:
    """The same stored rows, inserted by sqlite3 alone into the same schema, under the engine's
    pragmas (and, given `cache_kb`, the page cache the importer's connection has)."""
    with sqlite3.connect(source) as old:
        ddl = [
            sql
            for (sql,) in old.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name IN ('programs', 'insured_people') AND sql IS NOT NULL "
                "ORDER BY tbl_name != 'programs', type != 'table'"
            )
        ]
        programs = old.execute("SELECT * FROM programs").fetchall()
        rows = old.execute(f"SELECT {', '.join(STORED)} FROM insured_people").fetchall()
    new = sqlite3.connect(target)
    pragmas = ["journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"]
    for pragma in pragmas + ([f"cache_size=-{cache_kb}"] if cache_kb else []):
        new.execute(f"PRAGMA {pragma}")
    for sql in ddl:
        new.execute(sql)
    new.executemany(f"INSERT INTO programs VALUES ({', '.join('?' * len(programs[0]))})", programs)
    new.commit()
    insert = f"INSERT INTO insured_people ({', '.join(STORED)}) VALUES ({', '.join('?' * len(STORED))})"
    started = time.perf_counter()
    new.executemany(insert, rows)
    new.commit()
    elapsed = time.perf_counter() - started
    new.close()
    return elapsed, len(rows)


async def lookups(db: Path, count: int, rng: random.Random) -> list[float]:
    with sqlite3.connect(db) as conn:
        total = conn.execute("SELECT max(id) FROM insured_people").fetchone()[0]
        ids = [rng.randint(1, total) for _ in range(count)]
        probes = {
            row[0]: row[1:]
            for chunk in range(0, count, 500)
            for row in conn.execute(
                "SELECT id, policy_key, last_name_key, first_name_key, birth_date FROM insured_people "
                f"WHERE id IN ({', '.join(map(str, ids[chunk : chunk + 500]))})"
            )
        }
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    timings = []
    async with create_session_factory(engine)() as session:
        for n, person_id in enumerate(ids):
            policy_key, last_key, first_key, born = probes[person_id]
            started = time.perf_counter()
            if n % 2:
                found = [await PeopleRepository(session).by_policy_key(policy_key)]
            else:
                found = await PeopleRepository(session).by_name_birth(last_key, first_key, date.fromisoformat(born))
            timings.append(time.perf_counter() - started)
            assert found and found[0] is not None
            session.expunge_all()
    await engine.dispose()
    return timings


async def raw_copy(source_url: str, target_url: str) -> tuple[float, int]:
    """The same stored rows, COPYed by asyncpg alone into a database of the same migrations."""
    import asyncpg

    await upgrade(target_url)
    old, new = [await asyncpg.connect(_plain(url)) for url in (source_url, target_url)]
    try:
        programs = await old.fetch("SELECT * FROM programs")
        rows = await old.fetch(f"SELECT {', '.join(STORED)} FROM insured_people")
        await new.copy_records_to_table("programs", records=programs, columns=list(programs[0].keys()))
        started = time.perf_counter()
        async with new.transaction():
            await new.copy_records_to_table("insured_people", records=rows, columns=list(STORED))
        elapsed = time.perf_counter() - started
    finally:
        await old.close()
        await new.close()
    return elapsed, len(rows)


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def create_database(server_url: str, purpose: str) -> str:
    import asyncpg
    from sqlalchemy.engine import make_url

    name = f"dmsbot_bench_{purpose}_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(_plain(server_url))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


async def drop_database(server_url: str, url: str) -> None:
    import asyncpg
    from sqlalchemy.engine import make_url

    admin = await asyncpg.connect(_plain(server_url))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    finally:
        await admin.close()


def bench_postgres(server_url: str, csv_path: Path, rows: int, profile: Path | None) -> None:
    async def run() -> None:
        urls = [await create_database(server_url, purpose) for purpose in ("project", "copy")]
        try:
            project_s = await project_import(urls[0], csv_path, profile)
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            copy_s, copied = await raw_copy(urls[0], urls[1])
        finally:
            for url in urls:
                await drop_database(server_url, url)
        project_rate, copy_rate = rows / project_s, copied / copy_s
        print(f"import_file: {project_s:.2f} s, {project_rate:,.0f} rows/s (parsing included)")
        print(f"import peak memory: {peak_mb:.0f} MB RSS")
        print(f"raw COPY: {copy_s:.2f} s, {copy_rate:,.0f} rows/s ({copied} rows)")
        print(f"ratio: {project_rate / copy_rate:.2f}")

    asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=10_000)
    parser.add_argument("--profile", type=Path, help="write cProfile stats of the import here")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL server to bench on instead of SQLite")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = folder / "registry.csv"
        generate(csv_path, args.rows, rng)
        os.sync()  # the file's writeback must not compete with the timed import's writes
        print(f"generated {args.rows} rows, {csv_path.stat().st_size / 1e6:.0f} MB")
        if args.postgres:
            bench_postgres(args.postgres, csv_path, args.rows, args.profile)
            return
        url = f"sqlite+aiosqlite:///{folder / 'project.sqlite3'}"
        project_s = asyncio.run(project_import(url, csv_path, args.profile))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the baseline loads its rows
        writer_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        raw_s, inserted = raw_insert(folder / "project.sqlite3", folder / "raw.sqlite3")
        cached_s, _ = raw_insert(folder / "project.sqlite3", folder / "cached.sqlite3", SQLITE_CACHE_KB)
        project_rate, raw_rate, cached_rate = args.rows / project_s, inserted / raw_s, inserted / cached_s
        print(f"import_file: {project_s:.2f} s, {project_rate:,.0f} rows/s (parsing included)")
        print(f"import peak memory: {peak_mb:.0f} MB RSS, its writer process {writer_mb:.0f} MB")
        print(f"raw executemany: {raw_s:.2f} s, {raw_rate:,.0f} rows/s ({inserted} rows)")
        print(
            f"raw executemany with the importer's {SQLITE_CACHE_KB // 1024} MB page cache: {cached_s:.2f} s,"
            f" {cached_rate:,.0f} rows/s (ratio {project_rate / cached_rate:.2f})"
        )
        timings = asyncio.run(lookups(folder / "project.sqlite3", args.lookups, rng))
        ms = sorted(t * 1000 for t in timings)
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
        print(f"lookups: {len(ms)}, median {statistics.median(ms):.3f} ms, p99 {p99:.3f} ms")
        print(f"ratio: {project_rate / raw_rate:.2f}")


if __name__ == "__main__":
    main()
