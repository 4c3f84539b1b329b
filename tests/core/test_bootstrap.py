"""The composition root: a clock handed in is every use case's clock, the hooks between use cases are wired
there, and every use case is named for the handlers."""

from __future__ import annotations

from datetime import date

import pytest

from core.bootstrap import bootstrap
from core.calendar import Clock
from tests.roots import container, settings_for


async def test_a_clock_handed_in_is_the_clock_of_every_use_case(sqlite_url: str) -> None:
    clock = Clock(fixed_today=date(2026, 11, 1))
    async with container(settings_for(sqlite_url), clock=clock) as root:
        timed = [use_case for use_case in root.use_cases().values() if hasattr(use_case, "clock")]
        assert len(timed) > 10 and all(use_case.clock is clock for use_case in timed)
        assert root.clock is clock and root.otp.clock is clock


async def test_what_cannot_be_handed_in_is_refused(sqlite_url: str) -> None:
    with pytest.raises(TypeError, match="engine"):
        await bootstrap(settings_for(sqlite_url), overrides={"engine": None}, migrate_embedded=False)


async def test_the_hooks_between_use_cases_are_wired_by_the_root(sqlite_url: str) -> None:
    async with container(settings_for(sqlite_url)) as root:
        assert root.payments.on_binding == root.cards.apply_binding


async def test_the_use_cases_are_named_and_the_plumbing_is_not(sqlite_url: str) -> None:
    async with container(settings_for(sqlite_url)) as root:
        names = set(root.use_cases())
        assert {"registration", "policies", "invoices", "payments", "cards", "billing"} <= names
        assert not names & {"settings", "clock", "engine", "uow", "redis", "http", "viewers", "metrics"}
        assert all(root.use_cases()[name] is getattr(root, name) for name in names)
