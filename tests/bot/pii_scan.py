"""Whether anything the bot sent to Telegram carries personal data: every call the Telegram emulator
received (message texts, captions, button labels and their data, callback alerts, edits, topic names,
uploaded files' names and bytes) searched for the sample people's names, phones in any format, e-mails,
birth dates in any format, policy and personnel numbers, the bills' service names and amounts, any
amount in roubles, and whatever a test adds (what its user typed).

`forbidden()` builds the sample set; `leaks(emulator, forbidden)` lists what was found where."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from core.readable import day, rub
from emulators import SAMPLE_DATA
from emulators.telegram import TelegramEmulator

_MONTHS_RU = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Any amount in roubles, whatever its number: `2 600,00 ₽`, `₽2,600.00`, `400 руб.`, `RUB 400`.
_ROUBLES = re.compile(r"\d[\d\s\u00a0\u202f.,]*\s*(?:₽|руб|RUB)|(?:₽|RUB)\s*\d", re.IGNORECASE)
# A phone masked as the chat used to show it (`+7 916 ***-**-01`).
_MASKED_PHONE = re.compile(r"\+7\s*9\d\d\s*\*{3}")


@dataclass(frozen=True)
class Forbidden:
    """Exact values (matched case-insensitively, not inside a longer word or number) and patterns."""

    values: frozenset[str]
    patterns: tuple[tuple[str, re.Pattern[str]], ...] = (
        ("an amount in roubles", _ROUBLES),
        ("a masked phone number", _MASKED_PHONE),
    )

    def plus(self, *typed: str) -> Forbidden:
        """With what a scenario's users typed (a phone: in any format)."""
        phones = tuple(pattern for text in typed if (pattern := _phone_pattern(text)))
        return Forbidden(self.values | {text for text in typed if text.strip()}, self.patterns + phones)

    def found(self, text: str) -> list[str]:
        hits = [what for what, pattern in self.patterns if pattern.search(text)]
        lowered = text.casefold()
        for value in self.values:
            at = lowered.find(value.casefold())
            while at != -1:
                end = at + len(value)
                if not _joined(lowered, at - 1, value[0]) and not _joined(lowered, end, value[-1]):
                    hits.append(repr(value))
                    break
                at = lowered.find(value.casefold(), at + 1)
        return hits


def _joined(text: str, at: int, edge: str) -> bool:
    """The value runs on into a longer word or number at `at` (so `Иванов` is not found in `Иванова`)."""
    return 0 <= at < len(text) and edge.isalnum() and text[at].isalnum()


def forbidden(data: Path = Path(SAMPLE_DATA)) -> Forbidden:
    """The sample registry's people and the sample bills' services and amounts."""
    values: set[str] = set()
    phones: list[tuple[str, re.Pattern[str]] | None] = []
    with (data / "registry.csv").open(encoding="utf-8-sig") as file:
        for row in csv.DictReader(file, delimiter=";"):
            last, first, patronymic = row["last_name"], row["first_name"], row["patronymic"]
            values |= {name for name in (last, first, patronymic) if name}
            values |= {f"{last} {first}", f"{first} {last}"}
            values |= _policy_forms(row["policy_number"]) | {row["personnel_number"]}
            values |= {row["email"]} | _date_forms(row["birth_date"])
            phones.append(_phone_pattern(row["phone"]))
    with (data / "bills.csv").open(encoding="utf-8-sig") as file:
        for row in csv.DictReader(file, delimiter=";"):
            values |= {row["service_name"], row["service_code"]} | _amount_forms(row["unit_price"])
    patterns = Forbidden(frozenset()).patterns + tuple(phone for phone in phones if phone)
    return Forbidden(frozenset(value for value in values if value), patterns)


def _policy_forms(number: str) -> set[str]:
    """As written, and with its separators typed otherwise (`123-14`, `123 14`)."""
    return {number, number.replace("/", "-"), number.replace("/", " ")}


def _phone_pattern(text: str) -> tuple[str, re.Pattern[str]] | None:
    """A phone's ten national digits, whatever the prefix (+7, 8, 7 or none) and the signs between them
    (`+79161000001`, `8 (916) 100-00-01`, `916 100 00 01`); None for what is not a phone."""
    digits = re.sub(r"\D", "", text)
    if not re.fullmatch(r"[\d\s()+-]{10,}", text.strip()) or not 10 <= len(digits) <= 11:
        return None
    between = r"[\s()\-\u00a0]*"
    national = between.join(digits[-10:])
    return f"the phone {text!r}", re.compile(rf"(?<!\d)(?:\+?7|8)?{between}{national}(?!\d)")


def _date_forms(text: str) -> set[str]:
    try:
        born = date(*reversed([int(part) for part in text.split(".")]))
    except ValueError:
        return set()
    return {
        day(born, "ru"),
        day(born, "en"),
        born.isoformat(),
        f"{born.day}.{born.month}.{born.year}",
        born.strftime("%d/%m/%Y"),
        f"{born.day} {_MONTHS_RU[born.month - 1]} {born.year}",
        f"{born.day} {_MONTHS_EN[born.month - 1]} {born.year}",
        f"{_MONTHS_EN[born.month - 1]} {born.day}, {born.year}",
    }


def _amount_forms(price: str) -> set[str]:
    """With its currency (the pattern finds those too), and bare from 100 roubles up (`2500.00`, `2500,00`):
    smaller bare numbers are everywhere (`1.00`)."""
    kopecks = int(Decimal(price.replace(",", ".")) * 100)
    plain = f"{kopecks // 100}.{kopecks % 100:02d}"
    bare = {plain, plain.replace(".", ",")} if kopecks >= 10_000 else set()
    return {rub(kopecks, "ru"), rub(kopecks, "en"), *bare}


def sent(emulator: TelegramEmulator, chat: int | None = None) -> Iterator[tuple[str, str | None]]:
    """(where, text) of everything the bot sent (to `chat` only, if given): each call's every value, files'
    names and contents."""
    for number, (method, params) in enumerate(emulator.calls):
        if chat is None or params.get("chat_id") == str(chat):
            yield from _texts(f"#{number} {method}", params)


def _texts(where: str, value: object) -> Iterator[tuple[str, str | None]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(f"{where}.{key}", item)
    elif isinstance(value, list | tuple) and len(value) == 2 and isinstance(value[1], bytes):  # a file
        yield f"{where} (file name)", str(value[0])
        yield from _file(where, value[1])
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _texts(f"{where}[{index}]", item)
    elif value is not None:
        yield where, str(value)


def _file(where: str, content: bytes) -> Iterator[tuple[str, str | None]]:
    """A text file as text, an XLSX (a zip) by its members; None for any other (a PDF: its text is drawn in
    glyphs), which `leaks` reports itself: a document nobody can check must not reach the chat."""
    if zipfile.is_zipfile(io.BytesIO(content)):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                yield from _file(f"{where}/{name}", archive.read(name))
        return
    try:
        yield f"{where} (file)", content.decode("utf-8-sig")
    except UnicodeDecodeError:
        yield f"{where} (file)", None


def leaks(emulator: TelegramEmulator, forbidden: Forbidden, *, chat: int | None = None) -> list[str]:
    """Each piece of personal data found, with where; `chat`: in what was sent to that chat only."""
    found = []
    for where, text in sent(emulator, chat):
        if text is None:
            found.append(f"{where}: a document that cannot be read as text")
        else:
            found += [f"{where}: {hit} in {text[:200]!r}" for hit in forbidden.found(text)]
    return found


__all__ = ["Forbidden", "forbidden", "leaks", "sent"]
