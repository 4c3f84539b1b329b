"""What staff type after /find, read as the lookups to run: a phone in any form, a policy or personnel
number in any form, a name with or without a birth date, an e-mail, a Telegram id, an invoice number
`YYYY/MM/N` or a YooKassa payment id. A text that could be several things (`9161000001`: a phone, a
Telegram id, a number) gives a lookup for each; the search unites what they find.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from core.errors import InputError
from core.normalize import canonical_policy, email_key, name_key, normalize_phone, parse_birth_date, patronymic_key

MAX_QUERY = 200  # characters: longer is no form of anything
TELEGRAM_ID_MAX = 2**63 - 1


class Form(StrEnum):
    PHONE = "phone"
    NUMBER = "number"  # a policy or personnel number, canonical
    NAME = "name"
    EMAIL = "email"
    TELEGRAM_ID = "telegram_id"
    INVOICE = "invoice"
    PAYMENT = "payment"


@dataclass(frozen=True)
class Lookup:
    form: Form
    key: str  # the normalised value: E.164, canonical number, surname key, e-mail key, id, `YYYY/MM/N`
    first: str = ""  # NAME: first name key ('' when not typed)
    patronymic: str = ""  # NAME: patronymic key ('' when not typed)
    born: date | None = None  # NAME: the birth date typed, if any


_PAYMENT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_INVOICE = re.compile(r"(\d{4})\s*/\s*(\d{1,2})\s*/\s*(\d{1,9})")
_TELEGRAM_ID = re.compile(r"(?:(?:id|tg)\s*:?\s*)?(\d{1,19})", re.IGNORECASE)
_TRAILING_DATE = re.compile(r"(.*?)[\s,]+(\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{4}-\d{2}-\d{2})")


def read_query(text: str, today: date) -> tuple[Lookup, ...]:
    """The lookups `text` stands for, most specific first; () when it is none of the forms."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not text or len(text) > MAX_QUERY:
        return ()
    if _PAYMENT.fullmatch(text.lower()):
        return (Lookup(Form.PAYMENT, text.lower()),)
    if "@" in text:
        try:
            return (Lookup(Form.EMAIL, email_key(text)),)
        except InputError:
            return ()
    lookups: list[Lookup] = []
    invoice = _INVOICE.fullmatch(text)
    if invoice is not None:
        year, month, sequence = (int(part) for part in invoice.groups())
        if 1 <= month <= 12:
            lookups.append(Lookup(Form.INVOICE, f"{year:04d}/{month:02d}/{sequence}"))
    name = _name(text, today)
    if name is not None:
        return (name,)
    dated = _TRAILING_DATE.fullmatch(text)
    if dated is not None and not any(ch.isdigit() for ch in dated.group(1)):
        return ()  # a name with a date that is no birth date (31.02, the future): no form
    with contextlib.suppress(InputError):
        lookups.append(Lookup(Form.PHONE, normalize_phone(text)))
    telegram = _TELEGRAM_ID.fullmatch(text)
    if telegram is not None and 0 < int(telegram.group(1)) <= TELEGRAM_ID_MAX:
        lookups.append(Lookup(Form.TELEGRAM_ID, str(int(telegram.group(1)))))
    if any(ch.isdigit() for ch in text):
        with contextlib.suppress(InputError):
            lookups.append(Lookup(Form.NUMBER, canonical_policy(text)))
    return tuple(lookups)


def _name(text: str, today: date) -> Lookup | None:
    """Surname [first name [patronymic…]] [birth date]: words without digits, a date at the end."""
    born = None
    dated = _TRAILING_DATE.fullmatch(text)
    if dated is not None:
        try:
            born = parse_birth_date(dated.group(2), today)
        except InputError:
            return None
        text = dated.group(1)
    words = text.replace(",", " ").split()
    if not words or len(words) > 5 or any(ch.isdigit() for word in words for ch in word):
        return None
    try:
        last = name_key(words[0])
        first = name_key(words[1]) if len(words) > 1 else ""
        patronymic = patronymic_key(" ".join(words[2:])) if len(words) > 2 else ""
    except InputError:
        return None
    if not any(ch.isalpha() for ch in last):
        return None
    return Lookup(Form.NAME, last, first=first, patronymic=patronymic, born=born)
