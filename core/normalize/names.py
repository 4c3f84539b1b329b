"""Surnames, first names and patronymics: matching keys and display forms.

The registry side and what the user types go through the same functions, so
`Салтыков - Щедрин`, `САЛТЫКОВ‑ЩЕДРИН` and `Салтыков-Щедрин` meet at one key.
"""

import re
import unicodedata

from core.errors import InputError
from core.free_text import INVISIBLE
from core.normalize.translit import is_latin_key, latin_key

MAX_LENGTH = 100

_BMP = [chr(cp) for cp in range(0x10000)]
DASHES = "".join(ch for ch in _BMP if unicodedata.category(ch) == "Pd") + "\u2212"  # + minus sign
WHITESPACE = "".join(ch for ch in _BMP if ch.isspace())
# Every dash is a hyphen, every whitespace a space; invisible format characters
# (soft hyphen, zero-width space, BOM...) and the other characters drawn as
# nothing (Hangul fillers, variation selectors: core.free_text) are dropped: they
# come from copy and paste, never from a name.
_CLEAN = {
    **str.maketrans(DASHES, "-" * len(DASHES)),
    **str.maketrans(WHITESPACE, " " * len(WHITESPACE)),
    **{ord(ch): None for ch in _BMP if unicodedata.category(ch) == "Cf"},
    **{ord(ch): None for ch in INVISIBLE},
}
_TIDY = re.compile("[A-Za-zА-яЁё]+(?:[-' ][A-Za-zА-яЁё]+)*")
_SPACES = re.compile(" {2,}")
_HYPHENS = re.compile(" ?-[- ]*")  # spaces around a hyphen, repeated hyphens
# Apostrophe look-alikes (typographic quotes, modifier letters, grave, prime)
# are one apostrophe in a key.
_APOSTROPHES = str.maketrans("\u2019\u2018\u02bc\u02bb\u02b9`\u2032", "'" * 7)
# A stress mark pasted from a dictionary (Ива́нов): an acute or grave after a
# vowel, once decomposed; after е also the diaeresis (Latin ë made Cyrillic).
_STRESS = re.compile("(?<=е)[\u0300\u0301\u0308]+|(?<=[аиоуыэюяі])[\u0300\u0301]+")
_COMMON = re.compile("[a-zа-яё' -]+")  # needs none of the above nor a per-character check
_LETTER = re.compile(r"[^\W\d_]")

# Letters drawn alike in Latin and Cyrillic (compared after casefold; b/в, h/н,
# m/м, t/т look alike as capitals). Accented letters are compared decomposed,
# so Latin ë is e + diaeresis: Cyrillic е, then ё, which keys write е.
_LATIN_TO_CYRILLIC = str.maketrans("abcehkmoptxy", "авсенкмортху")
_CYRILLIC_TO_LATIN = str.maketrans("авсенкмортху", "abcehkmoptxy")
_LATIN = re.compile("[a-z]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN_UNLIKE = re.compile("[dfgijlnqrsuvwz]")  # no Cyrillic twin
_CYRILLIC_UNLIKE = re.compile("(?![авсенкмортху])[\u0400-\u04ff]")  # no Latin twin
_WORD = re.compile("[^ -]+")

# Turkic patronymic particles ("son of", "daughter of") belong to the patronymic:
# `Гасан оглы` = `Гасан-оглы` = `Гасаноглы`.
_PARTICLES = (
    "оглы",
    "оглу",
    "улы",
    "уулу",
    "кызы",
    "гызы",
    "кизи",
    "угли",
    "ogly",
    "oglu",
    "uly",
    "uulu",
    "kyzy",
    "gyzy",
    "kizi",
    "qizi",
    "ugli",
)
_GLUE_PARTICLE = re.compile(r"[ -]({})(?=[ -]|$)".format("|".join(_PARTICLES)))


def display_name(text: str) -> str:
    """The name cleaned for storage and display: NFKC, plain hyphens and spaces,
    no spaces around a hyphen, whitespace collapsed; case kept. Never raises
    (a blank input gives "")."""
    if _TIDY.fullmatch(text):  # the usual case, and already clean: skip the slow steps
        return text
    # The acute accent sign stands in for an apostrophe (NFKC would make it a
    # space and a combining accent). NFKC again after the cleaning: a dropped
    # invisible character may have parted a letter from its accent.
    text = unicodedata.normalize("NFKC", text.replace("\u00b4", "'")).translate(_CLEAN)
    text = unicodedata.normalize("NFKC", text)
    text = _HYPHENS.sub("-", _SPACES.sub(" ", text))
    return text.strip(" -")


def name_key(text: str, field: str = "name") -> str:
    """The matching key of a surname or first name (casefolded, ё→е, look-alike
    letters unified); raises InputError `name.empty`, `name.invalid`, `name.too_long`."""
    key = _key(text, field)
    if not key:
        raise InputError(field, "name.empty")
    return key


def patronymic_key(text: str | None, field: str = "patronymic") -> str:
    """Like name_key, but a missing patronymic is "" and оглы/кызы/... are glued
    to the preceding word."""
    if text is None:
        return ""
    return _GLUE_PARTICLE.sub(r"\1", _key(text, field))


def patronymic_matches(registry_key: str, typed_key: str) -> bool:
    """When the registry has a patronymic the typed one must equal it; when it
    has none, whatever was typed is ignored. Exact keys: see same_patronymic for
    the rule that also reads a patronymic typed in Latin."""
    return not registry_key or registry_key == typed_key


def same_name(registry_key: str, typed_key: str) -> bool:
    """A typed surname or first name (a key) against the registry's key. Typed
    wholly in Latin, it is read as the passport spells it (ICAO, `latin_key`)
    and must equal the registry's key so transliterated; otherwise the keys must
    be equal (stronger than comparing transliterations: Зайцев is not Заицев)."""
    if is_latin_key(typed_key):
        return latin_key(registry_key) == typed_key
    return registry_key == typed_key


def same_patronymic(registry_key: str, typed_key: str) -> bool:
    """The patronymic rule: when the registry has none, whatever was typed is
    ignored; when it has one, the typed one must be the same name (`same_name`;
    оглы/кызы/... are already glued by `patronymic_key`, in either script)."""
    return not registry_key or same_name(registry_key, typed_key)


def _key(text: str, field: str) -> str:
    clean = display_name(text)
    if len(clean) > MAX_LENGTH:
        raise InputError(field, "name.too_long", max=MAX_LENGTH)
    key = clean.casefold()
    if not key:
        return ""
    if _COMMON.fullmatch(key):
        key = _unify_scripts(key.replace("ё", "е"))
    else:
        # Decomposed (NFD), ё is е + diaeresis, a stress mark is a character of
        # its own, and look-alikes are judged by their base letters.
        key = _unify_scripts(unicodedata.normalize("NFD", key).replace("е\u0308", "е"))
        key = display_name(_STRESS.sub("", key).translate(_APOSTROPHES))  # recomposes; may leave an edge space
        if not _only_name_chars(key):
            raise InputError(field, "name.invalid")
    if not _LETTER.search(key):
        raise InputError(field, "name.invalid")
    return key


def _unify_scripts(key: str) -> str:
    if _LATIN.search(key) and _CYRILLIC.search(key):
        return _WORD.sub(_unify_word, key)
    return key


def _only_name_chars(key: str) -> bool:
    """Letters (with their combining accents), hyphens, apostrophes, spaces."""
    after_letter = False
    for ch in key:
        if ch.isalpha():
            after_letter = True
        elif ch in "-' ":
            after_letter = False
        elif not (after_letter and unicodedata.category(ch).startswith("M")):
            return False
    return True


def _unify_word(word: re.Match) -> str:
    """A word written in one script with a few look-alikes of the other gets
    those look-alikes replaced; a word entirely Latin stays Latin."""
    w = word.group()
    if not (_LATIN.search(w) and _CYRILLIC.search(w)):
        return w
    if not _LATIN_UNLIKE.search(w):
        return w.translate(_LATIN_TO_CYRILLIC)
    if not _CYRILLIC_UNLIKE.search(w):
        return w.translate(_CYRILLIC_TO_LATIN)
    return w
