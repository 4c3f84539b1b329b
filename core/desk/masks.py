"""Masks for staff lists: enough to tell people apart, not enough to read their data off a screen.

Names as surname and initials (`Ёлкина-Петрова А. С.`), phones `+7 903 ***-**-34`, e-mails
`a***@corp.example`, policy numbers with all but the last four characters starred. One full record is
shown only on request, and that view is audited.
"""

from __future__ import annotations

from core.normalize.phone import mask_phone

__all__ = ["mask_email", "mask_name", "mask_phone", "mask_policy"]

POLICY_SHOWN = 4  # characters of a policy number left visible at its end


def _initial(word: str) -> str:
    for ch in word:
        if ch.isalpha():
            return f"{ch.upper()}."
    return ""


def mask_name(last_name: str, first_name: str, patronymic: str = "") -> str:
    """The surname whole, then the initials of the first name and the patronymic (when there is one)."""
    initials = " ".join(i for i in (_initial(first_name), _initial(patronymic)) if i)
    surname = " ".join(last_name.split())
    return f"{surname} {initials}".strip()


def mask_email(email: str) -> str:
    """The first character of the local part, three stars, the domain: `a***@corp.example`."""
    local, at, domain = email.strip().rpartition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def mask_policy(number: str) -> str:
    """Every character but the last four starred (a number of four or fewer is starred whole)."""
    if len(number) <= POLICY_SHOWN:
        return "*" * len(number)
    return "*" * (len(number) - POLICY_SHOWN) + number[-POLICY_SHOWN:]
