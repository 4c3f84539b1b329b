"""Migration 0014: stored policy keys lose their slashes, with everything that refers to them; rows that
would now share a key are both kept and reported, never a failed migration. SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from core.db.migrate import upgrade
from tests.conftest import fresh_postgres_database

BEFORE = "0013"  # the last revision whose keys keep `/`
# (id, policy_key, policy_number, last name, category, holder key, personnel key)
PEOPLE = [
    (1, "123/14", "123/14", "Иванов", "employee", None, "T/1001"),
    (2, "AM012345682/13", "АМ012345682/13", "Иванова", "relative", "123/14", None),
    (3, "12314", "12314", "Другой", "employee", None, None),  # typed without the slash: now 123/14's key
    (4, "55/1", "55/1", "Петров", "employee", None, None),
    (5, "5/51", "5/51", "Сидоров", "employee", None, None),  # 551 too: the older row, 4, takes it
    (6, "R/6", "R/6", "Сидорова", "relative", "5/51", None),  # her holder kept his key: so does the reference
    (7, "77/7", "77-7", "Смирнов", "employee", None, None),
    (8, "R/8", "R/8", "Смирнова", "relative", "77/7", None),
]


@pytest.fixture
async def old_sqlite(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}"
    await upgrade(url, BEFORE)
    return url


@pytest.fixture
async def old_postgres() -> AsyncIterator[str]:
    async with fresh_postgres_database(BEFORE) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def old_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue({"sqlite": "old_sqlite", "postgres": "old_postgres"}[request.param])


async def fill_old_style(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO programs (code, name, franchise_bp, due_days, due_day_kind, overdue_rule, emergency_only,"
                " description) VALUES ('STD', 'Стандарт', 0, 30, 'working', 'franchise', false, '')"
            )
        )
        for row_id, key, printed, last, category, holder, personnel in PEOPLE:
            await conn.execute(
                text(
                    "INSERT INTO insured_people (id, policy_key, policy_number, last_name, first_name, patronymic,"
                    " last_name_key, first_name_key, patronymic_key, birth_date, category, holder_policy_key,"
                    " personnel_key, contract_number, employer, program_code, valid_from, valid_to, row_hash)"
                    " VALUES (:id, :key, :printed, :last, 'Иван', '', :last_key, 'иван', '', :born, :category, :holder,"
                    " :personnel, '', '', 'STD', :since, :until, :hash)"
                ),
                {
                    "id": row_id,
                    "key": key,
                    "printed": printed,
                    "last": last,
                    "last_key": last.lower(),
                    "born": _date("1980-01-01"),
                    "category": category,
                    "holder": holder,
                    "personnel": personnel,
                    "since": _date("2026-01-01"),
                    "until": _date("2027-12-31"),
                    "hash": "0" * 32,
                },
            )
        await conn.execute(
            text(
                "INSERT INTO deposits (reference, holder_policy_key, amount_kopecks, paid_on)"
                " VALUES ('D-1', '123/14', 100, :paid), ('D-2', '5/51', 100, :paid), ('D-3', '77/7', 100, :paid)"
            ),
            {"paid": _date("2026-01-15")},
        )
        await conn.execute(
            text(
                "INSERT INTO accounts (id, telegram_id, created_at, services_shared_with)"
                " VALUES (1, 5001, :now, '123/14'), (2, 5002, :now, '5/51'), (3, 5003, :now, '77/7')"
            ),
            {"now": _now()},
        )
    await engine.dispose()


def _date(iso: str):
    from datetime import date

    return date.fromisoformat(iso)


def _now():
    from datetime import datetime

    return datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


async def test_keys_lose_their_slashes_and_collisions_are_kept_and_reported(
    old_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    await fill_old_style(old_url)
    with caplog.at_level(logging.WARNING, logger="core.db.migrations"):
        await upgrade(old_url)  # must not fail on the collisions
    engine = create_async_engine(old_url)
    async with engine.connect() as conn:
        people = (
            await conn.execute(
                text("SELECT id, policy_key, holder_policy_key, personnel_key FROM insured_people ORDER BY id")
            )
        ).all()
        deposits = (await conn.execute(text("SELECT reference, holder_policy_key FROM deposits ORDER BY 1"))).all()
        shared = (await conn.execute(text("SELECT id, services_shared_with FROM accounts ORDER BY id"))).all()
        events = (
            await conn.execute(
                text("SELECT action, object_type, object_id, reason FROM audit_events ORDER BY object_id")
            )
        ).all()
    await engine.dispose()
    assert [tuple(p) for p in people] == [
        (1, "123/14", None, "T1001"),  # 12314 was taken by row 3, already in the new form: kept as it was
        (2, "AM01234568213", "123/14", None),  # its holder kept the old key: so does the reference
        (3, "12314", None, None),
        (4, "551", None, None),
        (5, "5/51", None, None),
        (6, "R6", "5/51", None),
        (7, "777", None, None),
        (8, "R8", "777", None),
    ]
    assert [tuple(d) for d in deposits] == [("D-1", "123/14"), ("D-2", "5/51"), ("D-3", "777")]
    assert [tuple(s) for s in shared] == [(1, "123/14"), (2, "5/51"), (3, "777")]
    assert [tuple(e) for e in events] == [
        ("registry.key_collision", "insured_person", "1", "old_key_kept"),
        ("registry.key_collision", "insured_person", "5", "old_key_kept"),
    ]
    warnings = [r.getMessage() for r in caplog.records if r.name == "core.db.migrations"]
    assert warnings == [
        "policy key collision: insured_people row 1 kept its old key, row 3 has the new one;"
        " staff must decide (docs/domain.md, Policy number)",
        "policy key collision: insured_people row 5 kept its old key, row 4 has the new one;"
        " staff must decide (docs/domain.md, Policy number)",
    ]
    assert not any(name in message for message in warnings for name in ("Иванов", "123", "551"))
