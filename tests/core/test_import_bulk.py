"""The registry's bulk paths: on SQLite a transaction per batch, the file read through before
the first one commits unless the reader proved it readable (a file unreadable halfway still writes
nothing); on PostgreSQL new rows COPYed into the
table and the others into a staging table and one set-based upsert per batch, with the same reports
and the same rows."""

from __future__ import annotations

import asyncio
import gc
import re

import pytest
from sqlalchemy import select, text

import core.services.importing as importing
from core.db.models import InsuredPerson
from core.services.importing import UnreadableFile
from core.services.importing.registry import STORED
from core.services.importing.sqlite_writer import SQLiteWriter, WriteFailed
from core.services.importing.store import CommittingStore, CopyStore
from tests.core.import_fixtures import dump, engine_for, import_samples, import_text

HEADER = "policy_number;last_name;first_name;birth_date;email;category;holder_policy_number;contract_number;program_code;valid_from;valid_to"


def registry(rows: int, *, email: str = "p{n}@example.ru", start: int = 0) -> str:
    """Employees, each tenth row a relative naming the employee of the next row (who comes later),
    each 25th row bad (an unknown program)."""
    lines = [HEADER]
    for n in range(start, start + rows):
        relative = n % 10 == 9
        holder = f"BK{n + 1:06d}/26" if relative else ""
        program = "NOPE" if n % 25 == 24 else "STD"
        lines.append(
            f"BK{n:06d}/26;Петров;Пётр;01.02.1980;{email.format(n=n)};{'relative' if relative else ''};{holder};"
            f"К-{n % 3};{program};01.01.2026;31.12.2027"
        )
    return "\n".join(lines) + "\n"


async def people(engine) -> list[tuple]:
    columns = [InsuredPerson.__table__.c[c] for c in (*STORED, "removed_on")]
    async with engine.connect() as conn:
        return sorted(tuple(row) for row in await conn.execute(select(*columns)))


@pytest.mark.parametrize("quoted", [False, True])
async def test_sqlite_commits_batch_by_batch_after_reading_the_file_through(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, quoted: bool
) -> None:
    """A file with quotes is read through before the first commit; one the reader's scan proved
    readable (no quotes, short lines) is read once."""
    monkeypatch.setattr(CommittingStore, "batch", 40)
    read_throughs = []
    read_through = importing._read_through

    async def counted(*args):
        read_throughs.append(args)
        await read_through(*args)

    monkeypatch.setattr(importing, "_read_through", counted)
    async with engine_for(sqlite_url) as engine:
        await import_samples(engine)
        samples = len(await people(engine))
        commits = []
        committed = SQLiteWriter.committed

        async def counted_commit(writer: SQLiteWriter) -> None:
            await committed(writer)
            commits.append(1)

        monkeypatch.setattr(SQLiteWriter, "committed", counted_commit)
        text = registry(300)
        if quoted:
            text = text.replace(";Петров;", ';"Петров";', 1)
        report = await import_text(engine, "registry", text)
        assert report.summary() == "imported 288, updated 0, unchanged 0, rejected 12"
        assert len(read_throughs) == quoted  # once, before the first batch commits, when quoted
        assert len(commits) == 8  # 288 rows in batches of 40, by the writer process
        small = await import_text(engine, "registry", registry(30, start=1000).replace("Петров", '"Петров"'))
        assert small.imported == 28 and len(read_throughs) == quoted  # one batch: written at the end, no read-through
        assert len(commits) == 8  # ... here, with no writer process started
        assert len(await people(engine)) == samples + 288 + 28


async def test_sqlite_a_file_unreadable_after_many_batches_writes_nothing(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CommittingStore, "batch", 40)
    async with engine_for(sqlite_url) as engine:
        await import_samples(engine)
        before = await dump(engine)
        broken = registry(300) + "ZZ1/26;" + "x" * 20_000 + "\n"
        with pytest.raises(UnreadableFile, match="line 302: over the command-line cell length limit"):
            await import_text(engine, "registry", broken)
        assert await dump(engine) == before
        assert gc.isenabled()  # paused while the file was read, back on


async def test_sqlite_a_batch_the_database_refuses_stops_the_import(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer process's refusal reaches the importer, named by the constraint (no value); the batches
    committed before it stay, as they do in turn."""
    monkeypatch.setattr(CommittingStore, "batch", 40)
    async with engine_for(sqlite_url) as engine:
        await import_samples(engine)
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON insured_people WHEN NEW.policy_key = 'BK00010026'"
                    " BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END"
                )
            )
        samples = len(await people(engine))
        with pytest.raises(WriteFailed, match="IntegrityError: refused by a trigger"):
            await import_text(engine, "registry", registry(300))
        assert 80 <= len(await people(engine)) - samples < 120  # the batches before the refused one
        async with engine.begin() as conn:
            await conn.execute(text("DROP TRIGGER refuse"))
        again = await import_text(engine, "registry", registry(300))  # the database is sound
        assert again.summary().startswith("imported ") and again.rejected == 12


async def test_sqlite_a_writer_process_gone_stops_the_import_and_a_cancelled_import_ends_its_writer(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CommittingStore, "batch", 40)
    writers: list[SQLiteWriter] = []
    answers: list[int] = []
    start, committed = SQLiteWriter.start, SQLiteWriter.committed

    async def kept_start(*args) -> SQLiteWriter:
        writers.append(await start(*args))
        return writers[-1]

    async def killed_after_two(writer: SQLiteWriter) -> None:
        await committed(writer)
        answers.append(1)
        if len(answers) == 2:
            writer.process.kill()  # the third batch finds it gone

    monkeypatch.setattr(SQLiteWriter, "start", kept_start)
    monkeypatch.setattr(SQLiteWriter, "committed", killed_after_two)
    async with engine_for(sqlite_url) as engine:
        await import_samples(engine)
        samples = len(await people(engine))
        with pytest.raises(WriteFailed, match=r"the import's writer process ended \(exit code -9\)"):
            await import_text(engine, "registry", registry(300))
        assert writers[0].process.returncode == -9 and len(answers) == 2
        assert len(await people(engine)) == samples + 80  # the two batches committed before

        monkeypatch.setattr(SQLiteWriter, "committed", committed)
        importing_task = asyncio.ensure_future(import_text(engine, "registry", registry(3000, start=5000)))
        while len(writers) < 2 and not importing_task.done():
            await asyncio.sleep(0.01)
        importing_task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await importing_task
        assert writers[1].process.returncode is not None  # ended with the import, not left behind
        again = await import_text(engine, "registry", registry(300, start=10_000))  # the database is sound
        assert again.summary() == "imported 288, updated 0, unchanged 0, rejected 12"


@pytest.mark.postgres
async def test_postgres_copy_reports_and_stores_what_sqlite_does(
    postgres_url: str, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CopyStore, "batch", 40)
    monkeypatch.setattr(CommittingStore, "batch", 40)
    async with engine_for(postgres_url) as pg, engine_for(sqlite_url) as lite:
        for engine in (pg, lite):
            await import_samples(engine)
        steps = [
            (registry(300), False),
            (registry(300), False),  # unchanged
            (registry(150, email="new{n}@example.ru") + registry(100, start=400).split("\n", 1)[1], True),
        ]
        for text, full in steps:
            reports = [await import_text(engine, "registry", text, full=full) for engine in (pg, lite)]
            assert reports[0].summary() == reports[1].summary()
            assert reports[0].lines() == reports[1].lines()
            assert reports[0].removed == reports[1].removed
            assert await people(pg) == await people(lite)
        assert reports[0].summary() == "imported 96, updated 144, unchanged 0, rejected 10"


@pytest.mark.postgres
async def test_postgres_a_file_unreadable_after_many_batches_writes_nothing(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CopyStore, "batch", 40)
    async with engine_for(postgres_url) as engine:
        await import_samples(engine)
        before = await dump(engine)
        broken = registry(300) + "ZZ1/26;" + "x" * 20_000 + "\n"
        with pytest.raises(UnreadableFile, match="line 302: over the command-line cell length limit"):
            await import_text(engine, "registry", broken)
        assert await dump(engine) == before
        assert (await import_text(engine, "registry", registry(300))).imported == 288  # the connection is sound


@pytest.fixture
def database_url(request: pytest.FixtureRequest) -> str:
    """The URL of the database fixture the test is parametrized with (indirectly)."""
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize(
    ("database_url", "store", "rows", "rejected"),
    [
        pytest.param("postgres_url", CopyStore, 300, 12, marks=pytest.mark.postgres),
        ("sqlite_url", CommittingStore, 300, 12),  # by the writer process
        ("sqlite_url", CommittingStore, 30, 2),  # one batch, written in turn
    ],
    indirect=["database_url"],
)
async def test_a_key_stored_meanwhile_by_another_import_is_updated(
    database_url: str, monkeypatch: pytest.MonkeyPatch, store: type, rows: int, rejected: int
) -> None:
    """When another import has stored one of a batch's new keys since the import began, that batch is
    upserted instead: the key is updated, and the rest goes on. On PostgreSQL new rows are COPYed into the
    table itself, and the batch whose COPY meets the key goes through the staged upsert."""
    monkeypatch.setattr(store, "batch", 40)
    write_batch = store.write_batch
    others: list[str] = []

    async def another_import_first(self, new, changed) -> None:
        if not others:
            others.append("under way")  # the other import's own batch goes straight through
            others[0] = (await import_text(engine, "registry", registry(1, email="other{n}@example.ru"))).summary()
        await write_batch(self, new, changed)

    async with engine_for(database_url) as engine:
        await import_samples(engine)
        monkeypatch.setattr(store, "write_batch", another_import_first)
        report = await import_text(engine, "registry", registry(rows))
        assert others == ["imported 1, updated 0, unchanged 0, rejected 0"]
        accepted = rows - rejected
        assert report.summary() == f"imported {accepted}, updated 0, unchanged 0, rejected {rejected}"
        emails = [row[STORED.index("email")] for row in await people(engine)]
        assert "p0@example.ru" in emails and "other0@example.ru" not in emails
        assert sum(bool(email and re.fullmatch(r"p[0-9]+@example\.ru", email)) for email in emails) == accepted
