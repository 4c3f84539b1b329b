"""The same imports on PostgreSQL (Core upserts instead of SQLite's raw executemany): the same
reports and the same stored rows. Skipped when the server is unreachable, failed under
REQUIRE_SERVICES=1 (tests/conftest.py)."""

from __future__ import annotations

import pytest

from core.services.importing import import_file
from tests.core.import_fixtures import DATA, TODAY, dump, engine_for, import_samples, import_text, person

pytestmark = pytest.mark.postgres


async def test_postgres_imports_like_sqlite(postgres_url: str, sqlite_url: str) -> None:
    async with engine_for(postgres_url) as pg, engine_for(sqlite_url) as lite:
        reports = {name: await import_samples(engine) for name, engine in (("pg", pg), ("lite", lite))}
        assert {k: r.summary() for k, r in reports["pg"].items()} == {
            k: r.summary() for k, r in reports["lite"].items()
        }
        assert reports["pg"]["registry"].lines() == reports["lite"]["registry"].lines()
        assert await dump(pg) == await dump(lite)

        again = await import_samples(pg)
        assert all((r.imported, r.updated, r.rejected) == (0, 0, 0) for r in again.values())
        assert await dump(pg) == await dump(lite)

        errors = await import_file(pg, "registry", DATA / "registry-with-errors.csv", today=TODAY)
        assert errors.summary() == "imported 1, updated 0, unchanged 0, rejected 5"
        assert [(i.line, i.column, i.code) for i in errors.issues] == [
            (3, "policy_number", "required"),
            (4, "birth_date", "date.impossible"),
            (5, "program_code", "program.unknown"),
            (6, "policy_number", "policy.collides"),
            (7, "holder_policy_number", "holder.not_found"),
        ]


async def test_postgres_full_and_updates(postgres_url: str) -> None:
    header = (DATA / "registry.csv").read_text(encoding="utf-8").splitlines()[0]
    ivanov = (DATA / "registry.csv").read_text(encoding="utf-8").splitlines()[1]
    async with engine_for(postgres_url) as engine:
        await import_samples(engine)
        # К-2026/001 now lists Иванов alone, with a new e-mail: his colleagues leave, К-2026/002 stays.
        changed = ivanov.replace("ivanov@example.ru", "i.ivanov@example.ru")
        report = await import_text(engine, "registry", f"{header}\n{changed}\n", full=True)
        assert (report.summary(), report.removed) == ("imported 0, updated 1, unchanged 0, rejected 0", 7)
        shmolina, kuznetsov = [await person(engine, key) for key in ("AM01234567813", "AM01234568413")]
        assert (shmolina.removed_on, kuznetsov.removed_on) == (TODAY, None)
        assert (await person(engine, "12314")).email == "i.ivanov@example.ru"
        # Listed again: restored.
        report = await import_file(engine, "registry", DATA / "registry.csv", today=TODAY)
        assert report.summary() == "imported 0, updated 8, unchanged 8, rejected 0"
        assert (await person(engine, "AM01234567813")).removed_on is None
