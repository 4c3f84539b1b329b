"""Every text exists in both languages, and every literal key the code asks for exists."""

import re
from pathlib import Path

from fluent.syntax import FluentParser, ast

from bot.i18n import LOCALES_DIR, create_i18n_core

ROOT = Path(__file__).resolve().parent.parent
LITERAL_KEY = re.compile(r"""(?:i18n|core)\.get\(\s*["']([a-z][a-z0-9_-]*)["']\s*[,)]""")


def messages(locale: str) -> dict[str, set[str]]:
    """Message id → the variables it uses, over all files of a locale."""
    found: dict[str, set[str]] = {}
    for path in sorted((LOCALES_DIR / locale).glob("*.ftl")):
        resource = FluentParser().parse(path.read_text(encoding="utf-8"))
        junk = [entry for entry in resource.body if isinstance(entry, ast.Junk)]
        assert not junk, f"{path}: unparsable entry {junk[0].content[:80]!r}"
        for entry in resource.body:
            if isinstance(entry, ast.Message):
                assert entry.id.name not in found, f"{path}: {entry.id.name} defined twice"
                found[entry.id.name] = set(
                    re.findall(r"\$([a-z_]+)", path.read_text(encoding="utf-8")[entry.span.start : entry.span.end])
                )
    return found


def test_ru_and_en_have_the_same_keys_and_variables() -> None:
    ru, en = messages("ru"), messages("en")
    assert sorted(set(ru) - set(en)) == [], "missing in en"
    assert sorted(set(en) - set(ru)) == [], "missing in ru"
    differing = {key: (ru[key], en[key]) for key in ru if ru[key] != en[key]}
    assert differing == {}


def test_every_literal_key_in_the_code_exists() -> None:
    keys = set(messages("ru"))
    used = {
        (path.relative_to(ROOT), key)
        for folder in ("bot", "core")
        for path in (ROOT / folder).rglob("*.py")
        for key in LITERAL_KEY.findall(path.read_text(encoding="utf-8"))
    }
    assert sorted((str(p), k) for p, k in used if k not in keys) == []


def test_russian_plurals() -> None:
    core = create_i18n_core()
    assert core.get("reg-code-refused-cooldown-sms", "ru", seconds=1).endswith("1 секунду.")
    assert core.get("reg-code-refused-cooldown-sms", "ru", seconds=3).endswith("3 секунды.")
    assert core.get("reg-code-refused-cooldown-sms", "ru", seconds=45).endswith("45 секунд.")
    assert core.get("reg-code-refused-cooldown-sms", "ru", seconds=21).endswith("21 секунду.")
    assert core.get("reg-code-refused-cooldown-sms", "en", seconds=1).endswith("1 second.")
