"""One canonical policy number printed two ways for two people (DESIGN §2 "Policy number"): the later
row is rejected `policy_number: collides with …`, never merged; the same person, or the same printed
number, is a duplicate in one file and an update across files."""

from __future__ import annotations

import pytest

from tests.core.import_fixtures import engine_for, import_text, person
from tests.core.test_import_rules import registry


@pytest.fixture(params=["sqlite", "postgres"])
def registry_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue({"sqlite": "sqlite_url", "postgres": "postgres_url"}[request.param])


async def programs(engine) -> None:
    await import_text(engine, "programs", "program_code;name\nSTD;Стандарт\n")


async def test_in_one_file_a_collision_is_told_from_a_duplicate(registry_url: str) -> None:
    text = registry(
        {"policy_number": "123/14"},
        {"policy_number": "123-14", "last_name": "Другой"},  # another spelling, another person: a collision
        {"policy_number": "123 14", "birth_date": "02.02.1980"},  # another birth date: a collision too
        {"policy_number": "123.14"},  # another spelling of the same person: a duplicate
        {"policy_number": "123/14", "last_name": "Другой"},  # printed alike: a duplicate, as before
    )
    async with engine_for(registry_url) as engine:
        await programs(engine)
        report = await import_text(engine, "registry", text)
        stored = await person(engine, "12314")
    assert report.lines() == [
        "line 3: policy_number: collides with line 2: the same number printed otherwise, for another person",
        "line 4: policy_number: collides with line 2: the same number printed otherwise, for another person",
        "line 5: policy_number: duplicate of line 2",
        "line 6: policy_number: duplicate of line 2",
    ]
    assert report.summary() == "imported 1, updated 0, unchanged 0, rejected 4"
    assert (stored.policy_number, stored.last_name) == ("123/14", "Тестов")


async def test_against_the_stored_rows_a_collision_is_rejected_and_the_rest_updated(registry_url: str) -> None:
    async with engine_for(registry_url) as engine:
        await programs(engine)
        await import_text(
            engine,
            "registry",
            registry(
                {"policy_number": "123/14"},
                {"policy_number": "AM012345678/13", "last_name": "Шмолина"},
                {"policy_number": "77/1", "last_name": "Смирнов"},
            ),
        )
        report = await import_text(
            engine,
            "registry",
            registry(
                {"policy_number": "123-14", "last_name": "Другой"},  # collides with the stored 123/14
                {"policy_number": "АМ 012345678-13", "last_name": "Шмолина", "phone": "+79161000002"},  # her own
                {"policy_number": "77/1", "last_name": "Смирнова"},  # printed alike: a correction of the name
            ),
        )
        ivanov, shmolina, smirnova = [await person(engine, key) for key in ("12314", "AM01234567813", "771")]
    assert report.lines() == ["line 2: policy_number: collides with 123/14, stored for another person"]
    assert report.summary() == "imported 0, updated 2, unchanged 0, rejected 1"
    assert (ivanov.policy_number, ivanov.last_name) == ("123/14", "Тестов")  # never merged
    assert (shmolina.policy_number, shmolina.phone) == ("АМ 012345678-13", "+79161000002")
    assert smirnova.last_name == "Смирнова"


async def test_a_colliding_relative_waiting_for_the_holder_is_rejected_too(registry_url: str) -> None:
    async with engine_for(registry_url) as engine:
        await programs(engine)
        await import_text(engine, "registry", registry({"policy_number": "E-1"}, {"policy_number": "R/1"}))
        report = await import_text(
            engine,
            "registry",
            registry(
                {
                    "policy_number": "R-1",
                    "last_name": "Родственник",
                    "category": "relative",
                    "holder_policy_number": "E1",
                },
                {"policy_number": "E-1"},
            ),
        )
        relative = await person(engine, "R1")
    assert report.lines() == ["line 2: policy_number: collides with R/1, stored for another person"]
    assert report.summary() == "imported 0, updated 0, unchanged 1, rejected 1"
    assert (relative.policy_number, relative.category) == ("R/1", "employee")
