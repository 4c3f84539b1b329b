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
    return _birth(parse_date(text, field), today, field)


def read_birth_date(text: str, today: date, field: str = "birth_date") -> date:
    """read_date, plus `date.future` (after today) and `date.too_old` (before 1900)."""
    return _birth(read_date(text, field), today, field)


def _birth(born: date, today: date, field: str) -> date:
    if born > today:
        raise InputError(field, "date.future")
    if born < OLDEST_BIRTH_DATE:
        raise InputError(field, "date.too_old")
    return born


# --- dates as people type them in the chat (import files keep the strict `parse_date`)

# Month names, Russian and English: the full forms (nominative, genitive) and the usual abbreviations. A word
# is a month when it is one of these, or the first three letters or more of exactly one month's full form.
_MONTHS: tuple[tuple[str, ...], ...] = (
    ("январь", "января", "янв", "january", "jan"),
    ("февраль", "февраля", "фев", "февр", "february", "feb"),
    ("март", "марта", "мар", "march", "mar"),
    ("апрель", "апреля", "апр", "april", "apr"),
    ("май", "мая", "may"),
    ("июнь", "июня", "июн", "june", "jun"),
    ("июль", "июля", "июл", "july", "jul"),
    ("август", "августа", "авг", "august", "aug"),
    ("сентябрь", "сентября", "сен", "сент", "september", "sep", "sept"),
    ("октябрь", "октября", "окт", "october", "oct"),
    ("ноябрь", "ноября", "ноя", "нояб", "november", "nov"),
    ("декабрь", "декабря", "дек", "december", "dec"),
)
_MONTH_OF = {form: number for number, forms in enumerate(_MONTHS, 1) for form in forms}
_YEAR_WORD = re.compile(r"\s*(?:г\.?|года?|гг\.?)$", re.IGNORECASE)  # "15 марта 1985 г."
_SEP = r"\s*[./\-\s,]\s*"
_NUMERIC = re.compile(rf"([0-9]{{1,4}}){_SEP}([0-9]{{1,2}}){_SEP}([0-9]{{1,4}})")
_WORD = r"([^\W\d_]+)\.?"
_DAY = r"([0-9]{1,2})(?:st|nd|rd|th|-?е|-?го)?"
_DAY_MONTH_YEAR = re.compile(rf"{_DAY}\s*[\s./\-]?\s*{_WORD}\s*[\s.,/\-]?\s*([0-9]{{1,4}})")
_MONTH_DAY_YEAR = re.compile(rf"{_WORD}\s*[\s./\-]?\s*{_DAY}\s*,?\s*[\s./\-]?\s*([0-9]{{1,4}})")


def month_number(word: str) -> int | None:
    """1–12 for a month's name or abbreviation in Russian or English, any case; None for another word."""
    word = word.lower().replace("ё", "е").rstrip(".")
    if word in _MONTH_OF:
        return _MONTH_OF[word]
    if len(word) < 3:
        return None
    found = {number for form, number in _MONTH_OF.items() if len(form) > 3 and form.startswith(word)}
    return found.pop() if len(found) == 1 else None


def read_date(text: str, field: str = "date") -> date:
    """A date as people type it: what `parse_date` reads, and also `15031985`, `15 03 1985`, `15/03/1985`,
    `15 марта 1985 г.`, `15 мар 1985`, `March 15, 1985`, `15 Mar 1985`. Numbers are read day first (as
    Russians write them); month first only when that is the one possible reading (`03/15/1985`).
    Raises InputError with the codes of `parse_date`."""
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    if not text:
        raise InputError(field, "date.empty")
    text = _YEAR_WORD.sub("", text).lower()
    if text.isdigit():
        if len(text) == 8:
            return _made(field, text[4:], text[2:4], text[:2])
        if len(text) == 6:
            raise InputError(field, "date.short_year")
        raise InputError(field, "date.format")
    if match := _NUMERIC.fullmatch(text):
        first, middle, last = match.groups()
        if len(first) == 4 and len(last) <= 2:
            return _made(field, first, middle, last)  # ISO order
        if len(first) > 2:
            raise InputError(field, "date.format")
        _full_year(field, last)
        try:
            return _made(field, last, middle, first)
        except InputError:
            if int(middle) > 12 and int(first) <= 12:  # 03/15/1985: only month first makes a date
                return _made(field, last, first, middle)
            raise
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        day_text, word, year = match.groups()
    elif match := _MONTH_DAY_YEAR.fullmatch(text):
        word, day_text, year = match.groups()
    else:
        raise InputError(field, "date.format")
    month = month_number(word)
    if month is None:
        raise InputError(field, "date.format")
    _full_year(field, year)
    return _made(field, year, str(month), day_text)


def _full_year(field: str, year: str) -> None:
    if len(year) <= 2:
        raise InputError(field, "date.short_year")
    if len(year) != 4:
        raise InputError(field, "date.format")


def _made(field: str, year: str, month: str, day: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise InputError(field, "date.impossible") from None


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
