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
