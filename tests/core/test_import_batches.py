"""The registry's checks across batches: with one row a batch, every earlier key (its first line, the
category its row was taken as) comes back from `FirstSeen`'s database, and the outcomes are the same
as within one batch: duplicates, collisions, relatives and their holders, `--full`."""

from __future__ import annotations

import pytest

from core.services.importing import registry
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
