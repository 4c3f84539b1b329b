"""The registry's checks across batches: with one row a batch, every earlier key (its first line, the
category its row was taken as) comes back from `FirstSeen`'s database, and the outcomes are the same
as within one batch: duplicates, collisions, relatives and their holders, `--full`."""

from __future__ import annotations

import re

import pytest

from core.services.importing import first_seen, registry
from core.services.importing.first_seen import FirstSeen
from tests.core import test_import_collisions as collisions
from tests.core import test_import_rules as rules


@pytest.fixture(autouse=True)
def one_row_a_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "SEEN_BATCH", 1)


async def test_a_collision_is_told_from_a_duplicate_across_batches(sqlite_url: str) -> None:
    await collisions.test_in_one_file_a_collision_is_told_from_a_duplicate(sqlite_url)


async def test_a_colliding_waiting_relative_across_batches(sqlite_url: str) -> None:
    await collisions.test_a_colliding_relative_waiting_for_the_holder_is_rejected_too(sqlite_url)


async def test_relatives_and_their_holders_across_batches(sqlite_url: str) -> None:
    await rules.test_relatives_and_their_holders(sqlite_url)


async def test_full_across_batches(sqlite_url: str) -> None:
    await rules.test_full_marks_leavers_of_the_same_contracts_and_restores_returners(sqlite_url)


def test_first_seen_keeps_records_between_batches() -> None:
    seen = FirstSeen()
    try:
        assert seen.add("A1", 2, 10, 20) == [2, 10, 20, None]
        seen.take("A1", "employee")
        seen.add("B2", 3, 11, 21)
        seen.save()
        assert seen.get("A1") is None  # a new batch starts empty
        seen.load(["A1", "C3"])
        assert seen.get("A1") == [2, 10, 20, "employee"]
        assert seen.get("C3") is None
        assert seen.add("A1", 9, 0, 0) == [2, 10, 20, "employee"]  # the first line stays
        seen.load(["B2"])
        seen.take("B2", "relative")
        seen.save()
        seen.load(["B2"])
        assert seen.get("B2")[3] == "relative"
        assert seen.absent(["C3", "A1", "D4", "B2"]) == ["C3", "D4"]
    finally:
        seen.close()


@pytest.mark.parametrize("bits", [8, first_seen.FILTER_BITS])
def test_first_seen_finds_every_key_met_whatever_its_filter_says(monkeypatch: pytest.MonkeyPatch, bits: int) -> None:
    """The filter of keys met only spares lookups: with 8 bits every key shares a set bit (each is looked
    up), with the real size a key never met is almost never looked up; the records found are the same."""
    monkeypatch.setattr(first_seen, "FILTER_BITS", bits)
    monkeypatch.setattr(first_seen, "FILTER_MASK", bits - 1)
    seen = FirstSeen()
    asked: list[str] = []
    seen.db.set_trace_callback(lambda sql: asked.extend(re.findall(r"'(K\d+)'", sql) if "SELECT" in sql else ()))
    try:
        for n in range(0, 2000, 2):
            seen.add(f"K{n}", n, n, n)
        seen.save()
        seen.load(f"K{n}" for n in range(2000))  # half of them met
        assert [n for n in range(2000) if seen.get(f"K{n}") is not None] == list(range(0, 2000, 2))
        never_met = [key for key in asked if int(key[1:]) % 2]
        assert len(never_met) == 1000 if bits == 8 else len(never_met) < 5
    finally:
        seen.close()
