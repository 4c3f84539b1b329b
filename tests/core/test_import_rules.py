"""The rules of docs/formats.md per kind: keys, duplicates, references, optional values, --full."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.db.models import Clinic, Deposit, InsuredPerson, Program, clinic_programs
from core.services.importing.registry import COLUMNS
from tests.core.import_fixtures import TODAY, engine_for, import_samples, import_text, person

PERSON = {
    "last_name": "Тестов",
    "first_name": "Тест",
    "birth_date": "01.02.1980",
    "program_code": "STD",
    "valid_from": "01.01.2026",
    "valid_to": "31.12.2027",
    "contract_number": "К-1",
}


def registry(*people: dict[str, str]) -> str:
    """A registry CSV of `people`, each given by the cells that differ from PERSON."""
    lines = [";".join(COLUMNS)] + [";".join({**PERSON, **p}.get(column, "") for column in COLUMNS) for p in people]
    return "\n".join(lines) + "\n"


async def rows_of(engine, table) -> list:
    async with engine.connect() as conn:
        return (await conn.execute(select(table))).all()


async def test_registry_rejections_and_warnings(sqlite_url: str) -> None:
    text = registry(
        {"policy_number": "AB-1"},
        {"policy_number": "АВ 1", "last_name": "Дубль"},  # Cyrillic А, В: the same policy as line 2
        {"policy_number": "AB-3", "valid_from": "01.01.2028"},
        {"policy_number": "AB-4", "category": "кто-то"},
        {"policy_number": "AB-5", "birth_date": "2030-01-01"},
        {"policy_number": "AB-6", "last_name": "Тестов2", "first_name": ""},
        {
            "policy_number": "AB-7",
            "holder_policy_number": "AB-1",
            "phone": "8 (916) 123-45-67",
            "email": "A@Mail.RU",
        },
        {"policy_number": "AB-8", "personnel_number": "№" * 50, "phone": "+7 800 100-10-06", "email": "x@"},
        {"policy_number": "AB-9", "program_code": "std", "employer": "Я" * 201},
        {"policy_number": "AB-10", "personnel_number": "T#1"},
    )
    async with engine_for(sqlite_url) as engine:
        await import_samples(engine)
        report = await import_text(engine, "registry", text)
        employee = await person(engine, "AB7")
    assert report.lines() == [
        "line 3: policy_number: collides with line 2: the same number printed otherwise, for another person",
        "line 4: valid_to: valid_to is before valid_from",
        "line 5: category: кто-то is not one of: employee, relative",
        "line 6: birth_date: date in the future 2030-01-01",
        "line 7: last_name: not a name Тестов2",
        "line 7: first_name: required value missing",
        "line 8: holder_policy_number: warning: holder policy given for an employee (dropped)",
        "line 9: phone: warning: not a mobile number (dropped)",
        "line 9: email: warning: malformed e-mail (dropped)",
        "line 9: personnel_number: warning: longer than 40 characters (dropped)",
        "line 10: employer: longer than 200 characters",
        "line 11: personnel_number: warning: not a staff number T#1 (dropped)",
    ]
    assert report.summary() == "imported 4, updated 0, unchanged 0, rejected 6"
    assert (employee.holder_policy_key, employee.phone, employee.email, employee.email_key) == (
        None,
        "+79161234567",
        "A@mail.ru",
        "a@mail.ru",
    )


async def test_relatives_and_their_holders(sqlite_url: str) -> None:
    relative = {"category": "relative", "birth_date": "01.01.2015"}
    text = registry(
        {"policy_number": "R-1", **relative, "holder_policy_number": "E-1"},  # its holder comes later
        {"policy_number": "E-1"},
        {
            "policy_number": "R-2",
            **relative,
            "category": "родственник",
            "holder_policy_number": "123/14",
        },  # in the database
        {"policy_number": "R-3", **relative, "holder_policy_number": "R-1"},  # a relative
        {
            "policy_number": "R-4",
            **relative,
            "holder_policy_number": "АМ012345682/13",
        },  # a relative in the database
        {"policy_number": "R-5", **relative, "holder_policy_number": "R-5"},  # itself
        {"policy_number": "R-6", **relative},  # no holder: a parent may add the child later
    )
    async with engine_for(sqlite_url) as engine:
        await import_samples(engine)
        report = await import_text(engine, "registry", text)
        r1, r2, r6 = [await person(engine, key) for key in ("R1", "R2", "R6")]
    assert report.lines() == [
        "line 5: holder_policy_number: holder is not an employee",
        "line 6: holder_policy_number: holder is not an employee",
        "line 7: holder_policy_number: holder is not an employee",
    ]
    assert report.summary() == "imported 4, updated 0, unchanged 0, rejected 3"
    assert (r1.holder_policy_key, r2.holder_policy_key, r2.category, r6.holder_policy_key) == (
        "E1",
        "12314",
        "relative",
        None,
    )


async def test_a_changed_row_is_updated_and_only_it(sqlite_url: str) -> None:
    text = registry({"policy_number": "P-1"}, {"policy_number": "P-2"})
    async with engine_for(sqlite_url) as engine:
        await import_samples(engine)
        await import_text(engine, "registry", text)
        before = await person(engine, "P2")
        # The same values in other spellings are unchanged; a new phone is an update.
        again = registry(
            {"policy_number": "P-1", "birth_date": "1980-02-01", "program_code": " std ", "category": "Сотрудник"},
            {"policy_number": "P-2", "phone": "+79161112233"},
        )
        report = await import_text(engine, "registry", again)
        after = await person(engine, "P2")
    assert report.summary() == "imported 0, updated 1, unchanged 1, rejected 0"
    assert (after.id, after.phone) == (before.id, "+79161112233")
    assert after.row_hash != before.row_hash


async def test_full_marks_leavers_of_the_same_contracts_and_restores_returners(sqlite_url: str) -> None:
    async with engine_for(sqlite_url) as engine:
        await import_samples(engine)
        first = registry(
            {"policy_number": "F-1"}, {"policy_number": "F-2"}, {"policy_number": "F-3", "contract_number": "К-2"}
        )
        await import_text(engine, "registry", first)
        # К-1 lists F-1 only: F-2 leaves; К-2 (F-3) and the samples' contracts are not in the file.
        report = await import_text(engine, "registry", registry({"policy_number": "F-1"}), full=True)
        f1, f2, f3, ivanov = [await person(engine, key) for key in ("F1", "F2", "F3", "12314")]
        assert report.summary() == "imported 0, updated 0, unchanged 1, rejected 0"
        assert report.removed == 1
        assert (f1.removed_on, f2.removed_on, f3.removed_on, ivanov.removed_on) == (None, TODAY, None, None)
        # Without --full, nobody is removed; listing F-2 again restores it.
        report = await import_text(engine, "registry", registry({"policy_number": "F-2"}))
        assert report.summary() == "imported 0, updated 1, unchanged 0, rejected 0"
        assert (await person(engine, "F2")).removed_on is None
        # A row rejected in a --full import still counts as present.
        report = await import_text(
            engine,
            "registry",
            registry({"policy_number": "F-1"}, {"policy_number": "F-2", "birth_date": "x"}),
            full=True,
        )
        assert (report.rejected, report.removed) == (1, 0)


async def test_programs_rules(sqlite_url: str) -> None:
    text = (
        "program_code;name;franchise_percent;due_days;due_day_kind;overdue_rule;emergency_only\n"
        "half;Half;12,5 %;;calendar;;да\n"
        "P2;Bad percent;150;0;monthly;never;maybe\n"
        "P3;;x;1.5;;;\n"
        "P 4;Spaces;;;;;\n"
        "HALF;Again;;;;;\n"
    )
    async with engine_for(sqlite_url) as engine:
        report = await import_text(engine, "programs", text)
        (half,) = await rows_of(engine, Program)
    assert report.lines() == [
        "line 3: franchise_percent: 150 is out of range 0–100",
        "line 3: due_days: 0 is out of range 1–365",
        "line 3: due_day_kind: monthly is not one of: working, calendar",
        "line 3: overdue_rule: never is not one of: franchise, emergency",
        "line 3: emergency_only: maybe is not one of: yes, no",
        "line 4: name: required value missing",
        "line 4: franchise_percent: not a number x",
        "line 4: due_days: not a whole number 1.5",
        "line 5: program_code: not a program code P 4 (no spaces or |)",
        "line 6: program_code: duplicate of line 2",
    ]
    assert tuple(half) == ("HALF", "Half", 1250, 30, "calendar", "franchise", True, "")


async def test_clinics_rules_and_program_links(sqlite_url: str) -> None:
    header = "clinic_id;name;city;address;latitude;longitude;phone;booking_url;program_codes;franchise\n"
    async with engine_for(sqlite_url) as engine:
        await import_samples(engine)
        report = await import_text(
            engine,
            "clinics",
            header
            + "K1;Клиника;Казань;ул. 1;55,79;49,12;call us;https://k1.example;std|FR20  EMG;да\n"
            + "K2;Клиника 2;Казань;ул. 2;95;49;;ftp://x;STD;\n"
            + "K3;Клиника 3;Казань;ул. 3;55;;;;STD NOPE XX;no\n"
            + "K4;Клиника 4;Казань;ул. 4;;;;;;yes\n",
        )
        k1, k2 = sorted(row for row in await rows_of(engine, Clinic) if row.id in ("K1", "K2"))
        links = sorted((c, p) for c, p in await rows_of(engine, clinic_programs) if c.startswith("K"))
        assert report.lines() == [
            "line 3: latitude: warning: 95 is out of range -90–90 (dropped)",
            "line 3: longitude: warning: latitude and longitude go together (dropped)",
            "line 3: booking_url: warning: not a web address ftp://x (dropped)",
            "line 4: latitude: warning: latitude and longitude go together (dropped)",
            "line 4: program_codes: unknown program NOPE",
            "line 4: program_codes: unknown program XX",
            "line 5: program_codes: required value missing",
        ]
        assert (k1.latitude, k1.longitude, k1.phone, k1.booking_url, k1.franchise) == (
            55.79,
            49.12,
            "call us",
            "https://k1.example",
            True,
        )
        assert (k2.latitude, k2.booking_url, k2.franchise) == (None, None, False)
        assert links == [("K1", "EMG"), ("K1", "FR20"), ("K1", "STD"), ("K2", "STD")]
        # Programs are part of a clinic: another list is an update, and replaces the links.
        report = await import_text(engine, "clinics", header + "K2;Клиника 2;Казань;ул. 2;;;;;FR20;\n")
        assert report.summary() == "imported 0, updated 1, unchanged 0, rejected 0"
        assert [p for c, p in await rows_of(engine, clinic_programs) if c == "K2"] == ["FR20"]


async def test_deposits_rules(sqlite_url: str) -> None:
    text = (
        "reference;holder_policy_number;amount;paid_on\n"
        "D-1;123\\14;500,5;2026-02-01\n"
        "D-2;NOBODY-1;100;01.02.2026\n"
        "D-3;АМ012345682/13;100;01.02.2026\n"
        "D-4;123/14;0;01.02.2026\n"
        "D-5;123/14;1.234;01.02.2026\n"
        "D-1;123/14;1;01.02.2026\n"
    )
    async with engine_for(sqlite_url) as engine:
        await import_samples(engine)
        report = await import_text(engine, "deposits", text)
        stored = {row.reference: row for row in await rows_of(engine, Deposit)}
    assert report.lines() == [
        "line 3: holder_policy_number: holder policy not found",
        "line 4: holder_policy_number: holder is not an employee",
        "line 5: amount: amount must be above zero",
        "line 6: amount: more than 2 decimals 1.234",
        "line 7: reference: duplicate of line 2",
    ]
    assert (stored["D-1"].holder_policy_key, stored["D-1"].amount_kopecks, stored["D-1"].paid_on) == (
        "12314",
        50050,
        date(2026, 2, 1),
    )


async def test_lookups_by_every_key(sqlite_url: str) -> None:
    from core.db.engine import create_session_factory
    from core.db.people import PeopleRepository

    async with engine_for(sqlite_url) as engine:
        await import_samples(engine)
        async with create_session_factory(engine)() as session:
            q = PeopleRepository(session)
            assert (await q.by_policy_key("AM01234567913")).last_name == "Алиев"
            assert await q.by_policy_key("NOPE") is None
            assert [p.policy_key for p in await q.by_number_key("T1002")] == ["AM01234567813"]
            assert [p.policy_key for p in await q.by_number_key("AM01234567913")] == ["AM01234567913"]
            petrovs = await q.by_name_birth("петров", "сергей", date(1990, 1, 1))
            assert [p.policy_key for p in petrovs] == ["AM01234568513", "AM01234568613"]
            by_phone = select(InsuredPerson.last_name).where(InsuredPerson.phone == "+79161000010")
            assert list(await session.scalars(by_phone)) == ["Петров"]
            by_email = select(InsuredPerson.last_name).where(InsuredPerson.email_key == "semenova@example.ru")
            assert list(await session.scalars(by_email)) == ["Семёнова"]
            assert all(isinstance(p, InsuredPerson) for p in petrovs)


async def test_clinic_id_must_fit_in_button_data(tmp_path) -> None:
    """The id travels in callback data: a colon or a long Cyrillic id would break the clinic's buttons."""
    from core.db.engine import create_engine
    from core.db.migrate import upgrade
    from core.services.importing import import_file

    url = f"sqlite+aiosqlite:///{tmp_path}/c.sqlite3"
    await upgrade(url)
    engine = create_engine(url)
    try:
        await import_file(
            engine, "programs", b"program_code;name\nSTD;Standard\n", filename="p.csv", today=date(2026, 11, 21)
        )
        report = await import_file(
            engine,
            "clinics",
            "clinic_id;name;city;address;program_codes\nC:1;A;Москва;x;STD\n"
            f"{'Ж' * 31};B;Москва;x;STD\nC-2.b_3;C;Москва;x;STD\n".encode(),
            filename="c.csv",
            today=date(2026, 11, 21),
        )
    finally:
        await engine.dispose()
    assert (report.imported, report.rejected) == (1, 2)
    assert [line[:19] for line in report.lines()] == ["line 2: clinic_id: ", "line 3: clinic_id: "]
