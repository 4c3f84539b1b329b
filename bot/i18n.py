"""Translations from `locales/` (Fluent): ru by default, en; chosen per account."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import fluent.runtime.resolver
from aiogram.types import User
from aiogram_i18n.cores import FluentRuntimeCore
from aiogram_i18n.managers import BaseManager
from fluent.runtime import FluentBundle

from core.language import DEFAULT_LANGUAGE, language_for
from core.services.viewers import Viewer

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
# Fluent refuses a variable longer than 2,500 characters (its guard against runaway nested messages).
# Ours are bounded before they get here — a user's text at most 4,096 UTF-16 units (`core.free_text`,
# the dialogs' own limits) — but escaped for HTML one character can take six (`&quot;`): the bound is
# raised to what that allows, so a long answer of `&`s is not a crash (the hostile-updates test found it).
fluent.runtime.resolver.MAX_PART_LENGTH = max(fluent.runtime.resolver.MAX_PART_LENGTH, 6 * 4096 + 1024)


def create_i18n_core() -> FluentRuntimeCore:
    """Loaded at once, so it also serves code outside the dispatcher (CLI, worker, feed_update)."""
    core = _new_core()
    core.locales.update(_bundles())
    return core


def _new_core() -> FluentRuntimeCore:
    # raise_key_error: a missing key must fail a test, not show "some-key" to a user.
    return FluentRuntimeCore(path=LOCALES_DIR / "{locale}", default_locale=DEFAULT_LANGUAGE, raise_key_error=True)


@functools.cache
def _bundles() -> dict[str, FluentBundle]:
    """The files parsed and compiled once per process (they do not change while it runs; the bundles are only
    read after): a process that builds many dispatchers — the tests, the benches — paid half a second each."""
    return _new_core().find_locales()


class AccountLocaleManager(BaseManager):
    """The viewer's chosen language, else one derived from Telegram's language code."""

    async def get_locale(self, event_from_user: User | None = None, viewer: Viewer | None = None, **_: Any) -> str:
        return language_for(
            viewer.language if viewer else None,
            event_from_user.language_code if event_from_user else None,
        )

    async def set_locale(self, locale: str, **_: Any) -> None:
        # The choice is stored by core.services.accounts.AccountService.set_language.
        return None
