"""Which language a user is answered in."""

from __future__ import annotations

LANGUAGES = ("ru", "en")
DEFAULT_LANGUAGE = "ru"


def language_for(chosen: str | None, telegram_code: str | None) -> str:
    """The user's own choice wins; else English for Telegram's `en*` codes; else Russian."""
    if chosen in LANGUAGES:
        return chosen
    if telegram_code and telegram_code.lower().startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


def browser_language(accept_language: str | None) -> str:
    """A visitor not known yet (a page before its session): the language of the browser's first choice in
    its `Accept-Language`, read as a Telegram code."""
    first = (accept_language or "").split(",")[0].split(";")[0].strip()
    return language_for(None, first)
