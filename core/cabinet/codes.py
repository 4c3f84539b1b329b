"""A one-time code as the user types it back."""

from __future__ import annotations

import re

from core.errors import InputError
from core.otp import CODE_DIGITS

_SEPARATORS = re.compile(r"[\s-]+")


def typed_code(text: str) -> str:
    """`123456`, `123 456`, `123-456` → `123456`. Raises InputError `code.format`."""
    code = _SEPARATORS.sub("", text)
    if len(code) != CODE_DIGITS or not code.isascii() or not code.isdigit():
        raise InputError("code", "code.format", digits=CODE_DIGITS)
    return code
