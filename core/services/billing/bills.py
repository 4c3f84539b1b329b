"""The bills file: its columns and limits, each row read and checked, the lines classified against
the stored ones, the rules applied, the new lines stored and each insured person's co-pay summed, `CHUNK`
rows at a time (what stays in memory: the co-pay sums, the people and clinics looked up, and the ids of
new lines not stored, or not yet, in case they come again); and the report of an import."""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Awaitable, Callable, Iterator
from datetime import date
from functools import partial
from typing import Any, TypeVar

from core.billing.due import DueDayKind
from core.billing.facts import OverdueRule, ProgramTerms
from core.billing.lines import (
    AmountLimits,
    BillLine,
    LineOutcome,
    LineRejection,
    amount_rejection,
    classify_contents,
    content_keys,
    line_copay,
    line_cost,
    service_date_rejection,
)
from core.db import models
from core.db.bill_lines import BillLineWriter
from core.db.billing import BillingRepository
from core.errors import InputError
from core.money import from_kopecks, parse_money, to_kopecks
from core.normalize import parse_date
from core.normalize.policy import canonical_policy
from core.services.importing.reader import Table
from core.services.importing.report import REASONS, ImportReport
from core.services.importing.rows import Memo, RowCheck, limited, whole_number

T = TypeVar("T")
KIND = "bills"
COLUMNS = (
    "bill_line_id",
    "policy_number",
    "clinic_id",
    "service_date",
    "service_code",
    "service_name",
    "quantity",
    "unit_price",
)
REQUIRED = tuple(column for column in COLUMNS if column != "service_code")
MAX_QUANTITY = 100_000

_LINES = models.BillLine.__table__.c
LINE_ID_LENGTH = _LINES.id.type.length
LINE_ID = limited(LINE_ID_LENGTH)
CLINIC_ID = limited(models.Clinic.__table__.c.id.type.length)
SERVICE_CODE = limited(_LINES.service_code.type.length)
SERVICE_NAME = limited(_LINES.service_name.type.length)
QUANTITY = whole_number(1, MAX_QUANTITY)
CHUNK = 5000  # rows read, checked and stored at a time
SLICE = 200  # rows read and checked between two turns of the event loop (each hands the database its next statement)
MEMO_SIZE = 100_000  # distinct cell texts a memo keeps before it starts over (names may all differ)
# The usual prices, `1234`, `1234.5`, `1234,56`, read without a Decimal; anything else goes the long way
# (`parse_money`, its errors). Up to 12 digits of roubles either way (`core.money.MAX_RUBLE_DIGITS`).
_PRICE = re.compile(r"([0-9]{1,12})(?:[.,]([0-9]{1,2}))?")

# The English reasons of the bills' own issue codes, next to the importer's.
REASONS.update(
    {
        "bill.already_billed": "already billed: a correction comes as a new line",
        "bill.unknown_policy": "unknown policy {value}",
        "bill.unknown_clinic": "unknown clinic {value}",
        "bill.outside_policy": "service date {value} outside the policy's validity",
        "bill.after_issue_date": "service date {value} after the issue date {issued_on}",
        "bill.line_over_max": "cost {value} over the largest cost of a line {max} (BILL_LINE_MAX)",
        "bill.invoice_over_max": "co-pay {value} would make the invoice {total}, over the largest invoice {max} "
        "(INVOICE_MAX)",
    }
)
_REJECTION_COLUMN = {
    LineRejection.ALREADY_BILLED: "bill_line_id",
    LineRejection.UNKNOWN_POLICY: "policy_number",
    LineRejection.UNKNOWN_CLINIC: "clinic_id",
    LineRejection.OUTSIDE_POLICY: "service_date",
    LineRejection.AFTER_ISSUE_DATE: "service_date",
    LineRejection.LINE_OVER_MAX: "unit_price",
    LineRejection.INVOICE_OVER_MAX: "unit_price",
}

# A person as `BillingRepository.insured` gives them, a plain tuple: the positions of its columns.
PERSON = BillingRepository.INSURED_COLUMNS
_ID, _PROGRAM, _VALID_FROM, _VALID_TO, _REMOVED_ON = (
    PERSON.index(column) for column in ("id", "program_code", "valid_from", "valid_to", "removed_on")
)


class _Held:
    """Where `Bills.parse` puts the issues of a row it rejects (a `RowCheck`'s report): they go to the
    real report with the row's turn, so that the sink gets every issue in line order."""

    def __init__(self) -> None:
        self.issues: list[tuple] = []

    def add(self, line: int, column: str, code: str, params: dict[str, Any], warning: bool = False) -> None:
        self.issues.append((line, column, code, params, warning))

    def take(self) -> list[tuple]:
        issues, self.issues = self.issues, []
        return issues


class Bills:
    """One bills import, `chunk` rows at a time (`run`): the cells checked, the lines classified against
    the stored ones, the rules applied, the new lines stored and each person's co-pay summed.

    Between the steps a line is a plain tuple (line number, then the `BillLine` fields in order, then its
    content key): a million of them pass through, and tuples of plain values cost the garbage collector
    nothing once it has seen them once."""

    def __init__(
        self,
        table: Table,
        report: ImportReport,
        issued_on: date,
        limits: AmountLimits = AmountLimits(),
        chunk: int = CHUNK,
    ) -> None:
        self.report = report
        self.chunk = chunk
        self.issued_on = issued_on
        self.limits = limits
        self.pick = table.picker(COLUMNS)
        self.held = _Held()
        self.parse_check = RowCheck(self.held)
        self.check = RowCheck(report)
        self.policy = Memo(canonical_policy)
        self.clinic = Memo(CLINIC_ID)
        self.date = Memo(parse_date)
        self.code = Memo(SERVICE_CODE)
        self.name = Memo(SERVICE_NAME)
        self.quantity = Memo(QUANTITY)
        self.code[""] = ""  # no code (`optional`)
        self.key = content_keys(MEMO_SIZE)
        self.people: dict[str, tuple | None] = {}  # policy key → `PERSON` of them; None: unknown
        self.facts: dict[str, tuple[int, date, date, date | None, int]] = {}  # what the rules need of them
        self.clinics: dict[str, bool] = {}  # clinic id → known
        self.terms: dict[str, ProgramTerms] = {}
        self.unstored: dict[str, str] = {}  # new line id → content key, for the lines not stored (rejected)
        self.copays: dict[str, int] = {}  # policy key → the co-pay sum of their new lines, when above zero

    async def run(self, repo: BillingRepository, writer: BillLineWriter, rows: Iterator[tuple[int, list[str]]]) -> None:
        """Every row of `rows`, `chunk` at a time. On the database's side, while the next chunk is read and
        checked: a chunk's lookups (the stored lines of its ids, its people and clinics), then the staging
        of the chunk before it, so that the lookups never wait behind a staging. The lines of that chunk
        are not in the database yet when the lookups run: they stay in `unstored` one chunk longer, where
        the classification finds them first."""
        lines = await self._read(rows)
        lookups: asyncio.Future[dict[str, str]] = asyncio.ensure_future(self._look_up(repo, writer, lines))
        staging: asyncio.Future[None] | None = None
        staged: list[tuple] = []  # the rows of the chunk before, in `unstored` until the next lookups
        try:
            while lines:
                following = await self._read(rows)
                new_rows = self._store(writer.day, lines, await lookups)
                for row in staged:  # the next lookups see them: they run once their staging is done
                    del self.unstored[row[0]]
                staged = new_rows
                lookups = asyncio.ensure_future(_after(staging, partial(self._look_up, repo, writer, following)))
                staging = asyncio.ensure_future(_after(lookups, partial(writer.stage, new_rows)))
                lines = following
            if staging is not None:
                await staging
        except BaseException:  # an unreadable file, a refused statement, a cancelled import
            await _settled(lookups, staging)  # the connection free again first
            raise

    async def _read(self, rows: Iterator[tuple[int, list[str]]]) -> list[tuple]:
        """The next `chunk` rows parsed, `SLICE` at a time, the event loop turning between slices (the chunk's
        lookups go on meanwhile; the bot answers)."""
        lines: list[tuple] = []
        while len(lines) < self.chunk:
            part = self.parse(itertools.islice(rows, min(SLICE, self.chunk - len(lines))))
            if not part:
                break
            lines += part
            await asyncio.sleep(0)
        return lines

    def _store(self, day: Callable[[date], Any], lines: list[tuple], stored: dict[str, str]) -> list[tuple]:
        """One chunk's lines (as `parse` gives them) classified against `stored` (id → content key), the rules
        applied and the co-pays summed; the issues reported in line order. Returns the new lines, as
        `BillLineWriter.stage` takes them (`day`: its conversion of a date)."""
        parsed = [line for line in lines if line[1] is not None]
        outcomes = classify_contents(stored, [(line[1], line[9]) for line in parsed], self.unstored)

        report, check, issued_on, limits = self.report, self.check, self.issued_on, self.limits
        people, clinics, copays = self.facts, self.clinics, self.copays
        NEW, UNCHANGED = LineOutcome.NEW, LineOutcome.UNCHANGED
        stored_rows = []
        outcomes = iter(outcomes)
        imported = unchanged = 0
        for number, line_id, policy_key, clinic_id, service_date, code, name, quantity, price, key in lines:
            if line_id is None:  # the cells' issues (held in `key`), in their turn
                for issue in key:
                    report.add(*issue)
                report.rejected += 1
                continue
            outcome = next(outcomes)
            if outcome is NEW:
                person = people.get(policy_key)
                if person is None:
                    reason = LineRejection.UNKNOWN_POLICY
                elif not clinics[clinic_id]:
                    reason = LineRejection.UNKNOWN_CLINIC
                else:
                    person_id, valid_from, valid_to, removed_on, franchise_bp = person
                    reason = service_date_rejection(
                        service_date,
                        valid_from=valid_from,
                        valid_to=valid_to,
                        issued_on=issued_on,
                        removed_on=removed_on,
                    )
                    if reason is None:
                        cost = line_cost(quantity, price)
                        copay = line_copay(cost, franchise_bp)
                        invoiced = copays.get(policy_key, 0)
                        reason = amount_rejection(cost, copay, invoiced, limits)
                        if reason is not None:  # a new line not stored: it stays in `unstored`
                            check.start(number)
                            _over_max(check, reason, cost, copay, invoiced, limits)
                            check.done()
                            continue
                        imported += 1
                        if copay:
                            copays[policy_key] = invoiced + copay
                        stored_rows.append(
                            (
                                line_id,
                                person_id,
                                clinic_id,
                                day(service_date),
                                code,
                                name,
                                quantity,
                                price,
                                cost,
                                copay,
                                key,
                            )
                        )
                        continue
            elif outcome is UNCHANGED:
                unchanged += 1
                continue
            else:
                reason = LineRejection.ALREADY_BILLED
            check.start(number)
            _reject(
                check,
                BillLine(line_id, policy_key, clinic_id, service_date, code, name, quantity, price),
                reason,
                issued_on,
            )
            check.done()
        report.imported += imported
        report.unchanged += unchanged
        return stored_rows

    def parse(self, rows: Iterator[tuple[int, list[str]]]) -> list[tuple]:
        """Each row as (line number, the `BillLine` fields, the content key), or (line number, None…, its
        issues) when a cell is bad. A cell text met before is looked up in its memo; a row with any other
        goes through `converted`."""
        pick, price_match, key = self.pick, _PRICE.fullmatch, self.key
        policies, clinics, dates, codes, names, quantities = (
            self.policy,
            self.clinic,
            self.date,
            self.code,
            self.name,
            self.quantity,
        )
        lines = []
        for number, cells in rows:
            line_id, policy, clinic, service_date, code, name, quantity, price = picked = pick(cells)
            line_id = line_id.strip()
            if match := price_match(price):  # `price_kopecks`, inline
                rubles, fraction = match.groups()
                price = int(rubles) * 100 + (int(fraction) * (10 if len(fraction) == 1 else 1) if fraction else 0)
            else:
                price = None
            policy, clinic, service_date = policies.get(policy), clinics.get(clinic), dates.get(service_date)
            code, name, quantity = codes.get(code), names.get(name), quantities.get(quantity)
            if (
                policy is None
                or clinic is None
                or service_date is None
                or code is None
                or name is None
                or quantity is None
                or price is None
                or not line_id
                or len(line_id) > LINE_ID_LENGTH
            ):
                line_id, content = self.converted(number, picked)
                if line_id is None:  # `content`: the row's issues
                    lines.append((number, None, None, None, None, None, None, None, None, content))
                    continue
            else:
                content = (policy, clinic, service_date, code, name, quantity, price)
            lines.append((number, line_id, *content, key(content)))
        for memo in (policies, names, codes):
            if len(memo) > MEMO_SIZE:
                memo.clear()
        codes[""] = ""
        return lines

    def converted(self, number: int, cells: tuple[str, ...]) -> tuple[str | None, tuple]:
        """What `checked` gives: the cells converted by the memos (each remembering a text met for the first
        time: a new policy, a new day), and checked one by one only when one of them is bad."""
        line_id, policy, clinic, service_date, code, name, quantity, price = cells
        try:
            content = (
                self.policy(policy),
                self.clinic(clinic),
                self.date(service_date),
                "" if not code or code.isspace() else self.code(code),
                self.name(name),
                self.quantity(quantity),
                price_kopecks(price),
            )
            return LINE_ID(line_id), content
        except InputError:
            return self.checked(number, cells)

    def checked(self, number: int, cells: tuple[str, ...]) -> tuple[str | None, tuple]:
        """A row's cells checked one by one, in order, each bad one reported: (line id, content), or
        (None, the issues) for a bad row."""
        check = self.parse_check
        line_id, policy, clinic, service_date, code, name, quantity, price = cells
        check.start(number)
        line_id = check.value("bill_line_id", LINE_ID, line_id)
        content = (
            check.value("policy_number", self.policy, policy),
            check.value("clinic_id", self.clinic, clinic),
            check.value("service_date", self.date, service_date),
            check.optional("service_code", self.code, code) or "",
            check.value("service_name", self.name, name),
            check.value("quantity", self.quantity, quantity),
            check.value("unit_price", price_kopecks, price),
        )
        if check.failed:
            return None, self.held.take()
        return line_id, content

    async def _look_up(self, repo: BillingRepository, writer: BillLineWriter, lines: list[tuple]) -> dict[str, str]:
        """The content keys of the lines stored (or staged) under these lines' ids, by id; and the people and
        clinics of these lines not met yet, with their programs' terms (whatever the lines' outcomes: most
        are new)."""
        lines = [line for line in lines if line[1] is not None]
        stored = await writer.stored_contents([line[1] for line in lines])
        people = self.people
        keys = {line[2] for line in lines if line[2] not in people}
        if keys:
            found = {person[0]: person for person in await repo.insured(keys)}
            codes = {person[_PROGRAM] for person in found.values()} - self.terms.keys()
            if codes:
                self.terms.update((code, _terms(program)) for code, program in (await repo.programs(codes)).items())
            for key in keys:
                person = self.people[key] = found.get(key)
                if person is not None:
                    self.facts[key] = (
                        person[_ID],
                        person[_VALID_FROM],
                        person[_VALID_TO],
                        person[_REMOVED_ON],
                        self.terms[person[_PROGRAM]].franchise_bp,
                    )
        clinics = {line[3] for line in lines if line[3] not in self.clinics}
        if clinics:
            known = await repo.known_clinics(clinics)
            self.clinics.update((clinic, clinic in known) for clinic in clinics)
        return stored


async def _after(before: asyncio.Future | None, work: Callable[[], Awaitable[T]]) -> T:
    """`work` once `before` is done (raising what `before` raised instead): the import's statements take
    their turns on its one connection."""
    if before is not None:
        await before
    return await work()


async def _settled(*futures: asyncio.Future | None) -> None:
    """Returns once these are done, whatever their outcome (the caller raises what stopped it)."""
    pending = [future for future in futures if future is not None]
    if pending:
        await asyncio.wait(pending)
    for future in pending:
        if not future.cancelled():
            future.exception()  # retrieved: the caller's own error is the one to tell


def price_kopecks(text: str) -> int:
    """A price in kopecks: `to_kopecks(parse_money(text))`, with its errors; the usual forms without a
    Decimal."""
    match = _PRICE.fullmatch(text)
    if match is None:
        return to_kopecks(parse_money(text))
    rubles, fraction = match.groups()
    return int(rubles) * 100 + (int(fraction) * (10 if len(fraction) == 1 else 1) if fraction else 0)


def _reject(check: RowCheck, line: BillLine, reason: LineRejection, issued_on: date) -> None:
    column = _REJECTION_COLUMN[reason]
    value = {
        "bill_line_id": line.line_id,
        "policy_number": line.policy_key,
        "clinic_id": line.clinic_id,
        "service_date": line.service_date.strftime("%d.%m.%Y"),
    }[column]
    check.fail(column, f"bill.{reason}", value=value, issued_on=issued_on.strftime("%d.%m.%Y"))


def _over_max(
    check: RowCheck, reason: LineRejection, cost: int, copay: int, invoiced: int, limits: AmountLimits
) -> None:
    if reason is LineRejection.LINE_OVER_MAX:
        amounts = {"value": cost, "max": limits.line_max}
    else:
        amounts = {"value": copay, "total": invoiced + copay, "max": limits.invoice_max}
    check.fail(
        _REJECTION_COLUMN[reason],
        f"bill.{reason}",
        **{name: str(from_kopecks(kopecks)) for name, kopecks in amounts.items()},
    )  # roubles, as typed


def _terms(program: models.Program) -> ProgramTerms:
    return ProgramTerms(
        program.code,
        program.franchise_bp,
        program.due_days,
        DueDayKind(program.due_day_kind),
        OverdueRule(program.overdue_rule),
        program.emergency_only,
    )
