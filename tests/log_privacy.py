"""Every test runs with the project's own loggers (`bot`, `core`) captured at DEBUG; a line that carries
personal data fails the test that wrote it. Logs name things by ids and reason codes only: no Cyrillic
letter (names, addresses, service names and Russian texts are all written in it), no e-mail address, no
unmasked phone number, no policy number or birth date of the sample registry, and no one-time code the
test's emulated SMS gateway or mail server delivered."""

from __future__ import annotations

import csv
import logging
import re
from pathlib import Path

from core.otp import CODE_DIGITS
from emulators import SAMPLE_DATA

_PATTERNS = {
    "Cyrillic text": re.compile(r"[А-Яа-яЁё]"),
    "an e-mail address": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "a phone number": re.compile(r"(?<![\d*])(?:\+7|8)[\s(-]*9\d\d[\s)-]*\d{3}[\s-]*\d\d[\s-]*\d\d(?!\d)"),
}
LOGGERS = ("bot", "core")


def _sample_values() -> frozenset[str]:
    """Policy numbers and birth dates of the sample registries, as printed and as ISO dates."""
    values: set[str] = set()
    for name in ("registry.csv", "registry-with-errors.csv"):
        with (Path(SAMPLE_DATA) / name).open(encoding="utf-8-sig") as file:
            for row in csv.DictReader(file, delimiter=";"):
                number, born = (row.get("policy_number") or "").strip(), (row.get("birth_date") or "").strip()
                if len(number) >= 5:
                    values.add(number)
                if re.fullmatch(r"\d\d\.\d\d\.\d{4}", born):
                    day, month, year = born.split(".")
                    values |= {born, f"{year}-{month}-{day}"}
    return frozenset(values)


SAMPLE_VALUES = _sample_values()


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        line = f"{record.name}: {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            line += f" | {type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
        self.lines.append(line)


_CODE = re.compile(rf"(?<!\d)\d{{{CODE_DIGITS}}}(?!\d)")


def delivered_codes(texts: list[str]) -> frozenset[str]:
    """The one-time codes in what the emulated gateways delivered (an SMS's text, a mail's body)."""
    return frozenset(code for text in texts for code in _CODE.findall(text))


def personal_data(line: str, codes: frozenset[str] = frozenset()) -> str | None:
    """What personal data the log line shows, or None."""
    for what, pattern in _PATTERNS.items():
        if pattern.search(line):
            return what
    if codes and any(code in codes for code in _CODE.findall(line)):
        return "a one-time code"
    return next((f"the sample value {value!r}" for value in SAMPLE_VALUES if value in line), None)
