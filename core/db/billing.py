"""Billing (`BillingRepository`): what issuing invoices from bills and the daily overdue job read and
write: the monthly invoice counter, the people, programs, clinics and deposits of a bills import, the
invoices and deposit uses, the unsettled invoices and their marking overdue, who paid a person's invoices
last. The new bill lines themselves go through `core.db.bill_lines.BillLineWriter` (`line_writer`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.db.bill_lines import BillLineWriter
from core.db.bulk import KEYS_JOIN, SQLITE_IN_CHUNK, PlainRows, chunks, memoised
from core.db.invoices import StoredInvoice, stored_invoice
from core.db.models import Clinic, Deposit, DepositUse, InsuredPerson, Invoice, InvoiceCounter, Program


class BillingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def one_writer(self) -> bool:
        """The database has one write lock for everything (SQLite): the counter's lock is the whole database's."""
        return self.session.bind.dialect.name == "sqlite"

    async def lock_counter(self, month: str) -> int:
        """The last N issued in `month` (`YYYY/MM`), its row locked until the transaction ends
        (`SELECT … FOR UPDATE` on PostgreSQL; SQLite has one writer anyway): concurrent imports number
        one after the other, without gaps."""
        dialect = self.session.bind.dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as upsert
        else:
            from sqlalchemy.dialects.sqlite import insert as upsert
        await self.session.execute(
            upsert(InvoiceCounter).values(month=month, last_number=0).on_conflict_do_nothing(index_elements=["month"])
        )
        query = select(InvoiceCounter.last_number).where(InvoiceCounter.month == month).with_for_update()
        return await self.session.scalar(query)

    async def set_counter(self, month: str, last_number: int) -> None:
        await self.session.execute(
            update(InvoiceCounter).where(InvoiceCounter.month == month).values(last_number=last_number)
        )

    # What billing needs of an insured person: theirs, and the policy key of the parent who added them.
    INSURED_COLUMNS = (
        "policy_key",
        "id",
        "program_code",
        "birth_date",
        "valid_from",
        "valid_to",
        "removed_on",
        "category",
        "holder_policy_key",
        "parent_policy_key",
    )

    async def insured(self, policy_keys: Iterable[str]) -> list[tuple]:
        """`INSURED_COLUMNS` of the people of these policies, as plain tuples. Called for every few thousand
        lines of a bills import: plain SQL, nothing compiled each time."""
        conn = await self.session.connection()
        people = InsuredPerson.__table__
        columns = ", ".join(f"p.{c}" for c in self.INSURED_COLUMNS[:-1]) + ", parent.policy_key"
        parent = (
            "LEFT JOIN child_links l ON l.child_person_id = p.id "
            "LEFT JOIN insured_people parent ON parent.id = l.parent_person_id"
        )
        dialect = conn.dialect
        convert = [
            (at, memoised(processor))
            for at, column in enumerate(self.INSURED_COLUMNS[:-1])
            if (processor := people.c[column].type.dialect_impl(dialect).result_processor(dialect, None)) is not None
        ]
        rows: list[tuple] = []
        if dialect.name == "sqlite":
            for chunk in chunks(set(policy_keys), SQLITE_IN_CHUNK):
                marks = ", ".join("?" * len(chunk))
                sql = f"SELECT {columns} FROM insured_people p {parent} WHERE p.policy_key IN ({marks})"
                rows.extend((await conn.exec_driver_sql(sql, tuple(chunk))).all())
        else:  # one array parameter, no limit on the keys (see `KEYS_JOIN`)
            keys = KEYS_JOIN.format(table="insured_people p", column="p.policy_key")
            sql = f"SELECT {columns} {keys} {parent}"
            rows.extend((await conn.exec_driver_sql(sql, (list(set(policy_keys)),))).all())
        if not convert:
            return [tuple(row) for row in rows]
        converted = []
        for row in rows:
            values = list(row)
            for at, processor in convert:
                values[at] = processor(values[at])
            converted.append(tuple(values))
        return converted

    async def person_ids(self, policy_keys: Iterable[str]) -> dict[str, int]:
        result: dict[str, int] = {}
        for chunk in chunks(set(policy_keys)):
            query = select(InsuredPerson.policy_key, InsuredPerson.id).where(InsuredPerson.policy_key.in_(chunk))
            result.update(dict((await self.session.execute(query)).all()))
        return result

    async def programs(self, codes: Iterable[str]) -> dict[str, Program]:
        query = select(Program).where(Program.code.in_(set(codes)))
        return {program.code: program for program in await self.session.scalars(query)}

    async def known_clinics(self, clinic_ids: Iterable[str]) -> set[str]:
        known: set[str] = set()
        for chunk in chunks(set(clinic_ids)):
            known.update(await self.session.scalars(select(Clinic.id).where(Clinic.id.in_(chunk))))
        return known

    async def deposits(self, holder_keys: Iterable[str]) -> tuple[list[Deposit], dict[str, int]]:
        """The deposits of these holders, and what each has given to invoices so far (reference → kopecks)."""
        deposits: list[Deposit] = []
        for chunk in chunks(set(holder_keys)):
            deposits.extend(await self.session.scalars(select(Deposit).where(Deposit.holder_policy_key.in_(chunk))))
        used: dict[str, int] = {}
        for chunk in chunks(deposit.reference for deposit in deposits):
            query = (
                select(DepositUse.deposit_reference, func.sum(DepositUse.amount_kopecks))
                .where(DepositUse.deposit_reference.in_(chunk))
                .group_by(DepositUse.deposit_reference)
            )
            used.update({reference: int(total) for reference, total in await self.session.execute(query)})
        return deposits, used

    def line_writer(self, now: datetime, apart: bool = False) -> BillLineWriter:
        """Writes the new lines of one bills import (see `BillLineWriter`); use it as `async with`."""
        return BillLineWriter(self.session, now, apart)

    INVOICE_COLUMNS = (
        "number",
        "month",
        "sequence",
        "person_id",
        "payer_person_id",
        "issued_on",
        "due_on",
        "copay_kopecks",
        "deposit_used_kopecks",
        "credited_kopecks",
        "paid_kopecks",
        "refunded_kopecks",
        "status",
        "created_at",
        "updated_at",
        "paid_at",
        "paid_how",
    )

    async def add_invoices(self, month: str, after: int, invoices: list[tuple]) -> dict[str, int]:
        """Inserts the invoices numbered `month`/N, N > `after` (the month's counter row locked by this
        transaction), each a tuple of `INVOICE_COLUMNS`; returns number → id of those."""
        conn = await self.session.connection()
        if invoices:
            await PlainRows(conn, Invoice.__table__, self.INVOICE_COLUMNS).insert(invoices)
        query = select(Invoice.number, Invoice.id).where(Invoice.month == month, Invoice.sequence > after)
        return dict((await conn.execute(query)).all())

    async def add_deposit_uses(self, uses: list[dict]) -> None:
        if uses:
            await self.session.execute(insert(DepositUse), uses)

    async def unsettled(self) -> list[tuple[StoredInvoice, str]]:
        """Every NEW or OVERDUE invoice as the rules see it, with its person's program code: what the daily
        job decides on."""
        payer = aliased(InsuredPerson)
        query = (
            select(Invoice, InsuredPerson.policy_key, InsuredPerson.program_code, payer.policy_key.label("payer_key"))
            .join(InsuredPerson, InsuredPerson.id == Invoice.person_id)
            .outerjoin(payer, payer.id == Invoice.payer_person_id)
            .where(Invoice.status.in_(("new", "overdue")))
            .order_by(Invoice.id)
        )
        rows = (await self.session.execute(query)).all()
        return [
            (stored_invoice(stored, person_key, payer_key), program) for stored, person_key, program, payer_key in rows
        ]

    async def latest_payers(self, person_ids: Iterable[int]) -> dict[int, int]:
        """person id → the payer of that person's latest invoice that has one."""
        result: dict[int, int] = {}
        for chunk in chunks(set(person_ids)):
            query = (
                select(Invoice.person_id, Invoice.payer_person_id)
                .where(Invoice.person_id.in_(chunk), Invoice.payer_person_id.is_not(None))
                .order_by(Invoice.issued_on, Invoice.id)
            )
            result.update(dict((await self.session.execute(query)).all()))  # the latest wins
        return result

    async def mark_overdue(self, numbers: list[str], at: datetime) -> int:
        """NEW → OVERDUE for these invoices (the rule decided, core.billing.overdue); how many changed."""
        changed = 0
        for chunk in chunks(numbers):
            result = await self.session.execute(
                update(Invoice)
                .where(Invoice.number.in_(chunk), Invoice.status == "new")
                .values(status="overdue", updated_at=at)
            )
            changed += result.rowcount
        return changed
