"""The composition root as tests take it: `bootstrap` with parts of the test's own (a clock), never use
cases assembled by hand, so a test runs what a process runs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime

from core.bootstrap import Container, bootstrap
from core.calendar import Clock
from core.settings import Settings, load_settings


def settings_for(database_url: str, **values: object) -> Settings:
    return load_settings(database_url=database_url, otp_secret="test-otp-secret", **values)


@asynccontextmanager
async def container(settings: Settings, **parts: object) -> AsyncIterator[Container]:
    """`parts`: what `bootstrap` takes instead of building it (`clock=...`)."""
    root = await bootstrap(settings, overrides=parts, migrate_embedded=False)  # the fixtures migrate
    try:
        yield root
    finally:
        await root.close()


def on(root: Container, today: date) -> Container:
    """`root` as on `today`: its clock (the test's own, a fixed day as with BOT_TODAY) moved there."""
    root.clock.fixed_today = today
    return root


class SetClock(Clock):
    """A clock reading the instant the test sets (`clock.instant = …`): a root's `clock` override."""

    def __init__(self, instant: datetime, timezone: str = "Europe/Moscow", fixed_today: date | None = None) -> None:
        super().__init__(timezone, fixed_today, now_fn=lambda: self.instant)
        self.instant = instant


def dialogs():
    """A dialog store for a use case that resets one (erasure): the dispatcher's memory FSM storage."""
    from aiogram.fsm.storage.memory import MemoryStorage

    from bot.handlers.staff.dialogs import FsmDialogs

    return FsmDialogs(MemoryStorage(), bot_id=1)
