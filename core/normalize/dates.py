"""Dates typed by people or written in import files."""

import calendar
import re
import unicodedata
from datetime import date

from core.errors import InputError

OLDEST_BIRTH_DATE = date(1900, 1, 1)

# ДД.ММ.ГГГГ (also Д.М.ГГГГ and / or - as the separator, the same one twice), or ISO.
_DMY = re.compile(r"([0-9]{1,2})([./-])([0-9]{1,2})\2([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_SHORT_YEAR = re.compile(r"[0-9]{1,2}([./-])[0-9]{1,2}\1[0-9]{2}")  # 30.05.92: which century is not ours to guess


def parse_date(text: str, field: str = "date") -> date:
    """Raises InputError `date.empty`, `date.short_year` (30.05.92), `date.format` (unreadable),
    `date.impossible` (31.02.1980)."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        raise InputError(field, "date.empty")
    if match := _DMY.fullmatch(text):
        day, _, month, year = match.groups()
    elif match := _ISO.fullmatch(text):
        year, month, day = match.groups()
    elif _SHORT_YEAR.fullmatch(text):
        raise InputError(field, "date.short_year")
    else:
        raise InputError(field, "date.format")
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise InputError(field, "date.impossible") from None


def parse_birth_date(text: str, today: date, field: str = "birth_date") -> date:
    """parse_date, plus `date.future` (after today) and `date.too_old` (before 1900)."""
    born = parse_date(text, field)
    if born > today:
        raise InputError(field, "date.future")
    if born < OLDEST_BIRTH_DATE:
        raise InputError(field, "date.too_old")
    return born


def age_on(birth: date, day: date) -> int:
    """Full years of age on `day`. Someone born on 29 February gets a year older
    on 28 February of a common year (by the rule of Civil Code art. 192 p. 3: a
    term ends on the last day of a month that has no such date)."""
    if day < birth:
        raise ValueError("day is before birth")
    years = day.year - birth.year
    birthday = (birth.month, birth.day)
    if birthday == (2, 29) and not calendar.isleap(day.year):
        birthday = (2, 28)
    return years - ((day.month, day.day) < birthday)
