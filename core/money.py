"""Money: `Decimal` roubles at the edges, integer kopecks everywhere else."""

import re
from decimal import Decimal
from fractions import Fraction

from core.errors import InputError

# Twelve digits of roubles (under a trillion) keep every sum of kopecks far
# inside a 64-bit database integer.
MAX_RUBLE_DIGITS = 12

_AMOUNT = re.compile(r"(-?)([0-9]+)(?:[.,]([0-9]+))?")


def parse_money(text: str, field: str = "amount") -> Decimal:
    """`1999.99`, `4333,33`, `5` → Decimal with 2 places. No thousands separator.
    Raises InputError `money.empty`, `money.invalid`, `money.too_many_decimals`,
    `money.negative`, `money.too_large`."""
    text = text.strip()
    if not text:
        raise InputError(field, "money.empty")
    match = _AMOUNT.fullmatch(text)
    if not match:
        raise InputError(field, "money.invalid")
    minus, rubles, fraction = match.groups()
    if minus:
        raise InputError(field, "money.negative")
    if fraction is not None and len(fraction) > 2:
        raise InputError(field, "money.too_many_decimals")
    rubles = rubles.lstrip("0") or "0"
    if len(rubles) > MAX_RUBLE_DIGITS:
        raise InputError(field, "money.too_large")
    return Decimal(f"{rubles}.{(fraction or '').ljust(2, '0')}")


def to_kopecks(amount: Decimal) -> int:
    """Exact; ValueError when the amount has a fraction of a kopeck (or is not finite)."""
    if not amount.is_finite():
        raise ValueError(f"not an amount: {amount}")
    kopecks = Fraction(amount) * 100
    if kopecks.denominator != 1:
        raise ValueError(f"fraction of a kopeck: {amount}")
    return int(kopecks)


def from_kopecks(kopecks: int) -> Decimal:
    """Exact, always 2 places: 260000 → Decimal('2600.00')."""
    return Decimal(f"{kopecks}E-2")
