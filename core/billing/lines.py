"""Bill lines from clinics: cost, co-pay, and whether a line may be billed.

A line belongs to one insured person. Cost = quantity × unit price; co-pay = cost × the program's
franchise percent, rounded half-up to the kopeck on every line (3 × 4333.33 at 20 % = 2600.00, not
3 × 866.67). A line with a zero co-pay is kept for the services history and never invoiced. A line is
imported once: the same id with the same content is unchanged; with other content it is refused
("already billed": a correction comes as a new line), so an issued invoice never changes. A stored line
keeps its content as a key (`content_keys`): that is what a later import compares (`classify_contents`).

Amounts are bounded (`AmountLimits`: BILL_LINE_MAX, INVOICE_MAX), so that a clinic's slip (100,000 ×
99,999,999.99 ₽) is refused at import instead of invoiced: a line costing more than the line limit is
refused; so is a line whose co-pay would take its person's invoice of this import over the invoice limit,
the lines judged in file order, each against the co-pay of the lines taken before it (`amount_rejection`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class LineRejection(StrEnum):
    ALREADY_BILLED = "already_billed"  # the id was imported before with other content
    UNKNOWN_POLICY = "unknown_policy"
    UNKNOWN_CLINIC = "unknown_clinic"
    OUTSIDE_POLICY = "outside_policy"  # the service date is outside the person's policy validity
    AFTER_ISSUE_DATE = "after_issue_date"  # the service date is after the day the invoices are issued
    LINE_OVER_MAX = "line_over_max"  # its cost is over the line limit
    INVOICE_OVER_MAX = "invoice_over_max"  # its co-pay would take the person's invoice over the invoice limit


class LineOutcome(StrEnum):
    NEW = "new"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


@dataclass(frozen=True)
class BillLine:
    """One service rendered, as a clinic bills it. `policy_key` is the canonical policy number."""

    line_id: str
    policy_key: str
    clinic_id: str
    service_date: date
    service_code: str
    service_name: str  # health data: never logged
    quantity: int
    unit_price: int  # kopecks, full cost of one unit

    def __post_init__(self) -> None:
        if self.quantity < 1:
            raise ValueError("quantity must be a positive integer")
        if self.unit_price < 0:
            raise ValueError("unit price must not be negative")

    @property
    def cost(self) -> int:
        return line_cost(self.quantity, self.unit_price)

    def content(self) -> tuple:
        """Everything but the id: what "the same line" compares."""
        return (
            self.policy_key,
            self.clinic_id,
            self.service_date,
            self.service_code,
            self.service_name,
            self.quantity,
            self.unit_price,
        )

    def __repr__(self) -> str:  # service names are health data: keep them out of logs and tracebacks
        return f"BillLine({self.line_id!r}, service_date={self.service_date}, quantity={self.quantity})"


@dataclass(frozen=True)
class AmountLimits:
    """The largest cost of one bill line and the largest co-pay of one invoice, in kopecks."""

    line_max: int = 100_000_000  # 1,000,000 ₽
    invoice_max: int = 300_000_000  # 3,000,000 ₽

    def __post_init__(self) -> None:
        if self.line_max <= 0 or self.invoice_max <= 0:
            raise ValueError("amount limits must be above zero")


def amount_rejection(cost: int, copay: int, invoiced: int, limits: AmountLimits) -> LineRejection | None:
    """Why a line costing `cost` with `copay` may not be billed, or None. `invoiced`: the co-pay of its
    person's lines taken before it in this import (they make one invoice)."""
    if cost > limits.line_max:
        return LineRejection.LINE_OVER_MAX
    if invoiced + copay > limits.invoice_max:
        return LineRejection.INVOICE_OVER_MAX
    return None


def line_cost(quantity: int, unit_price: int) -> int:
    """Kopecks: quantity × unit price."""
    return quantity * unit_price


def line_copay(cost: int, franchise_bp: int) -> int:
    """The insured person's part of one line, in kopecks: cost × percent, rounded half-up on this line.
    `franchise_bp` is hundredths of a percent (20 % = 2000)."""
    if not 0 <= franchise_bp <= 10_000:
        raise ValueError("franchise percent must be within 0–100 %")
    if cost < 0:
        raise ValueError("cost must not be negative")
    # floor(cost × bp / 10000 + 1/2) in integers, without a Fraction per line for a million lines (a property
    # test holds it to the percentage in exact fractions).
    return (2 * cost * franchise_bp + 10_000) // 20_000


def service_date_rejection(
    day: date, *, valid_from: date, valid_to: date, issued_on: date, removed_on: date | None = None
) -> LineRejection | None:
    """Why a line of a known person served on `day` may not be billed on `issued_on`, or None. The policy
    is valid from `valid_from` to `valid_to` inclusive, and not from the day it was removed (a `--full`
    import)."""
    if day < valid_from or day > valid_to or (removed_on is not None and day >= removed_on):
        return LineRejection.OUTSIDE_POLICY
    if day > issued_on:
        return LineRejection.AFTER_ISSUE_DATE
    return None


def content_keys(size: int = 100_000) -> Callable[[tuple], str]:
    """The key of a line's content (`BillLine.content()`: the fields but the id, in order) stored with the
    line, what a later import compares instead of the whole content: the MD5 of the content's `repr`, 32
    hex digits. For the lines of a big file, the UTF-8 repr of the values that repeat from line to line
    (policy, clinic, day, service) is remembered, `size` of them at most, instead of computed each time
    (`repr` of a tuple is its items' reprs, joined by ", ", within parentheses; an int's is `%d`)."""
    reprs: dict[object, bytes] = {}

    def remember(value: object) -> bytes:
        if len(reprs) >= size:
            reprs.clear()
        text = reprs[value] = repr(value).encode()
        return text

    known = reprs.get
    md5 = hashlib.md5

    def key(content: tuple) -> str:
        policy, clinic, day, code, name, quantity, price = content
        text = b"(%s, %s, %s, %s, %s, %d, %d)" % (
            known(policy) or remember(policy),
            known(clinic) or remember(clinic),
            known(day) or remember(day),
            known(code) or remember(code),
            known(name) or remember(name),
            quantity,
            price,
        )
        return md5(text, usedforsecurity=False).hexdigest()

    return key


def _outcome(earlier: Hashable | None, content: Hashable) -> LineOutcome:
    if earlier is None:
        return LineOutcome.NEW
    return LineOutcome.UNCHANGED if earlier == content else LineOutcome.REJECTED


def classify_contents(
    stored: Mapping[str, Hashable],
    incoming: Iterable[tuple[str, Hashable]],
    seen: MutableMapping[str, Hashable] | None = None,
) -> list[LineOutcome]:
    """The outcome of each incoming `(line id, content)` pair, in order: NEW for an id never seen,
    UNCHANGED for the same id with the same content, REJECTED (already billed) for other content; a line
    repeated within `incoming` is compared with its first occurrence. The content is `BillLine.content()`
    or, the same for every line compared, its key (`content_keys`). `seen`: the first occurrences met so far (id → content),
    added to as new ids come; pass the same mapping to classify a big file part by part, as one. The
    caller may drop from it the lines it has stored meanwhile: `stored` has them from then on."""
    seen = {} if seen is None else seen
    result = []
    for line_id, content in incoming:
        earlier = seen.get(line_id)
        if earlier is None:
            earlier = stored.get(line_id)
            if earlier is None:
                seen[line_id] = content
        result.append(_outcome(earlier, content))
    return result
