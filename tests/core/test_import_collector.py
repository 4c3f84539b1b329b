"""The garbage collector is paused for an import's block and left as it was found, however the block ends."""

from __future__ import annotations

import gc

import pytest

from core.services.importing.collector import collector_paused


@pytest.fixture(autouse=True)
def _collector_as_found():
    enabled = gc.isenabled()
    yield
    (gc.enable if enabled else gc.disable)()


def test_paused_within_the_block_and_back_on_after_it() -> None:
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_back_on_after_a_block_that_raised() -> None:
    gc.enable()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("unreadable")
    assert gc.isenabled()


def test_left_off_when_it_was_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_two_imports_at_once_leave_it_on_whichever_ends_first() -> None:
    gc.enable()
    first, second = collector_paused(), collector_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    second.__exit__(None, None, None)
    assert gc.isenabled()
    first, second = collector_paused(), collector_paused()
    first.__enter__()
    second.__enter__()
    second.__exit__(None, None, None)
    assert not gc.isenabled()  # the first import still runs
    first.__exit__(None, None, None)
    assert gc.isenabled()
