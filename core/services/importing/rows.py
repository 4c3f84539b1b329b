"""Checking the cells of a row: what every kind shares.

Converters are plain functions of the cell text that raise `InputError` (the normalisers and
a few below); `RowCheck` runs them for the row at hand and turns their errors into issues of
that line: a rejection, or for a droppable optional value a warning.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Collection, Hashable
from typing import Any, TypeVar

from core.db.models import Program
from core.errors import InputError
from core.money import parse_money
from core.normalize.dates import parse_date
from core.services.importing.report import ImportReport

T = TypeVar("T")


class RowCheck:
    """The checks of one row at a time; `failed` tells whether it must be rejected."""

    __slots__ = ("failed", "line", "report")

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.line = 0
        self.failed = False

    def start(self, line: int) -> None:
        self.line = line
        self.failed = False

    def done(self) -> bool:
        """Whether the row passed; a failed one counts as rejected."""
        if self.failed:
            self.report.rejected += 1
        return not self.failed

    def fail(self, column: str, code: str, **params: Any) -> None:
        self.failed = True
        self.report.add(self.line, column, code, params)

    def warn(self, column: str, code: str, **params: Any) -> None:
        self.report.add(self.line, column, code, params, warning=True)

    def value(self, column: str, convert: Callable[[str], T], text: str) -> T | None:
        """`convert(text)`, or None with the row rejected (a blank cell: `required`)."""
        try:
            return convert(text)
        except InputError as exc:
            code = "required" if exc.code.endswith(".empty") else exc.code
            self.fail(column, code, **_params(exc, text))
            return None

    def optional(self, column: str, convert: Callable[[str], T], text: str) -> T | None:
        """Like `value`, but a blank cell is None."""
        if not text or text.isspace():
            return None
        return self.value(column, convert, text)

    def droppable(self, column: str, convert: Callable[[str], T], text: str) -> T | None:
        """An optional value the row can live without: a bad one is dropped with a warning."""
        if not text or text.isspace():
            return None
        try:
            return convert(text)
        except InputError as exc:
            self.warn(column, exc.code, **_params(exc, text))
            return None

    def choice(self, column: str, choice: Choice, text: str) -> Any:
        value = choice.values.get(text.strip().casefold(), _MISSING)
        if value is _MISSING:
            self.fail(column, "choice.invalid", value=text.strip(), choices=choice.shown)
            return None
        return value

    def unique(self, column: str, key: Hashable, seen: dict[Hashable, int]) -> None:
        """Rejects a key met on an earlier line of the file (the first occurrence wins)."""
        first = seen.setdefault(key, self.line)
        if first != self.line:
            self.fail(column, "duplicate", line=first)


def _params(exc: InputError, text: str) -> dict[str, Any]:
    return {"value": text.strip(), **exc.details}


_MISSING = object()  # a spelling no Choice knows


class Choice:
    """Accepted spellings (casefolded) → value; a blank cell is `default`."""

    def __init__(self, values: dict[str, Any], default: Any, shown: str) -> None:
        self.values = {"": default, **values}
        self.shown = shown


YES_NO = Choice(
    {"yes": True, "no": False, "да": True, "нет": False, "true": True, "false": False, "1": True, "0": False},
    default=False,
    shown="yes, no",
)


class Memo(dict):
    """`convert` remembering its answers: names, dates and codes repeat across a big file.

    Call it like `convert`; `memo.get(text)` is the fast path a hot loop tries first (a hit
    costs one dict lookup, no Python call). Errors are not remembered: they are rare.
    """

    def __init__(self, convert: Callable[[str], T]) -> None:
        super().__init__()
        self.convert = convert

    def __call__(self, text: str) -> T:
        value = self.get(text)
        if value is None:
            value = self[text] = self.convert(text)
        return value


class Failures(dict):
    """`convert` remembering only its errors: for unique values whose bad forms repeat (an
    office landline given for a whole department) and are slow to refuse. At most `size` of them:
    then it starts over (a big file's bad values may all differ)."""

    def __init__(self, convert: Callable[[str], T], size: int = 10_000) -> None:
        super().__init__()
        self.convert = convert
        self.size = size

    def __call__(self, text: str) -> T:
        error = self.get(text)
        if error is None:
            try:
                return self.convert(text)
            except InputError as exc:
                if len(self) >= self.size:
                    self.clear()
                error = self[text] = exc.with_traceback(None)
        # A copy each time: a raised error takes a traceback, whose frames would keep whole rows alive.
        raise copy.copy(error)


def limited(limit: int) -> Callable[[str], str]:
    """Stripped text of at most `limit` characters (the column's size)."""

    def convert(text: str) -> str:
        text = text.strip()
        if not text:
            raise InputError("text", "text.empty")
        if len(text) > limit:
            raise InputError("text", "text.too_long", max=limit)
        return text

    return convert


PROGRAM_CODE_LENGTH = Program.__table__.c.code.type.length
_PROGRAM_CODE = re.compile(r"[^\s|]+")  # clinics list codes separated by spaces or |


def program_key(text: str) -> str:
    """A program code as stored: stripped, upper-case."""
    code = text.strip().upper()
    if not code:
        raise InputError("program_code", "program.empty")
    if len(code) > PROGRAM_CODE_LENGTH:
        raise InputError("program_code", "text.too_long", max=PROGRAM_CODE_LENGTH)
    if not _PROGRAM_CODE.fullmatch(code):
        raise InputError("program_code", "program.invalid")
    return code


def program_code(known: Collection[str]) -> Callable[[str], str]:
    """A reference to a program: `program_key` of one in `known`."""

    def convert(text: str) -> str:
        code = program_key(text)
        if code not in known:
            raise InputError("program_code", "program.unknown")
        return code

    return Memo(convert)


def iso_date(text: str) -> str:
    """Dates are checked and stored as ISO text (they compare correctly as text)."""
    return parse_date(text).isoformat()


def holder_issue(category: str | None) -> str | None:
    """Why a policy holder of that category (None: no such policy) cannot be one, if it cannot."""
    if category is None:
        return "holder.not_found"
    return None if category == "employee" else "holder.not_employee"


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An integer within [low, high]."""

    def convert(text: str) -> int:
        text = text.strip()
        if not text:
            raise InputError("number", "integer.empty")
        try:
            number = int(text)
        except ValueError:
            raise InputError("number", "integer.invalid") from None
        if not low <= number <= high:
            raise InputError("number", "range", min=low, max=high)
        return number

    return convert


_DEGREES = re.compile(r"-?[0-9]{1,3}(?:[.,][0-9]+)?")


def degrees(limit: int) -> Callable[[str], float]:
    """Decimal degrees (`.` or `,`) within ±limit."""

    def convert(text: str) -> float:
        text = text.strip()
        if not _DEGREES.fullmatch(text):
            raise InputError("coordinate", "number.invalid")
        value = float(text.replace(",", "."))
        if abs(value) > limit:
            raise InputError("coordinate", "range", min=-limit, max=limit)
        return value

    return convert


def percent_bp(text: str) -> int:
    """`20`, `12,5`, `12.5 %` → hundredths of a percent (2000, 1250), within 0–100 %."""
    percent = parse_money(text.strip().removesuffix("%"), "percent")
    if percent > 100:
        raise InputError("percent", "range", min=0, max=100)
    return int(percent * 100)
