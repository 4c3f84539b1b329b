"""How a date, a moment, an amount and a percent read in each language: the one place that decides it.

Russian, as Russians write them: `01.10.2026`, `01.10.2026 14:05`, `2 600,00 ₽` (no-break spaces), `20,5`.
English, as people writing English do: `1 Oct 2026` (day, month's short name, year: never ambiguous, and
`core.normalize.dates.read_date` reads it back), `1 Oct 2026, 14:05`, `₽2,600.00` (the sign first, as `$`
is written), `20.5`. A language starting with `en` is English, anything else Russian.

Exports (CSV, XLSX) keep their own formats (`core.files.tables`); this is for what a person reads.
"""

from datetime import date, datetime

_NBSP = "\u00a0"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def english(language: str) -> bool:
    return language.lower().startswith("en")


def day(d: date, language: str) -> str:
    """ru `01.10.2026`; en `1 Oct 2026`."""
    if english(language):
        return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def moment(at: datetime, language: str) -> str:
    """ru `01.10.2026 14:05`; en `1 Oct 2026, 14:05` (the clock as it is: 24 hours)."""
    clock = f"{at.hour:02d}:{at.minute:02d}"
    return f"{day(at.date(), language)}, {clock}" if english(language) else f"{day(at.date(), language)} {clock}"


def rub(kopecks: int, language: str) -> str:
    """ru `2 600,00 ₽`, en `₽2,600.00`; `-500,00 ₽`, `-₽500.00`. No-break spaces inside the Russian form,
    so a message never wraps an amount (the English one has no space)."""
    sign = "-" if kopecks < 0 else ""
    rubles, rest = divmod(abs(kopecks), 100)
    if english(language):
        return f"{sign}₽{rubles:,}.{rest:02d}"
    return f"{sign}{rubles:,}".replace(",", _NBSP) + f",{rest:02d}{_NBSP}₽"


def percent(basis_points: int, language: str) -> str:
    """The number of a percent, without the sign (the text puts it): 2000 → `20`; 2050 → `20,5` (ru) or
    `20.5` (en)."""
    whole, rest = divmod(basis_points, 100)
    if not rest:
        return str(whole)
    text = f"{whole}.{rest:02d}".rstrip("0")
    return text if english(language) else text.replace(".", ",")
