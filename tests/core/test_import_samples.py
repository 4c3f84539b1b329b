"""The sample files (emulators/data) imported into a fresh SQLite database."""

from __future__ import annotations

from sqlalchemy import select

from core.db.models import Clinic, Deposit, Program, clinic_programs
from core.services.importing import import_file
from tests.core.import_fixtures import DATA, TODAY, dump, engine_for, import_samples, person


async def test_samples_import_with_exact_counts(sqlite_url: str) -> None:
    async with engine_for(sqlite_url) as engine:
        reports = await import_samples(engine)
    assert {kind: report.summary() for kind, report in reports.items()} == {
        "programs": "imported 4, updated 0, unchanged 0, rejected 0",
        "clinics": "imported 6, updated 0, unchanged 0, rejected 0",
        "registry": "imported 16, updated 0, unchanged 0, rejected 0",
        "deposits": "imported 1, updated 0, unchanged 0, rejected 0",
    }
    assert all(report.exit_code == 0 for report in reports.values())


async def test_dropped_values_are_warnings_and_the_rows_stay(sqlite_url: str) -> None:
    async with engine_for(sqlite_url) as engine:
        registry = (await import_samples(engine))["registry"]
        morozov, zhumabaev, kovaleva = [
            await person(engine, key) for key in ("AM01234568813", "AM01234569113", "AM01234569213")
        ]
    assert registry.lines() == [
        "line 13: phone: warning: not a mobile number (dropped)",
        "line 16: phone: warning: not a Russian number (dropped)",
        "line 17: email: warning: malformed e-mail (dropped)",
    ]
    assert [(i.code, i.warning) for i in registry.issues] == [
        ("phone.not_mobile", True),
        ("phone.foreign", True),
        ("email.invalid", True),
    ]
    assert (morozov.last_name, morozov.phone, morozov.email) == ("Морозов", None, "morozov@example.ru")
    assert (zhumabaev.last_name, zhumabaev.phone) == ("Жумабаев", None)
    assert (kovaleva.last_name, kovaleva.phone, kovaleva.email, kovaleva.email_key) == (
        "Ковалёва",
        "+79161000015",
        None,
        None,
    )


async def test_stored_forms(sqlite_url: str) -> None:
    async with engine_for(sqlite_url) as engine:
        await import_samples(engine)
        ivanov, shmolina, aliev, wife = [
            await person(engine, key) for key in ("12314", "AM01234567813", "AM01234567913", "AM01234568213")
        ]
        async with engine.connect() as conn:
            fr30c = (await conn.execute(select(Program).where(Program.code == "FR30C"))).one()
            c001 = (await conn.execute(select(Clinic).where(Clinic.id == "C001"))).one()
            c006 = (await conn.execute(select(Clinic).where(Clinic.id == "C006"))).one()
            c001_programs = set(
                (
                    await conn.execute(
                        select(clinic_programs.c.program_code).where(clinic_programs.c.clinic_id == "C001")
                    )
                ).scalars()
            )
            deposit = (await conn.execute(select(Deposit))).one()
    assert (ivanov.personnel_number, ivanov.personnel_key, ivanov.category) == ("T-1001", "T1001", "employee")
    assert (shmolina.phone, shmolina.policy_number, shmolina.category) == (
        "+79161000002",
        "AM012345678/13",
        "employee",
    )
    # Cyrillic АМ on the policy: same canonical form as Latin; the two-word patronymic is one key.
    assert (aliev.policy_number, aliev.patronymic, aliev.patronymic_key) == (
        "АМ012345679/13",
        "Гасан оглы",
        "гасаноглы",
    )
    assert (wife.category, wife.holder_policy_key, wife.personnel_key) == ("relative", "12314", None)
    assert str(ivanov.valid_to) == "2027-12-31" and ivanov.removed_on is None and len(ivanov.row_hash) == 32
    assert (fr30c.franchise_bp, fr30c.due_days, fr30c.due_day_kind, fr30c.overdue_rule, fr30c.emergency_only) == (
        3000,
        90,
        "calendar",
        "emergency",
        False,
    )
    assert c001.search_key == "клиника «семейный доктор» на бауманской москва"
    assert (c001.latitude, c001.phone, c001.franchise) == (55.7722, "+7 495 100-10-01", False)
    assert (c006.latitude, c006.longitude, c006.booking_url) == (None, None, None)
    assert c001_programs == {"STD", "FR20", "FR30C"}
    assert (deposit.reference, deposit.holder_policy_key, deposit.amount_kopecks, str(deposit.paid_on)) == (
        "D-2026-0001",
        "12314",
        50000,
        "2026-01-15",
    )


async def test_importing_twice_changes_nothing(sqlite_url: str) -> None:
    async with engine_for(sqlite_url) as engine:
        first = await import_samples(engine)
        before = await dump(engine)
        second = await import_samples(engine)
        after = await dump(engine)
    assert after == before
    for kind, report in second.items():
        assert (report.imported, report.updated, report.rejected) == (0, 0, 0)
        assert report.unchanged == first[kind].imported


async def test_registry_with_errors(sqlite_url: str) -> None:
    async with engine_for(sqlite_url) as engine:
        await import_samples(engine)
        report = await import_file(engine, "registry", DATA / "registry-with-errors.csv", today=TODAY)
        good = await person(engine, "OШ000126")  # Cyrillic Ш has no Latin twin; О does
    assert report.lines() == [
        "line 3: policy_number: required value missing",
        "line 4: birth_date: impossible date 31.02.1980",
        "line 5: program_code: unknown program NOPE",
        "line 6: policy_number: collides with line 2: the same number printed otherwise, for another person",
        "line 7: holder_policy_number: holder policy not found",
    ]
    assert [(i.line, i.column, i.code) for i in report.issues] == [
        (3, "policy_number", "required"),
        (4, "birth_date", "date.impossible"),
        (5, "program_code", "program.unknown"),
        (6, "policy_number", "policy.collides"),
        (7, "holder_policy_number", "holder.not_found"),
    ]
    assert report.summary() == "imported 1, updated 0, unchanged 0, rejected 5"
    assert report.exit_code == 1
    assert good.last_name == "Верный"
