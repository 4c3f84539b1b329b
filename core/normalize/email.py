"""E-mail addresses: a basic shape check, not RFC 5322 (the code we send proves it)."""

import re

from core.errors import InputError

FIELD = "email"
MAX_LENGTH = 254  # RFC 5321 path limit

# Local part: no whitespace, controls, quotes or the specials that need quoting;
# dots only between characters. Domain: dot-separated labels of letters, digits
# and inner hyphens (IDN in Unicode allowed), a top-level label of two letters
# or more (or punycode).
_LOCAL = re.compile(r"[^\s\x00-\x1f\x7f\"(),:;<>@\[\\\].]+(?:\.[^\s\x00-\x1f\x7f\"(),:;<>@\[\\\].]+)*")
_LABEL = r"[^\W_](?:(?:[^\W_]|-)*[^\W_])?"
_DOMAIN = re.compile(rf"(?:{_LABEL}\.)+(?:[^\W\d_]{{2,}}|xn--[a-z0-9-]+)")


def normalize_email(text: str, field: str = FIELD) -> str:
    """Trimmed, domain lower-cased, local part as typed. Raises InputError `email.empty`, `email.invalid`."""
    text = text.strip()
    if not text:
        raise InputError(field, "email.empty")
    local, at, domain = text.rpartition("@")
    if not at or len(text) > MAX_LENGTH or len(local) > 64:
        raise InputError(field, "email.invalid")
    domain = domain.lower()
    if not (_LOCAL.fullmatch(local) and _DOMAIN.fullmatch(domain)):
        raise InputError(field, "email.invalid")
    return f"{local}@{domain}"


def email_key(email: str) -> str:
    """The uniqueness key: the whole normalised address, casefolded."""
    return normalize_email(email).casefold()


def email_with_key(text: str, field: str = FIELD) -> tuple[str, str]:
    """`normalize_email(text)` and its `email_key`, normalising once: a normalised address is its own
    normal form (lower-casing lengthens only İ, whose combining dot no domain passes)."""
    email = normalize_email(text, field)
    return email, email.casefold()
