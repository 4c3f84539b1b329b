"""Names typed in Latin: the Russian international passport's spelling (ICAO Doc 9303, used since 2014).

A name typed wholly in Latin is read as the passport spells it: the registry's Cyrillic key is
transliterated the same way and must then be equal, letter for letter. Nothing here is fuzzy.

The functions take matching KEYS (`name_key`, `patronymic_key`: casefolded, ё already е, hyphens,
spaces and apostrophes kept), never raw text.
"""

import re
import unicodedata

# ICAO Doc 9303 Part 3, transliteration of Cyrillic: the Russian alphabet...
_RUSSIAN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "ie",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}
# ...and the other letters of the same table (Ukrainian, Belarusian, Serbian, Macedonian), read
# the Russian way (г stays g). Cyrillic letters outside the table (ә, қ, ө, ...) stay as they are:
# such a name meets no Latin spelling, only its own Cyrillic one.
_OTHER = {
    "ґ": "g",
    "є": "ie",
    "і": "i",
    "ї": "i",
    "ў": "u",
    "ђ": "d",
    "ѓ": "g",
    "ѕ": "dz",
    "ј": "j",
    "љ": "lj",
    "њ": "nj",
    "ћ": "c",
    "ќ": "k",
    "џ": "dz",
}
_ICAO = str.maketrans({**_RUSSIAN, **_OTHER})

_CYRILLIC = re.compile("[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")
_ASCII_LETTER = re.compile("[a-z]")


def latin_key(key: str) -> str:
    """The passport (ICAO) spelling of a name key: `салтыков-щедрин` → `saltykov-shchedrin`.

    Latin letters, hyphens, spaces and apostrophes pass through, so a key already in Latin is
    itself (and `latin_key(latin_key(k)) == latin_key(k)`)."""
    return key.translate(_ICAO)


def is_latin_key(key: str) -> bool:
    """The key has Latin letters and no Cyrillic ones: a name typed in Latin."""
    if _CYRILLIC.search(key):
        return False
    if _ASCII_LETTER.search(key):
        return True
    return any(ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN ") for ch in key)


# --- search in Latin letters (clinics): forgiving, unlike names. A Latin query is compared with the
# Cyrillic text's passport spelling after both are loosened, so the common English spellings meet:
# "Medsi" finds «Медси», "Zdorovye" «Здоровье», "Chelyabinsk" «Челябинск». Many spellings become one
# form; both sides go through the same function, so that only widens what matches.
_LOOSE_PAIRS = (
    ("shch", "sch"),
    ("kh", "h"),
    ("ts", "c"),
    ("tz", "c"),
    ("ck", "k"),
    ("ph", "f"),
    ("x", "ks"),
    ("w", "v"),
    ("y", "i"),
    ("j", "i"),
    ("'", ""),
)
_REPEATS = re.compile(r"([a-z])\1+")


def loose_latin(text: str) -> str:
    """A search form of Latin or Cyrillic text: casefolded, Cyrillic in the passport spelling, then the
    spellings people use interchangeably made one (y/j → i, kh → h, ts → c, …, doubled letters once).
    Idempotent; a text without letters stays as folded."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е").translate(_ICAO)
    for spelled, loose in _LOOSE_PAIRS:
        text = text.replace(spelled, loose)
    text = _REPEATS.sub(r"\1", text)
    # «ье» is spelled "ye" or "ie" and ICAO drops the ь; «ё» is spelled "yo" and ICAO writes "e": all "e".
    while "ie" in text or "io" in text:
        text = _REPEATS.sub(r"\1", text.replace("ie", "e").replace("io", "e"))
    return text


def has_cyrillic(text: str) -> bool:
    return _CYRILLIC.search(text) is not None
