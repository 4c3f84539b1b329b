"""A text at its dialog's length limit, made of the characters HTML escaping lengthens most, still renders:
Fluent's own cap on a variable's length (2,500 characters) is raised in `bot/i18n.py` (the hostile-updates
test found a support answer of 2,000 `&` crashing its preview)."""

from __future__ import annotations

from aiogram_i18n import I18nContext

from bot.i18n import AccountLocaleManager, create_i18n_core
from bot.views.desk_queue import preview_screen
from core.cabinet.requests import MAX_TEXT
from core.desk.queue import ItemAction, ItemKind
from core.free_text import utf16_len


def test_the_longest_answer_of_ampersands_and_quotes_is_previewed_in_both_languages() -> None:
    core = create_i18n_core()
    for language in ("ru", "en"):
        i18n = I18nContext(language, core, AccountLocaleManager(), {})
        for char, escaped in (("&", "&amp;"), ('"', "&quot;")):
            text, _ = preview_screen(i18n, ItemKind.REQUEST, 7, ItemAction.ANSWER, char * MAX_TEXT)
            assert text.count(escaped) == MAX_TEXT
            assert utf16_len(text.replace(escaped, char)) <= 4096  # as Telegram counts, after the HTML
