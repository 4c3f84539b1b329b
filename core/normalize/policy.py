"""Policy numbers: the canonical form that the registry is indexed by.

`AM012345678/13` and `АМ 012345678-13` (Cyrillic А, М) are one policy, and so are
`123/14`, `123-14`, `123.14` and `123 14`: people type whatever separator is at hand,
so none of them counts. Letters that only *might* be digits (O/0, З/3, I/1) are never
folded: that would silently merge two different policies. They only feed "did you
mean" lists.
"""

import re
import unicodedata
from itertools import combinations

from core.errors import InputError
from core.normalize.names import DASHES, WHITESPACE

FIELD = "policy_number"
MAX_LENGTH = 40

# Cyrillic capitals drawn like Latin ones become those (Ё like Е); every separator
# (slashes, dots, underscores, dashes, whitespace) is dropped.
SEPARATORS = "/\\._" + DASHES + WHITESPACE
_TO_CANONICAL = str.maketrans("АВЕЁКМНОРСТХУ", "ABEEKMHOPCTXY", SEPARATORS)
_CANONICAL = re.compile("[A-Z0-9А-Я]+")
# A leading "№" is not part of the number, and NFKC would make it the letters "NO".
_NUMERO = re.compile(r"^\s*№")

# Glyphs a person may confuse, each with the one it may have been meant as.
# Letters → digits come first in suggestions: a letter among digits is the
# likelier slip.
_LETTER_TO_DIGIT = {"O": "0", "З": "3", "I": "1", "L": "1", "B": "8", "S": "5"}
_DIGIT_TO_LETTER = {"0": "O", "3": "З", "1": "I", "8": "B", "5": "S"}
MAX_SUGGESTIONS = 8


def canonical_policy(text: str) -> str:
    """NFKC, upper case, Cyrillic look-alikes to Latin, separators dropped.
    Raises InputError `policy.empty`, `policy.invalid`, `policy.too_long`."""
    if "№" in text:  # rare: spare the usual number the substitution
        text = _NUMERO.sub("", text, count=1)
    text = unicodedata.normalize("NFKC", text).upper()
    canonical = text.translate(_TO_CANONICAL)
    if not canonical:
        raise InputError(FIELD, "policy.empty")
    if len(canonical) > MAX_LENGTH:
        raise InputError(FIELD, "policy.too_long", max=MAX_LENGTH)
    if not _CANONICAL.fullmatch(canonical):
        raise InputError(FIELD, "policy.invalid")
    return canonical


def policy_suggestions(text: str) -> list[str]:
    """Canonical forms the user may have meant, with confusable glyphs swapped:
    single swaps before double ones and so on, letters→digits before
    digits→letters, left to right. At most 8; [] when the text is not a policy
    number at all. For "did you mean" only, never for matching."""
    try:
        canonical = canonical_policy(text)
    except InputError:
        return []
    swaps = [(i, _LETTER_TO_DIGIT[ch]) for i, ch in enumerate(canonical) if ch in _LETTER_TO_DIGIT]
    swaps += [(i, _DIGIT_TO_LETTER[ch]) for i, ch in enumerate(canonical) if ch in _DIGIT_TO_LETTER]
    found: list[str] = []
    for size in range(1, len(swaps) + 1):
        for chosen in combinations(swaps, size):
            variant = list(canonical)
            for i, ch in chosen:
                variant[i] = ch
            found.append("".join(variant))
            if len(found) == MAX_SUGGESTIONS:
                return found
    return found
