"""Clinics of a program: who may be served where today, and search by part of the name or city."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import lru_cache

from core.cabinet.franchise import FranchiseKind, FranchiseState
from core.cabinet.policies import INACTIVE, PolicyStatus
from core.errors import InputError
from core.free_text import blank, strip_control, utf16_len
from core.normalize.translit import has_cyrillic, loose_latin

MIN_QUERY = 2
MAX_QUERY = 100
_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"(\d+)")


class ClinicAccess(StrEnum):
    AVAILABLE = "available"
    NEEDS_FRANCHISE = "needs_franchise"  # a franchise clinic, the franchise not (yet) in force
    SUSPENDED = "suspended"  # an overdue invoice, per the program's overdue_rule
    POLICY_INACTIVE = "policy_inactive"


def clinic_access(
    policy: PolicyStatus,
    franchise: FranchiseState,
    overdue_rule: str,
    *,
    franchise_clinic: bool,
    emergency_clinic: bool,
) -> ClinicAccess:
    """A franchise clinic serves only under an activated, non-suspended franchise (and the
    flag means nothing in a program without one); overdue under the `emergency` rule leaves only the
    clinics of `emergency_only` programs (the insurer's medical desk)."""
    if policy in INACTIVE:
        return ClinicAccess.POLICY_INACTIVE
    is_franchise_clinic = serves_under_franchise(franchise_clinic, franchise)
    # Without a franchise in force, paying a debt would not open it: activation is what is missing.
    if is_franchise_clinic and franchise.kind in (FranchiseKind.NOT_ACTIVATED, FranchiseKind.SCHEDULED):
        return ClinicAccess.NEEDS_FRANCHISE
    if policy == PolicyStatus.RESTRICTED:
        if overdue_rule == "emergency" and not emergency_clinic:
            return ClinicAccess.SUSPENDED
        if overdue_rule == "franchise" and is_franchise_clinic:
            return ClinicAccess.SUSPENDED
    if is_franchise_clinic and franchise.kind == FranchiseKind.SUSPENDED:
        return ClinicAccess.SUSPENDED
    return ClinicAccess.AVAILABLE


def serves_under_franchise(franchise_clinic: bool, franchise: FranchiseState) -> bool:
    """The clinic's `franchise` flag counts only in a program that has a franchise."""
    return franchise_clinic and franchise.kind != FranchiseKind.NOT_REQUIRED


def fold(text: str) -> str:
    """The form both sides of a search are compared in: NFKC, no control characters, case-folded, ё as е,
    spaces collapsed."""
    text = strip_control(unicodedata.normalize("NFKC", text)).casefold().replace("ё", "е")
    return _SPACES.sub(" ", text).strip()


def search_query(text: str) -> str:
    """The search as typed, as it is kept and echoed: control characters dropped, trimmed. Raises
    InputError `search.too_short`, `search.too_long` (see `search_needle`)."""
    query = strip_control(text).strip()
    search_needle(query)
    return query


def search_needle(query: str) -> str:
    """What the user typed, folded; its length counted in UTF-16 units, as Telegram counts it. Raises
    InputError `search.too_short`, `search.too_long`."""
    needle = fold(query)
    if len(needle) < MIN_QUERY or blank(needle):
        raise InputError("query", "search.too_short", min=MIN_QUERY)
    if utf16_len(needle) > MAX_QUERY:
        raise InputError("query", "search.too_long", max=MAX_QUERY)
    return needle


# English names of cities that the passport spelling of their Russian name does not give.
CITY_NAMES = {
    "moscow": "москва",
    "saint petersburg": "санкт-петербург",
    "saint-petersburg": "санкт-петербург",
    "st petersburg": "санкт-петербург",
    "st. petersburg": "санкт-петербург",
    "st.petersburg": "санкт-петербург",
    "yekaterinburg": "екатеринбург",
    "rostov-on-don": "ростов-на-дону",
    "rostov on don": "ростов-на-дону",
    "archangel": "архангельск",
    "arkhangelsk": "архангельск",
}
_CITY = re.compile(r"\b(" + "|".join(re.escape(name) for name in sorted(CITY_NAMES, key=len, reverse=True)) + r")\b")
_LATIN = re.compile("[a-z]")


@lru_cache(maxsize=256)
def latin_needle(needle: str) -> str | None:
    """A needle typed in Latin letters (no Cyrillic), in the loose form it is looked for in: English
    city names replaced by the Russian ones, then `loose_latin`. None for any other needle."""
    if has_cyrillic(needle) or not _LATIN.search(needle):
        return None
    return loose_latin(_CITY.sub(lambda found: CITY_NAMES[found.group(1)], needle))


def matches(search_key: str, needle: str) -> bool:
    """A clinic matches when its name or city (the importer's search_key) contains the needle; a needle in
    Latin letters also when its loose form is in theirs (`Medsi` → «Медси», `Moscow` → «Москва»)."""
    if needle in fold(search_key):
        return True
    latin = latin_needle(needle)
    return latin is not None and latin in loose_latin(search_key)


def listing_order(name: str) -> tuple[tuple[int, int | str], ...]:
    """How clinics are listed: by folded name, numbers by value ("№ 3" before "№ 10")."""
    return tuple((1, int(part)) if part.isdecimal() else (0, part) for part in _NUMBER.split(fold(name)) if part)
