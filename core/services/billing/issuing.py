"""Issuing: a bills file's new lines stored and their invoices issued in one transaction, with the
deposit uses, the automatic charges queued and the payers' notices."""

from __future__ import annotations

from collections import namedtuple
from datetime import date, datetime
from pathlib import Path

from core.audit import AuditAction
from core.billing.deposits import Deposit
from core.billing.facts import Insured
from core.billing.invoices import InvoiceTotal, issue_totals
from core.cabinet.children import link_in_force
from core.cabinet.notifications import NotificationKind, notification_choices
from core.db.uow import UnitOfWork
from core.notices import InvoiceIssued
from core.services.billing.autopay import queue_autopay
from core.services.billing.bills import KIND, PERSON, REQUIRED, Bills
from core.services.importing.collector import collector_paused
from core.services.importing.limits import COMMAND_LINE, Limits
from core.services.importing.progress import ProgressTracker
from core.services.importing.reader import Table, open_table
from core.services.importing.report import ImportReport, ImportResult, Sink


class Issuing:
    """A part of `BillingService` (`core.services.billing`), which holds the unit of work, the clock, the
    switches and the limits."""

    async def issue_from_bills(
        self,
        source: Path | bytes,
        issued_on: date | None = None,
        *,
        filename: str | None = None,
        limits: Limits = COMMAND_LINE,
        sink: Sink | None = None,
        progress: ProgressTracker | None = None,
    ) -> ImportResult:
        """Stores the file's new lines and issues their invoices on `issued_on` (default today), with the
        deposit uses and the payers' notices, in one transaction. Bad rows are reported and skipped; a file
        that cannot be read raises `UnreadableFile` and nothing is written. Importing the same file again,
        on any day, issues nothing. (`ImportService` runs it as the `bills` kind.)"""
        issued_on = issued_on or self.clock.today()
        try:
            return await self._issue_file(source, issued_on, filename, limits, sink, progress, lock_first=False)
        except _Overtaken:  # rare: two imports of the same lines at once on SQLite; the report starts over
            return await self._issue_file(source, issued_on, filename, limits, sink, progress, lock_first=True)

    async def _issue_file(
        self,
        source: Path | bytes,
        issued_on: date,
        filename: str | None,
        limits: Limits,
        sink: Sink | None,
        progress: ProgressTracker | None,
        lock_first: bool,
    ) -> ImportResult:
        report = ImportReport(KIND, sink)
        with open_table(source, filename, limits) as table, collector_paused():
            table.require(REQUIRED)
            if progress is not None:
                progress.follow(table)
            async with self.uow() as uow:
                invoices = await self._issue(uow, table, issued_on, report, lock_first)
                await uow.commit()
        return report.result(invoices=invoices)

    async def _issue(
        self, uow: UnitOfWork, table: Table, issued_on: date, report: ImportReport, lock_first: bool
    ) -> tuple[str, ...]:
        """The invoices' numbers, in numbering order."""
        now = self.clock.now()
        month = f"{issued_on.year:04d}/{issued_on.month:02d}"
        repo = uow.billing
        # Imports issuing in this month wait for each other at the counter's lock, so what they read after
        # it (stored lines, deposit uses) is what the one before committed. On SQLite that lock is the whole
        # database's write lock: it is taken once the file has been read and staged apart (the bot writes
        # meanwhile), and the file is read again under it should another import have stored the same lines.
        apart = not lock_first and repo.one_writer
        if not apart:
            last_number = await repo.lock_counter(month)
        bills = Bills(table, report, issued_on, self.limits, self.chunk)
        async with repo.line_writer(now, apart) as writer:
            await bills.run(repo, writer, table.rows)
            await writer.staged_all()
            if apart:
                last_number = await repo.lock_counter(month)
                if await writer.overtaken():
                    raise _Overtaken
            copays = bills.copays
            insured = {key: _insured(bills.people[key], issued_on) for key in copays}
            payer_keys = {insured[key].holder_key or insured[key].parent_key for key in copays}
            deposits, used = await repo.deposits(key for key in payer_keys if key)
            issue = issue_totals(
                copays,
                people=insured,
                programs=bills.terms,
                issued_on=issued_on,
                last_number=last_number,
                deposits=[Deposit(d.reference, d.holder_policy_key, d.amount_kopecks, d.paid_on) for d in deposits],
                deposits_used=used,
            )

            ids = {key: facts[0] for key, facts in bills.facts.items()}
            payers = {invoice.payer_key for invoice in issue.invoices if invoice.payer_key}
            ids |= await repo.person_ids(key for key in payers if key not in ids)
            invoice_ids = await repo.add_invoices(
                month,
                last_number,
                [
                    (
                        invoice.number,
                        month,
                        last_number + n,
                        ids[invoice.person_key],  # BillingRepository.INVOICE_COLUMNS
                        ids[invoice.payer_key] if invoice.payer_key else None,
                        invoice.issued_on,
                        invoice.due_on,
                        invoice.copay,
                        invoice.deposit_used,
                        0,
                        0,
                        0,
                        str(invoice.status),
                        now,
                        now,
                        now if invoice.paid_how else None,
                        str(invoice.paid_how) if invoice.paid_how else None,
                    )
                    for n, invoice in enumerate(issue.invoices, start=1)
                ],
            )
            await writer.finish(month, last_number)
        await repo.add_deposit_uses(
            [
                {
                    "deposit_reference": use.reference,
                    "invoice_id": invoice_ids[use.invoice],
                    "amount_kopecks": use.amount,
                }
                for use in issue.deposit_uses
            ]
        )
        if issue.invoices:
            await repo.set_counter(month, last_number + len(issue.invoices))
        autopay, email_needed = (
            await queue_autopay(uow, issue.invoices, ids, invoice_ids, now) if self.autopay else (set(), set())
        )
        await self._invoice_notices(uow, issue.invoices, ids, autopay, email_needed, now)
        uow.audit.record(
            now,
            AuditAction.BILLS_IMPORT,
            object_type="bills",
            imported=report.imported,
            unchanged=report.unchanged,
            rejected=report.rejected,
            invoices=len(issue.invoices),
            issued_on=issued_on.isoformat(),
        )
        return tuple(invoice.number for invoice in issue.invoices)

    async def _invoice_notices(
        self,
        uow: UnitOfWork,
        invoices: tuple[InvoiceTotal, ...],
        ids: dict[str, int],
        autopay: set[str],
        email_needed: set[str],
        now: datetime,
    ) -> None:
        """One notice per issued invoice to its payer's account, when the payer's settings want it (saying
        when the saved card will be charged, or that it cannot be without an e-mail for the receipt)."""
        payers = {ids[invoice.payer_key] for invoice in invoices if invoice.payer_key}
        accounts = await uow.accounts.of_people(payers)
        stored, consent = await uow.accounts.notification_choices(
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
            notice = InvoiceIssued(
                to=telegram_id,
                invoice=invoice.number,
                person_id=ids[invoice.person_key],
                total=invoice.total,
                due_on=invoice.due_on,
                status=invoice.status,
                autopay=invoice.number in autopay,
                email_needed=invoice.number in email_needed,
            )
            uow.outbox.add(notice, now)


def _insured(values: tuple, issued_on: date) -> Insured:
    """`values`: a person as `BillingRepository.insured` gives them (`PERSON`)."""
    person = _Person(*values)
    parent_key = person.parent_policy_key
    return Insured(
        policy_key=person.policy_key,
        program_code=person.program_code,
        birth_date=person.birth_date,
        valid_from=person.valid_from,
        valid_to=person.valid_to,
        is_relative=person.category == "relative",
        holder_key=person.holder_policy_key,
        # The parent who added the child pays while the link is in force (core.cabinet.children).
        parent_key=parent_key if parent_key and link_in_force(person.birth_date, issued_on) else None,
        removed_on=person.removed_on,
    )


_Person = namedtuple("_Person", PERSON)


class _Overtaken(Exception):
    """Another import stored some of the lines staged apart before this one took the write lock."""
