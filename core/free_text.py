"""Free text as Telegram counts it and as a database can keep it.

Telegram measures a message (4,096), a caption and its entity offsets in UTF-16 code units: a
character outside the Basic Multilingual Plane (most emoji) counts as two. Limits the user is told
about are counted the same way, so a text that passes them also fits the messages that show it.

Stored text loses its control characters: NUL, which PostgreSQL refuses in `text`, the rest of C0
and C1 (they only garble what staff read), and lone surrogates, which no UTF-8 store accepts.
Newline and tab stay.

Text that shows nothing is blank (`blank`): white space, control characters, and the characters Unicode
says to draw as nothing (its default-ignorable code points: zero-width spaces and joiners, the soft hyphen,
bidi marks, variation selectors, Hangul fillers, tags…), plus the braille blank, drawn as a space without
being one. A free-text answer that is blank is an empty answer, however long.
"""

from __future__ import annotations

import re

_KEPT = frozenset("\n\t")
_DROPPED = {
    cp: None for cp in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *range(0xD800, 0xE000)) if chr(cp) not in _KEPT
}


# Default_Ignorable_Code_Point (Unicode 15, DerivedCoreProperties.txt), and U+2800 BRAILLE PATTERN BLANK.
_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x2800, 0x2800),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
INVISIBLE = frozenset(chr(cp) for first, last in _INVISIBLE_RANGES for cp in range(first, last + 1))
_BLANK = re.compile(
    r"[\s\x00-\x1f\x7f-\x9f" + "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in _INVISIBLE_RANGES) + "]*"
)


def blank(text: str) -> bool:
    """Whether `text` shows nothing: only white space, control characters and invisible characters."""
    return _BLANK.fullmatch(text) is not None


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: a character above U+FFFF counts twice."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def cut_utf16(text: str, limit: int) -> str:
    """The longest beginning of `text` of at most `limit` UTF-16 units; a character that takes two units
    (a surrogate pair) is never split."""
    if limit < 0:
        raise ValueError("limit must not be negative")
    if len(text) <= limit // 2 or utf16_len(text) <= limit:
        return text
    units = 0
    for index, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            return text[:index]
    return text


def clip_utf16(text: str, limit: int, ellipsis: str = "…") -> str:
    """At most `limit` UTF-16 units, ending in an ellipsis when cut (for display, never for storage)."""
    if utf16_len(text) <= limit:
        return text
    return cut_utf16(text, limit - utf16_len(ellipsis)).rstrip() + ellipsis


def strip_control(text: str) -> str:
    """`text` without C0/C1 control characters (NUL included) and lone surrogates; newline and tab kept."""
    if text.isprintable():  # the usual case: nothing to drop (printable excludes every Cc and Cs)
        return text
    return text.translate(_DROPPED)
