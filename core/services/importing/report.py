"""What an import did: counts and one issue per bad cell, keyed by stable codes.

`ImportReport` counts while an import runs; `ImportResult` is what it did, as a frozen value. The codes
and params are what the chat upload renders through the locales; `ImportResult.lines()` is the English
rendering the command line prints.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# English reasons; `{value}` and the like come from the issue's params.
REASONS = {
    "required": "required value missing",
    "duplicate": "duplicate of line {line}",
    "program.unknown": "unknown program {value}",
    "program.invalid": "not a program code {value} (no spaces or |)",
    "holder.not_found": "holder policy not found",
    "holder.not_employee": "holder is not an employee",
    "holder.not_relative": "holder policy given for an employee",
    "choice.invalid": "{value} is not one of: {choices}",
    "period.reversed": "valid_to is before valid_from",
    "range": "{value} is out of range {min}–{max}",
    "integer.invalid": "not a whole number {value}",
    "number.invalid": "not a number {value}",
    "text.too_long": "longer than {max} characters",
    "url.invalid": "not a web address {value}",
    "clinic_id.invalid": "{value}: use 1-30 Latin letters, digits, '_', '.' or '-'",
    "coordinates.incomplete": "latitude and longitude go together",
    "amount.not_positive": "amount must be above zero",
    "date.format": "not a date {value} (DD.MM.YYYY or YYYY-MM-DD)",
    "date.impossible": "impossible date {value}",
    "date.future": "date in the future {value}",
    "date.too_old": "date before 1900 {value}",
    "policy.invalid": "not a policy number {value}",
    "policy.too_long": "policy number longer than {max} characters",
    "policy.collides": "collides with line {line}: the same number printed otherwise, for another person",
    "policy.collides_stored": "collides with {stored}, stored for another person",
    "personnel.invalid": "not a staff number {value}",
    "name.invalid": "not a name {value}",
    "name.too_long": "name longer than {max} characters",
    "phone.invalid": "not a phone number",
    "phone.foreign": "not a Russian number",
    "phone.not_mobile": "not a mobile number",
    "email.invalid": "malformed e-mail",
    "money.invalid": "not a number {value}",
    "money.too_many_decimals": "more than 2 decimals {value}",
    "money.negative": "negative {value}",
    "money.too_large": "too large {value}",
}


class _Params(dict):
    def __missing__(self, name: str) -> str:
        return "?"


@dataclass(slots=True)
class RowIssue:
    line: int
    column: str
    code: str
    params: dict[str, Any]
    warning: bool = False  # the value was dropped, the row kept

    def reason(self) -> str:
        template = REASONS.get(self.code)
        if template is None:
            return f"invalid value ({self.code})"
        return template.format_map(_Params(self.params))

    def render(self) -> str:
        if self.warning:
            return f"line {self.line}: {self.column}: warning: {self.reason()} (dropped)"
        return f"line {self.line}: {self.column}: {self.reason()}"


SHOWN = 1000  # issue lines a report keeps (the first by line) and the command line prints


Sink = Callable[[RowIssue], None]  # given every issue as it is found


class ImportReport:
    """Counts, and the first SHOWN issues by line: memory stays flat whatever the number of bad
    rows. Every issue also goes to `sink` as it is found (`--report FILE` writes them all)."""

    def __init__(self, kind: str, sink: Sink | None = None, shown: int = SHOWN) -> None:
        self.kind = kind
        self.sink = sink
        self.shown = shown
        self.imported = 0
        self.updated = 0
        self.unchanged = 0
        self.rejected = 0
        self.removed = 0  # --full: people of the file's contracts absent from it, marked removed
        self.issue_count = 0
        self.warnings = 0
        self._kept: list[tuple[int, int, RowIssue]] = []  # a max-heap of (-line, -order, issue)

    def add(self, line: int, column: str, code: str, params: dict[str, Any], warning: bool = False) -> None:
        self.issue_count += 1
        if warning:
            self.warnings += 1
        kept = self._kept
        full = len(kept) >= self.shown
        # Rows come in order, so once SHOWN are kept a later line is dropped at once.
        if full and line >= -kept[0][0] and self.sink is None:
            return
        issue = RowIssue(line, column, code, params, warning)
        if self.sink is not None:
            self.sink(issue)
        if not full:
            heapq.heappush(kept, (-line, -self.issue_count, issue))
        elif line < -kept[0][0]:  # rows checked late (relatives waiting for their holder)
            heapq.heapreplace(kept, (-line, -self.issue_count, issue))

    @property
    def issues(self) -> list[RowIssue]:
        """The kept issues, by line (and in the order found within a line)."""
        return [issue for _, _, issue in sorted(self._kept, reverse=True)]

    @property
    def more(self) -> int:
        """Issues found beyond the kept ones."""
        return self.issue_count - len(self._kept)

    def result(self, *, invoices: tuple[str, ...] = (), report_file: Path | None = None) -> ImportResult:
        return ImportResult(
            kind=self.kind,
            imported=self.imported,
            updated=self.updated,
            unchanged=self.unchanged,
            rejected=self.rejected,
            removed=self.removed,
            warnings=self.warnings,
            issues=tuple(self.issues),
            more=self.more,
            invoices=invoices,
            report_file=report_file,
        )


@dataclass(frozen=True)
class ImportResult:
    """What an import did, as the command line prints it and the chat shows it."""

    kind: str
    imported: int
    updated: int
    unchanged: int
    rejected: int
    removed: int  # --full: people of the file's contracts absent from it, marked removed
    warnings: int  # values dropped, their rows kept
    issues: tuple[RowIssue, ...]  # the first SHOWN, by line
    more: int  # issues found beyond those
    invoices: tuple[str, ...] = ()  # bills: the numbers issued, in numbering order
    report_file: Path | None = None  # every issue as CSV, when one was asked for

    @property
    def invoices_issued(self) -> int:
        return len(self.invoices)

    def lines(self) -> list[str]:
        lines = [issue.render() for issue in self.issues]
        if self.more:
            lines.append(f"… and {self.more} more")
        return lines

    def summary(self) -> str:
        counts = self.imported, self.updated, self.unchanged, self.rejected
        summary = "imported {}, updated {}, unchanged {}, rejected {}".format(*counts)
        return f"{summary}, invoices issued {self.invoices_issued}" if self.kind == "bills" else summary

    @property
    def exit_code(self) -> int:
        return 1 if self.rejected else 0
