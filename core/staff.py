"""The desk's typed values: a Telegram id and a role to grant (`/roles grant 123456789 support`)."""

from __future__ import annotations

import re

from core.actors import Role
from core.errors import InputError

# Telegram user ids are positive and fit in 52 bits (Bot API: "at most 52 significant bits").
MAX_TELEGRAM_ID = 2**52 - 1
_DIGITS = re.compile(r"[0-9]{1,16}")
# What a role may be typed as: its name, or a Russian word for it.
_ROLES = {
    "support": Role.SUPPORT,
    "поддержка": Role.SUPPORT,
    "admin": Role.ADMIN,
    "administrator": Role.ADMIN,
    "админ": Role.ADMIN,
    "администратор": Role.ADMIN,
}


def parse_telegram_id(text: str) -> int:
    """A user's Telegram id: digits only (spaces around allowed). Raises InputError `telegram_id.invalid`."""
    text = text.strip()
    if not _DIGITS.fullmatch(text) or not 0 < int(text) <= MAX_TELEGRAM_ID:
        raise InputError("telegram_id", "telegram_id.invalid")
    return int(text)


def parse_role(text: str) -> Role:
    """`support` or `admin` (any case; `поддержка`, `администратор` too). Raises InputError `role.invalid`."""
    role = _ROLES.get(text.strip().casefold())
    if role is None:
        raise InputError("role", "role.invalid")
    return role


def parse_grant(text: str) -> tuple[int, Role]:
    """`123456789 support`: the id, then the role. Raises InputError `grant.usage` for anything but two
    words, else what is wrong with either."""
    words = text.split()
    if len(words) != 2:
        raise InputError("grant", "grant.usage")
    return parse_telegram_id(words[0]), parse_role(words[1])
