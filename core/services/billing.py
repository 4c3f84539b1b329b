"""Billing use cases: the bills import that issues invoices, and the daily overdue job.

The rules are `core.billing`; this module reads, stores and writes notices. Each call is one unit of
work: the lines, the invoices, the deposit uses, the counter and the outbox notices of one import
commit together or not at all, and so do the daily job's status changes, restrictions and notices.

Bills are read with the importer's reader (`open_table`, the same limits and report), but stored
through the unit of work: issuing needs the counter's row lock and the outbox in that transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from core.billing.deposits import Deposit
from core.billing.due import DueDayKind
from core.billing.facts import Insured, OverdueRule, ProgramTerms
from core.billing.invoices import Invoice, issue_invoices
from core.billing.lines import (
    BillLine,
    LineOutcome,
    LineRejection,
    classify,
    line_copay,
    line_rejection,
)
from core.billing.overdue import daily
from core.billing.status import InvoiceStatus
from core.cabinet.children import link_in_force
from core.cabinet.notifications import NotificationKind, notification_choices
from core.calendar import Clock
from core.db import models
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.money import parse_money, to_kopecks
from core.normalize import parse_date
from core.normalize.policy import canonical_policy
from core.services.importing import COMMAND_LINE, ImportReport, Limits, RowIssue
from core.services.importing.reader import open_table
from core.services.importing.report import REASONS
from core.services.importing.rows import RowCheck, limited, whole_number

KIND = "bills"
COLUMNS = (
    "bill_line_id", "policy_number", "clinic_id", "service_date", "service_code", "service_name", "quantity",
    "unit_price",
)  # fmt: skip
REQUIRED = tuple(column for column in COLUMNS if column != "service_code")
MAX_QUANTITY = 100_000

_LINES = models.BillLine.__table__.c
LINE_ID = limited(_LINES.id.type.length)
CLINIC_ID = limited(models.Clinic.__table__.c.id.type.length)
SERVICE_CODE = limited(_LINES.service_code.type.length)
SERVICE_NAME = limited(_LINES.service_name.type.length)
QUANTITY = whole_number(1, MAX_QUANTITY)

# Outbox kinds (the sender renders them in the recipient's language).
INVOICE_ISSUED = "invoice_issued"
ACCESS_RESTRICTED = "access_restricted"
ACCESS_RESTORED = "access_restored"

# The English reasons of the bills' own issue codes, next to the importer's.
REASONS.update({
    "bill.already_billed": "already billed: a correction comes as a new line",
    "bill.unknown_policy": "unknown policy {value}",
    "bill.unknown_clinic": "unknown clinic {value}",
    "bill.outside_policy": "service date {value} outside the policy's validity",
    "bill.after_issue_date": "service date {value} after the issue date {issued_on}",
})  # fmt: skip
_REJECTION_COLUMN = {
    LineRejection.ALREADY_BILLED: "bill_line_id",
    LineRejection.UNKNOWN_POLICY: "policy_number",
    LineRejection.UNKNOWN_CLINIC: "clinic_id",
    LineRejection.OUTSIDE_POLICY: "service_date",
    LineRejection.AFTER_ISSUE_DATE: "service_date",
}

Sink = Callable[[RowIssue], None]


class BillsReport(ImportReport):
    """The import's report, plus the invoices it issued."""

    def __init__(self, sink: Sink | None = None) -> None:
        super().__init__(KIND, sink)
        self.invoices: tuple[str, ...] = ()  # the numbers issued, in numbering order

    @property
    def invoices_issued(self) -> int:
        return len(self.invoices)

    def summary(self) -> str:
        return f"{super().summary()}, invoices issued {self.invoices_issued}"


@dataclass(frozen=True)
class DailyReport:
    today: date
    overdue: tuple[str, ...]  # invoice numbers marked OVERDUE
    restricted: tuple[int, ...]  # person ids
    restored: tuple[int, ...]  # person ids
    notices: int  # outbox rows written

    def summary(self) -> str:
        return (
            f"{self.today.isoformat()}: overdue {len(self.overdue)}, restricted {len(self.restricted)}, "
            f"restored {len(self.restored)}, notices {self.notices}"
        )


def check_bills(source: Path | bytes, *, filename: str | None = None, limits: Limits = COMMAND_LINE) -> None:
    """Raises `UnreadableFile` when `issue_from_bills` would before reading a row: no database needed."""
    with open_table(source, filename, limits) as table:
        table.require(REQUIRED)


def content_hash(line: BillLine) -> str:
    """What "the same line" compares (`BillLine.content`), as 32 hex digits."""
    return hashlib.md5(repr(line.content()).encode(), usedforsecurity=False).hexdigest()


class BillingService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

    async def issue_from_bills(
        self,
        source: Path | bytes,
        issued_on: date | None = None,
        *,
        filename: str | None = None,
        limits: Limits = COMMAND_LINE,
        sink: Sink | None = None,
    ) -> BillsReport:
        """Stores the file's new lines and issues their invoices on `issued_on` (default today), with the
        deposit uses and the payers' notices, in one transaction. Bad rows are reported and skipped; a file
        that cannot be read raises `UnreadableFile` and nothing is written. Importing the same file again,
        on any day, issues nothing."""
        issued_on = issued_on or self.clock.today()
        report = BillsReport(sink)
        with open_table(source, filename, limits) as table:
            table.require(REQUIRED)
            rows = _read_rows(table, report)
        async with self.uow() as uow:
            await self._issue(uow, rows, issued_on, report)
            await uow.commit()
        return report

    async def _issue(
        self, uow: UnitOfWork, rows: list[tuple[int, BillLine]], issued_on: date, report: BillsReport
    ) -> None:
        now = self.clock.now()
        month = f"{issued_on.year:04d}/{issued_on.month:02d}"
        # First: imports issuing in this month wait here for each other, so what they read next (stored
        # lines, deposit uses) is what the one before committed.
        last_number = await uow.billing.lock_counter(month)
        repo = uow.billing
        stored = {
            line.id: _stored_line(line, policy_key)
            for line, policy_key in await repo.stored_lines(line.line_id for _, line in rows)
        }
        people = {person.policy_key: (person, parent_key) for person, parent_key in await repo.people(
            line.policy_key for _, line in rows
        )}  # fmt: skip
        clinics = await repo.known_clinics(line.clinic_id for _, line in rows)
        programs = await repo.programs(person.program_code for person, _ in people.values())

        accepted: list[BillLine] = []
        check = RowCheck(report)
        for (number, line), (_, outcome) in zip(rows, classify(stored, (line for _, line in rows)), strict=True):
            check.start(number)
            if outcome == LineOutcome.UNCHANGED:
                report.unchanged += 1
                continue
            reason = LineRejection.ALREADY_BILLED if outcome == LineOutcome.REJECTED else None
            found = people.get(line.policy_key)
            if reason is None and found is None:
                reason = LineRejection.UNKNOWN_POLICY
            if reason is None and line.clinic_id not in clinics:
                reason = LineRejection.UNKNOWN_CLINIC
            if reason is None:
                person = found[0]
                reason = line_rejection(
                    line, valid_from=person.valid_from, valid_to=person.valid_to, issued_on=issued_on,
                    removed_on=person.removed_on,
                )  # fmt: skip
            if reason is not None:
                _reject(check, line, reason, issued_on)
                check.done()
                continue
            accepted.append(line)
            report.imported += 1

        terms = {code: _terms(program) for code, program in programs.items()}
        insured = {key: _insured(person, parent_key, issued_on) for key, (person, parent_key) in people.items()}
        payer_keys = {insured[line.policy_key].holder_key or insured[line.policy_key].parent_key for line in accepted}
        deposits, used = await repo.deposits(key for key in payer_keys if key)
        issue = issue_invoices(
            accepted, people=insured, programs=terms, issued_on=issued_on, last_number=last_number,
            deposits=[Deposit(d.reference, d.holder_policy_key, d.amount_kopecks, d.paid_on) for d in deposits],
            deposits_used=used,
        )  # fmt: skip

        ids = {key: person.id for key, (person, _) in people.items()}
        ids |= await repo.person_ids({inv.payer_key for inv in issue.invoices if inv.payer_key} - set(ids))
        rows_by_number = {
            invoice.number: models.Invoice(
                number=invoice.number, month=month, sequence=invoice.sequence, person_id=ids[invoice.person_key],
                payer_person_id=ids[invoice.payer_key] if invoice.payer_key else None, issued_on=invoice.issued_on,
                due_on=invoice.due_on, copay_kopecks=invoice.copay, deposit_used_kopecks=invoice.deposit_used,
                credited_kopecks=0, paid_kopecks=0, refunded_kopecks=0, status=str(invoice.status),
                created_at=now, updated_at=now,
            )
            for invoice in issue.invoices
        }  # fmt: skip
        await repo.add_invoices(list(rows_by_number.values()))
        invoice_of = {line.line_id: rows_by_number[inv.number].id for inv in issue.invoices for line in inv.lines}
        await repo.add_lines([
            _line_row(line, ids[line.policy_key], terms[insured[line.policy_key].program_code].franchise_bp,
                      invoice_of.get(line.line_id), now)
            for line in accepted
        ])  # fmt: skip
        await repo.add_deposit_uses([
            {"deposit_reference": use.reference, "invoice_id": rows_by_number[use.invoice].id,
             "amount_kopecks": use.amount}
            for use in issue.deposit_uses
        ])  # fmt: skip
        if issue.invoices:
            await repo.set_counter(month, issue.invoices[-1].sequence)
        await self._invoice_notices(uow, issue.invoices, ids, now)
        report.invoices = tuple(invoice.number for invoice in issue.invoices)
        uow.audit.record(
            now, "bills.import", object_type="bills", imported=report.imported,
            unchanged=report.unchanged, rejected=report.rejected, invoices=len(issue.invoices),
            issued_on=issued_on.isoformat(),
        )  # fmt: skip

    async def _invoice_notices(
        self, uow: UnitOfWork, invoices: tuple[Invoice, ...], ids: dict[str, int], now: datetime
    ) -> None:
        """One notice per issued invoice to its payer's account, when the payer's settings want it."""
        payers = {ids[invoice.payer_key] for invoice in invoices if invoice.payer_key}
        accounts = await uow.billing.accounts_of(payers)
        stored, consent = await uow.billing.notification_choices(
            (account for account, _ in accounts.values()), NotificationKind.INVOICES
        )
        for invoice in invoices:
            if invoice.payer_key is None or (found := accounts.get(ids[invoice.payer_key])) is None:
                continue
            account_id, telegram_id = found
            choices = notification_choices(
                {NotificationKind.INVOICES: stored[account_id]} if account_id in stored else {},
                consented=consent.get(account_id, True),
            )
            if not choices[NotificationKind.INVOICES]:
                continue
            payload = {
                "invoice": invoice.number, "person_id": ids[invoice.person_key], "total": invoice.total,
                "due_on": invoice.due_on.isoformat(), "status": str(invoice.status),
            }  # fmt: skip
            uow.billing.notify(telegram_id, INVOICE_ISSUED, payload, now)

    async def run_daily(self, today: date | None = None) -> DailyReport:
        """The daily job (core.billing.overdue.daily): NEW invoices past their due date become OVERDUE,
        their people restricted, people with nothing overdue any more restored; each change with its notice
        to the payer (always sent). Run twice on a day, the second run changes nothing."""
        today = today or self.clock.today()
        now = self.clock.now()
        async with self.uow() as uow:
            repo = uow.billing
            unsettled = await repo.unsettled()
            invoices, person_ids, program_of = [], {}, {}
            for row in unsettled:
                invoices.append(Invoice(
                    number=row.Invoice.number, issued_on=row.Invoice.issued_on, due_on=row.Invoice.due_on,
                    person_key=row.policy_key, payer_key=row.payer_key, lines=(),
                    status=InvoiceStatus(row.Invoice.status),
                ))  # fmt: skip
                person_ids[row.policy_key] = row.Invoice.person_id
                program_of[row.policy_key] = row.program_code
            programs = await repo.programs(set(program_of.values()))
            rules = {key: OverdueRule(programs[code].overdue_rule) for key, code in program_of.items()}
            open_rows = await repo.open_restrictions()
            restrictions = {key: restriction for restriction, key in open_rows}
            outcome = daily(today, invoices, restrictions, rules)

            overdue = tuple(event.invoice for event in outcome.overdue)
            await repo.mark_overdue(list(overdue), now)
            for event in outcome.restricted:
                repo.add_restriction(models.AccessRestriction(
                    person_id=person_ids[event.person_key], rule=str(event.rule), since=event.since,
                    invoice_numbers=" ".join(event.invoices),
                ))  # fmt: skip
            for event in outcome.restored:
                restrictions[event.person_key].restored_on = event.on

            restricted_ids = [person_ids[event.person_key] for event in outcome.restricted]
            restored_ids = [restrictions[event.person_key].person_id for event in outcome.restored]
            payers = await repo.latest_payers(restricted_ids + restored_ids)
            accounts = await repo.accounts_of(payers.values())
            notices = 0
            for kind, person_id, payload in (
                *((ACCESS_RESTRICTED, person_ids[e.person_key],
                   {"rule": str(e.rule), "since": e.since.isoformat(), "invoices": list(e.invoices)})
                  for e in outcome.restricted),
                *((ACCESS_RESTORED, restrictions[e.person_key].person_id, {"on": e.on.isoformat()})
                  for e in outcome.restored),
            ):  # fmt: skip
                found = accounts.get(payers.get(person_id))
                if found is not None:
                    repo.notify(found[1], kind, {"person_id": person_id, **payload}, now)
                    notices += 1
            uow.audit.record(
                now, "billing.daily", object_type="day", object_id=today.isoformat(), overdue=len(overdue),
                restricted=len(restricted_ids), restored=len(restored_ids),
            )  # fmt: skip
            await uow.commit()
        return DailyReport(today, overdue, tuple(restricted_ids), tuple(restored_ids), notices)

    async def overdue_people(self, person_ids: list[int]) -> set[int]:
        """Who of these has an OVERDUE invoice (access restricted)."""
        async with self.uow() as uow:
            return await uow.billing.overdue_people(person_ids)


def _read_rows(table, report: BillsReport) -> list[tuple[int, BillLine]]:
    """The file's rows as bill lines (the cells checked); bad ones reported and left out."""
    check = RowCheck(report)
    pick = table.picker(COLUMNS)
    rows = []
    for number, cells in table.rows:
        line_id, policy, clinic, service_date, code, name, quantity, price = pick(cells)
        check.start(number)
        values = (
            check.value("bill_line_id", LINE_ID, line_id),
            check.value("policy_number", canonical_policy, policy),
            check.value("clinic_id", CLINIC_ID, clinic),
            check.value("service_date", parse_date, service_date),
            check.optional("service_code", SERVICE_CODE, code) or "",
            check.value("service_name", SERVICE_NAME, name),
            check.value("quantity", QUANTITY, quantity),
            check.value("unit_price", _kopecks, price),
        )
        if check.done():
            rows.append((number, BillLine(*values)))
    return rows


def _kopecks(text: str) -> int:
    return to_kopecks(parse_money(text))


def _reject(check: RowCheck, line: BillLine, reason: LineRejection, issued_on: date) -> None:
    column = _REJECTION_COLUMN[reason]
    value = {
        "bill_line_id": line.line_id, "policy_number": line.policy_key, "clinic_id": line.clinic_id,
        "service_date": line.service_date.strftime("%d.%m.%Y"),
    }[column]  # fmt: skip
    check.fail(column, f"bill.{reason}", value=value, issued_on=issued_on.strftime("%d.%m.%Y"))


def _stored_line(line: models.BillLine, policy_key: str) -> BillLine:
    return BillLine(
        line.id, policy_key, line.clinic_id, line.service_date, line.service_code, line.service_name,
        line.quantity, line.unit_price_kopecks,
    )  # fmt: skip


def _line_row(line: BillLine, person_id: int, franchise_bp: int, invoice_id: int | None, now: datetime) -> dict:
    cost = line.cost
    return {
        "id": line.line_id, "person_id": person_id, "clinic_id": line.clinic_id, "service_date": line.service_date,
        "service_code": line.service_code, "service_name": line.service_name, "quantity": line.quantity,
        "unit_price_kopecks": line.unit_price, "cost_kopecks": cost, "copay_kopecks": line_copay(cost, franchise_bp),
        "content_hash": content_hash(line), "invoice_id": invoice_id, "imported_at": now,
    }  # fmt: skip


def _terms(program: models.Program) -> ProgramTerms:
    return ProgramTerms(
        program.code, program.franchise_bp, program.due_days, DueDayKind(program.due_day_kind),
        OverdueRule(program.overdue_rule), program.emergency_only,
    )  # fmt: skip


def _insured(person: models.InsuredPerson, parent_key: str | None, issued_on: date) -> Insured:
    return Insured(
        policy_key=person.policy_key, program_code=person.program_code, birth_date=person.birth_date,
        valid_from=person.valid_from, valid_to=person.valid_to, is_relative=person.category == "relative",
        holder_key=person.holder_policy_key,
        # The parent who added the child pays while the link is in force (core.cabinet.children).
        parent_key=parent_key if parent_key and link_in_force(person.birth_date, issued_on) else None,
        removed_on=person.removed_on,
    )  # fmt: skip


__all__ = ["BillingService", "BillsReport", "DailyReport", "check_bills", "content_hash"]
