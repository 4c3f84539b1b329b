"""Repositories: the queries the use cases need, by name, each over the unit of work's session.

Registry lookups go by an indexed column on normalised keys (`core.normalize`): canonical policy,
name keys, E.164 phone, e-mail key. People marked removed are returned too: the caller tells "policy
not active". Their statements are built once: building one per call costs about as much as running it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from datetime import date, datetime

from sqlalchemy import Row, Select, Table, and_, bindparam, case, func, insert, select, union, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import aliased, lazyload

from core.db.models import (
    AccessRestriction,
    Account,
    AuditEvent,
    BillLine,
    ChildLink,
    Clinic,
    Consent,
    Deposit,
    DepositUse,
    FranchiseActivation,
    InsuredPerson,
    Invoice,
    InvoiceCounter,
    NotificationSetting,
    OutboxMessage,
    PaymentMethod,
    Program,
    UserRequest,
    clinic_programs,
)


class AccountRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_telegram_id(self, telegram_id: int) -> Account | None:
        return await self.session.scalar(select(Account).where(Account.telegram_id == telegram_id))

    async def viewer_row(self, telegram_id: int) -> Row | None:
        """(id, insured_person_id, language): what the viewer cache keeps."""
        query = select(Account.id, Account.insured_person_id, Account.language).where(Account.telegram_id == telegram_id)
        return (await self.session.execute(query)).first()

    def add(self, account: Account) -> None:
        self.session.add(account)

    async def phone_owner(self, phone: str) -> int | None:
        """The telegram id of the account holding this phone, if any."""
        return await self.session.scalar(select(Account.telegram_id).where(Account.phone == phone))

    async def email_owner(self, email_key: str) -> int | None:
        """The telegram id of the account holding this e-mail, if any."""
        return await self.session.scalar(select(Account.telegram_id).where(Account.email_key == email_key))

    async def linked_to(self, person_ids: list[int]) -> dict[int, int]:
        """person id → telegram id of the account linked to it."""
        if not person_ids:
            return {}
        query = select(Account.insured_person_id, Account.telegram_id).where(Account.insured_person_id.in_(person_ids))
        return dict((await self.session.execute(query)).all())

    async def latest_consent(self, account_id: int, kind: str) -> Consent | None:
        query = (
            select(Consent).where(Consent.account_id == account_id, Consent.kind == kind)
            .order_by(Consent.at.desc(), Consent.id.desc()).limit(1)
        )  # fmt: skip
        return await self.session.scalar(query)

    async def notification_settings(self, account_id: int) -> dict[str, NotificationSetting]:
        query = select(NotificationSetting).where(NotificationSetting.account_id == account_id)
        return {setting.kind: setting for setting in await self.session.scalars(query)}


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def record(
        self,
        at: datetime,
        action: str,
        *,
        actor: int | None = None,
        object_type: str | None = None,
        object_id: str | int | None = None,
        reason: str | None = None,
        **details: str | int | None,
    ) -> None:
        """Ids and reason codes only: callers never pass names, phones or e-mails."""
        self.session.add(
            AuditEvent(
                at=at,
                action=action,
                actor_telegram_id=actor,
                object_type=object_type,
                object_id=None if object_id is None else str(object_id),
                reason=reason,
                details=details,
            )
        )

    async def count_object_since(self, action: str, object_id: str, since: datetime) -> int:
        query = select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == action, AuditEvent.object_id == object_id, AuditEvent.at >= since
        )
        return await self.session.scalar(query) or 0

    async def count_since(self, actor_telegram_id: int, action: str, since: datetime) -> int:
        query = select(func.count()).select_from(AuditEvent).where(
            AuditEvent.actor_telegram_id == actor_telegram_id, AuditEvent.action == action, AuditEvent.at >= since
        )
        return await self.session.scalar(query) or 0


def _ordered(*conditions) -> Select:
    # Ordered by id so an ambiguous match always lists the same rows in the same order.
    return select(InsuredPerson).where(*conditions).order_by(InsuredPerson.id)


_BY_POLICY = select(InsuredPerson).where(InsuredPerson.policy_key == bindparam("key"))
_BY_PERSONNEL = _ordered(InsuredPerson.personnel_key == bindparam("key"))
_BY_NAME_BIRTH = _ordered(
    InsuredPerson.last_name_key == bindparam("last"),
    InsuredPerson.first_name_key == bindparam("first"),
    InsuredPerson.birth_date == bindparam("born"),
)
_BY_BIRTH = _ordered(InsuredPerson.birth_date == bindparam("born"))
_BY_PHONE = _ordered(InsuredPerson.phone == bindparam("key"))
_BY_EMAIL = _ordered(InsuredPerson.email_key == bindparam("key"))


class PeopleRepository:
    """The registry: insured people, their programs, and the links between them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, person_id: int) -> InsuredPerson | None:
        return await self.session.get(InsuredPerson, person_id)

    async def by_policy_key(self, key: str) -> InsuredPerson | None:
        return await self.session.scalar(_BY_POLICY, {"key": key})

    async def by_personnel_key(self, key: str) -> list[InsuredPerson]:
        """A list: staff numbers are unique per employer only."""
        return list(await self.session.scalars(_BY_PERSONNEL, {"key": key}))

    async def by_name_birth(self, last_key: str, first_key: str, birth_date: date) -> list[InsuredPerson]:
        params = {"last": last_key, "first": first_key, "born": birth_date}
        return list(await self.session.scalars(_BY_NAME_BIRTH, params))

    async def by_birth_date(self, birth_date: date) -> list[InsuredPerson]:
        """Everyone born that day, by id: for a name typed in Latin, which the name index cannot find
        (the caller filters with `core.matching.claim_matches`)."""
        return list(await self.session.scalars(_BY_BIRTH, {"born": birth_date}))

    async def by_phone(self, e164: str) -> list[InsuredPerson]:
        return list(await self.session.scalars(_BY_PHONE, {"key": e164}))

    async def by_email_key(self, key: str) -> list[InsuredPerson]:
        return list(await self.session.scalars(_BY_EMAIL, {"key": key}))

    async def parent_of(self, child_person_id: int) -> InsuredPerson | None:
        query = (
            select(InsuredPerson)
            .join(ChildLink, ChildLink.parent_person_id == InsuredPerson.id)
            .where(ChildLink.child_person_id == child_person_id)
        )
        return await self.session.scalar(query)

    async def unregistered_active(self, today: date) -> list[InsuredPerson]:
        """Listed people with a policy not expired nor removed and no account, by policy key."""
        linked = select(Account.insured_person_id).where(Account.insured_person_id.is_not(None))
        query = (
            select(InsuredPerson)
            .where(InsuredPerson.id.not_in(linked), InsuredPerson.removed_on.is_(None),
                   InsuredPerson.valid_to >= today)
            .order_by(InsuredPerson.policy_key)
        )  # fmt: skip
        return list(await self.session.scalars(query))

    async def policy_rows(self, viewer_person_id: int, person_id: int | None = None) -> list[Row]:
        """The people whose policies the viewer sees (their own, the relatives whose rows name the viewer's
        policy as holder, the children the viewer added), or just `person_id` whoever it is; each row with
        what a policy card needs: the person, the program, the franchise activation date, the parent who
        added them and that parent's policy key, the viewer's own policy key (to tell the relation), and
        `overdue`: whether the person has an OVERDUE invoice (access restricted)."""
        if person_id is not None:
            return list(await self.session.execute(_POLICY_ROW, {"viewer": viewer_person_id, "person": person_id}))
        return list(await self.session.execute(_LINKED_POLICY_ROWS, {"viewer": viewer_person_id}))


# The person has an OVERDUE invoice: access restricted (core.billing.overdue.overdue_people), at once
# when the invoice is paid or the job marks it; one EXISTS in the policy card's statement.
_HAS_OVERDUE = (
    select(Invoice.id).where(Invoice.person_id == InsuredPerson.id, Invoice.status == "overdue").exists()
)
# What is left to pay on the person's unpaid invoices (as core.services.invoices.total_to_pay, summed).
_LEFT = Invoice.copay_kopecks - Invoice.deposit_used_kopecks - Invoice.credited_kopecks
_DEBT = (
    select(func.coalesce(func.sum(case((_LEFT > 0, _LEFT), else_=0)), 0))
    .where(Invoice.person_id == InsuredPerson.id, Invoice.status.in_(("new", "overdue")))
    .scalar_subquery()
)
# The viewer's card bound last (the one automatic charges use), shown on the cards of the policies she pays.
_LAST_CARD = (
    select(func.max(PaymentMethod.id))
    .where(PaymentMethod.payer_person_id == bindparam("viewer"), PaymentMethod.removed_at.is_(None))
    .scalar_subquery()
)


def _policy_rows() -> tuple[Select, Select]:
    viewer, parent, holder = aliased(InsuredPerson), aliased(InsuredPerson), aliased(InsuredPerson)
    rows = (
        select(InsuredPerson, Program, FranchiseActivation.effective_from, ChildLink.parent_person_id,
               parent.policy_key.label("parent_policy_key"), viewer.policy_key.label("viewer_policy_key"),
               _HAS_OVERDUE.label("overdue"), _DEBT.label("debt"), PaymentMethod.card_type, PaymentMethod.last4,
               PaymentMethod.expiry_month, PaymentMethod.expiry_year, Account.autopay)
        .select_from(InsuredPerson)
        .join(viewer, viewer.id == bindparam("viewer"))
        .outerjoin(Account, Account.insured_person_id == viewer.id)
        .outerjoin(PaymentMethod, and_(PaymentMethod.id == _LAST_CARD))
        .join(Program, Program.code == InsuredPerson.program_code)
        .outerjoin(FranchiseActivation, FranchiseActivation.person_id == InsuredPerson.id)
        .outerjoin(ChildLink, ChildLink.child_person_id == InsuredPerson.id)
        .outerjoin(parent, parent.id == ChildLink.parent_person_id)
    )  # fmt: skip
    # A union of three indexed lookups: an OR over the join would scan the whole registry.
    linked = union(
        select(InsuredPerson.id).where(InsuredPerson.id == bindparam("viewer")),
        select(InsuredPerson.id).join(holder, InsuredPerson.holder_policy_key == holder.policy_key)
        .where(holder.id == bindparam("viewer")),
        select(ChildLink.child_person_id).where(ChildLink.parent_person_id == bindparam("viewer")),
    )  # fmt: skip
    return rows.where(InsuredPerson.id == bindparam("person")), rows.where(InsuredPerson.id.in_(linked))


# Built once: with its aliases a statement costs more to build than to run.
_POLICY_ROW, _LINKED_POLICY_ROWS = _policy_rows()


class ClinicRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def names(self, program_code: str) -> list[tuple[str, str, str]]:
        """(id, name, search_key) of every clinic of a program: small rows, searched and paged in `core`."""
        query = (
            select(Clinic.id, Clinic.name, Clinic.search_key)
            .join(clinic_programs, clinic_programs.c.clinic_id == Clinic.id)
            .where(clinic_programs.c.program_code == program_code)
        )
        return [tuple(row) for row in await self.session.execute(query)]

    async def by_id(self, ids: Iterable[str]) -> dict[str, tuple[Clinic, bool]]:
        """id → (clinic, whether an `emergency_only` program includes it), in one statement."""
        rows = await self.session.execute(_with_emergency().where(Clinic.id.in_(set(ids))))
        return {clinic.id: (clinic, emergency) for clinic, emergency in rows}

    async def of_program(self, clinic_id: str, program_code: str) -> tuple[Clinic, bool] | None:
        """The clinic when the program includes it, with its emergency flag (see `by_id`)."""
        query = (
            _with_emergency()
            .join(clinic_programs, clinic_programs.c.clinic_id == Clinic.id)
            .where(Clinic.id == clinic_id, clinic_programs.c.program_code == program_code)
        )
        row = (await self.session.execute(query)).first()
        return None if row is None else (row[0], row[1])


def _with_emergency() -> Select:
    emergency = (
        select(clinic_programs.c.clinic_id)
        .join(Program, Program.code == clinic_programs.c.program_code)
        .where(clinic_programs.c.clinic_id == Clinic.id, Program.emergency_only.is_(True))
        .exists()
    )
    # The clinic's programs are not needed past the flag: no second statement to load them.
    return select(Clinic, emergency.label("emergency")).options(lazyload(Clinic.programs))


class RequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count(self, account_id: int) -> int:
        query = select(func.count()).select_from(UserRequest).where(UserRequest.account_id == account_id)
        return await self.session.scalar(query) or 0

    async def page(self, account_id: int, offset: int, limit: int) -> list[UserRequest]:
        query = (
            select(UserRequest)
            .where(UserRequest.account_id == account_id)
            .order_by(UserRequest.created_at.desc(), UserRequest.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return list(await self.session.scalars(query))

    async def of_account(self, account_id: int, request_id: int) -> UserRequest | None:
        """The request, only when it is this account's."""
        query = select(UserRequest).where(UserRequest.id == request_id, UserRequest.account_id == account_id)
        return await self.session.scalar(query)


_IN_CHUNK = 500  # values per IN (...) list: well under SQLite's and asyncpg's parameter limits


def chunks(values: Iterable, size: int = _IN_CHUNK) -> Iterable[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


class BillingRepository:
    """Bill lines, invoices, the monthly invoice counter, deposit uses, access restrictions, the outbox."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

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
        "policy_key", "id", "program_code", "birth_date", "valid_from", "valid_to", "removed_on", "category",
        "holder_policy_key", "parent_policy_key",
    )  # fmt: skip

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
            (at, _memoised(processor))
            for at, column in enumerate(self.INSURED_COLUMNS[:-1])
            if (processor := people.c[column].type.dialect_impl(dialect).result_processor(dialect, None)) is not None
        ]  # fmt: skip
        rows: list[tuple] = []
        if dialect.name == "sqlite":
            for chunk in chunks(set(policy_keys), _SQLITE_IN_CHUNK):
                marks = ", ".join("?" * len(chunk))
                sql = f"SELECT {columns} FROM insured_people p {parent} WHERE p.policy_key IN ({marks})"
                rows.extend((await conn.exec_driver_sql(sql, tuple(chunk))).all())
        else:  # one array parameter, no limit on the keys (see `_KEYS_JOIN`)
            keys = _KEYS_JOIN.format(table="insured_people p", column="p.policy_key")
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

    def line_writer(self, now: datetime) -> BillLineWriter:
        """Writes the new lines of one bills import (see `BillLineWriter`); use it as `async with`."""
        return BillLineWriter(self.session, now)

    INVOICE_COLUMNS = (
        "number", "month", "sequence", "person_id", "payer_person_id", "issued_on", "due_on", "copay_kopecks",
        "deposit_used_kopecks", "credited_kopecks", "paid_kopecks", "refunded_kopecks", "status", "created_at",
        "updated_at",
    )  # fmt: skip

    async def add_invoices(self, month: str, after: int, invoices: list[tuple]) -> dict[str, int]:
        """Inserts the invoices numbered `month`/N, N > `after` (the month's counter row locked by this
        transaction), each a tuple of `INVOICE_COLUMNS`; returns number → id of those."""
        conn = await self.session.connection()
        if invoices:
            await _PlainRows(conn, Invoice.__table__, self.INVOICE_COLUMNS).insert(invoices)
        query = select(Invoice.number, Invoice.id).where(Invoice.month == month, Invoice.sequence > after)
        return dict((await conn.execute(query)).all())

    async def add_deposit_uses(self, uses: list[dict]) -> None:
        if uses:
            await self.session.execute(insert(DepositUse), uses)

    async def accounts_of(self, person_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
        """person id → (account id, telegram id) of the account linked to that person."""
        result: dict[int, tuple[int, int]] = {}
        for chunk in chunks(set(person_ids)):
            query = select(Account.insured_person_id, Account.id, Account.telegram_id).where(
                Account.insured_person_id.in_(chunk)
            )
            result.update({person: (account, telegram) for person, account, telegram in await self.session.execute(query)})
        return result

    async def notification_choices(self, account_ids: Iterable[int], kind: str) -> tuple[dict[int, bool], dict[int, bool]]:
        """For these accounts: the stored choice of `kind` (account id → enabled, when stored), and the
        latest answer to the notifications consent (account id → granted, when asked)."""
        stored: dict[int, bool] = {}
        consent: dict[int, bool] = {}
        for chunk in chunks(set(account_ids)):
            query = select(NotificationSetting.account_id, NotificationSetting.enabled).where(
                NotificationSetting.account_id.in_(chunk), NotificationSetting.kind == kind
            )
            stored.update(dict((await self.session.execute(query)).all()))
            query = (
                select(Consent.account_id, Consent.granted)
                .where(Consent.account_id.in_(chunk), Consent.kind == "notifications")
                .order_by(Consent.at, Consent.id)
            )
            consent.update(dict((await self.session.execute(query)).all()))  # the latest wins
        return stored, consent

    async def unsettled(self) -> list[Row]:
        """Every NEW or OVERDUE invoice with its person's policy key, program and payer's policy key:
        what the daily job decides on."""
        payer = aliased(InsuredPerson)
        query = (
            select(Invoice, InsuredPerson.policy_key, InsuredPerson.program_code, payer.policy_key.label("payer_key"))
            .join(InsuredPerson, InsuredPerson.id == Invoice.person_id)
            .outerjoin(payer, payer.id == Invoice.payer_person_id)
            .where(Invoice.status.in_(("new", "overdue")))
            .order_by(Invoice.id)
        )
        return list(await self.session.execute(query))

    async def open_restrictions(self) -> list[Row]:
        """(AccessRestriction, policy key) of every restriction not restored yet."""
        query = (
            select(AccessRestriction, InsuredPerson.policy_key)
            .join(InsuredPerson, InsuredPerson.id == AccessRestriction.person_id)
            .where(AccessRestriction.restored_on.is_(None))
        )
        return list(await self.session.execute(query))

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
                update(Invoice).where(Invoice.number.in_(chunk), Invoice.status == "new")
                .values(status="overdue", updated_at=at)
            )  # fmt: skip
            changed += result.rowcount
        return changed

    def add_restriction(self, restriction: AccessRestriction) -> None:
        self.session.add(restriction)

    def notify(self, telegram_id: int, kind: str, payload: dict, at: datetime) -> None:
        """A notice in the outbox, committed (or not) with the change it tells about."""
        self.session.add(OutboxMessage(telegram_id=telegram_id, kind=kind, payload=payload, created_at=at))

    async def overdue_people(self, person_ids: Iterable[int]) -> set[int]:
        """Who of these has an OVERDUE invoice (access restricted)."""
        found: set[int] = set()
        for chunk in chunks(set(person_ids)):
            query = select(Invoice.person_id).where(Invoice.person_id.in_(chunk), Invoice.status == "overdue")
            found.update(await self.session.scalars(query))
        return found


# Keys per lookup, each twice in the statement: SQLite before 3.32 takes no more than 999 parameters.
_SQLITE_IN_CHUNK = 499 if sqlite3.sqlite_version_info < (3, 32) else 5000
_WRITE_BATCH = 5000  # rows per executemany


class _PlainRows:
    """An INSERT of plain tuples straight through the driver's executemany, each value converted by its
    column type's own bind processor, once per distinct value (dates and instants repeat): Core would
    process every value of every row, which takes longer than the database takes to store it."""

    def __init__(self, conn: AsyncConnection, table: Table, columns: tuple[str, ...]) -> None:
        self.conn = conn
        dialect = conn.dialect
        compiled = insert(table).values({c: bindparam(c) for c in columns}).compile(dialect=dialect)
        if not compiled.positional or tuple(compiled.positiontup) != columns:
            raise RuntimeError(f"{table.name}: an insert of exactly {columns} expected on {dialect.name}")
        self.sql = compiled.string
        self.convert = []
        for at, column in enumerate(columns):
            processor = table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                self.convert.append((at, _memoised(processor)))

    def row(self, values: tuple) -> tuple:
        if not self.convert:
            return values
        values = list(values)
        for at, convert in self.convert:
            values[at] = convert(values[at])
        return tuple(values)

    async def insert(self, rows: list[tuple]) -> None:
        for start in range(0, len(rows), _WRITE_BATCH):
            await self.conn.exec_driver_sql(self.sql, [self.row(row) for row in rows[start : start + _WRITE_BATCH]])


def _memoised(convert: Callable[[object], object]) -> Callable[[object], object]:
    known: dict[object, object] = {}

    def memoised(value: object) -> object:
        if value is None:
            return None
        found = known.get(value, known)
        if found is known:
            found = known[value] = convert(value)
        return found

    return memoised


class BillLineWriter:
    """The new bill lines of one import. Their invoices cannot exist before the whole file is read
    (numbering needs every line), so they are staged as the file is read, in batches (`add`), in a
    temporary table of the connection; once the invoices are in, `finish` moves them into `bill_lines`
    in one statement, each line with a co-pay given its person's new invoice, in person order (a
    person's lines land together in the lines' indexes). All in the import's transaction.

    `stored_contents` sees the staged lines as stored: a line id repeated further down the file is
    compared with its first occurrence. Rows are plain tuples in `COLUMNS` order, values already in the
    driver's form (`day`), for the driver's executemany: processing each value in Core would
    take longer than storing it. On SQLite the page cache is enlarged meanwhile, as the importer does.
    The statements are written for the two drivers the project runs on: sqlite3 (`?`) and asyncpg (`$n`)."""

    COLUMNS = (
        "id", "person_id", "clinic_id", "service_date", "service_code", "service_name", "quantity",
        "unit_price_kopecks", "cost_kopecks", "copay_kopecks", "content_hash",
    )  # fmt: skip (`imported_at`, the same for every line, is set in `finish`)
    SQLITE_CACHE_KB = 64 * 1024

    def __init__(self, session: AsyncSession, now: datetime) -> None:
        self.session = session
        self.now = now

    async def __aenter__(self) -> BillLineWriter:
        conn = self.conn = await self.session.connection()
        dialect = conn.dialect
        self.sqlite = dialect.name == "sqlite"
        if dialect.paramstyle != ("qmark" if self.sqlite else "numeric_dollar"):
            raise RuntimeError(f"bill lines are written through sqlite3 or asyncpg, not {dialect.driver}")
        table = BillLine.__table__
        columns = ", ".join(self.COLUMNS)
        if self.sqlite:
            marks = ", ".join("?" * len(self.COLUMNS))
            self.cache = (await conn.exec_driver_sql("PRAGMA cache_size")).scalar_one()
            await conn.exec_driver_sql(f"PRAGMA cache_size = -{self.SQLITE_CACHE_KB}")
            # No declared types: the values keep the storage class they came with, as in `bill_lines`.
            await conn.exec_driver_sql(f"CREATE TEMP TABLE IF NOT EXISTS {_STAGED} ({columns}, PRIMARY KEY (id))")
            await conn.exec_driver_sql(f"DELETE FROM {_STAGED}")
        else:
            marks = ", ".join(f"${n}" for n in range(1, len(self.COLUMNS) + 1))
            self.cache = None
            await conn.exec_driver_sql(
                f"CREATE TEMPORARY TABLE {_STAGED} ON COMMIT DROP AS SELECT {columns} FROM bill_lines WITH NO DATA"
            )
            await conn.exec_driver_sql(f"ALTER TABLE {_STAGED} ADD PRIMARY KEY (id)")
        self.insert_sql = f"INSERT INTO {_STAGED} ({columns}) VALUES ({marks})"
        day = table.c.service_date.type.dialect_impl(dialect).bind_processor(dialect)
        self.day = _memoised(day) if day else lambda value: value
        stamp = table.c.imported_at.type.dialect_impl(dialect).bind_processor(dialect)
        self.stamp = stamp(self.now) if stamp else self.now
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.cache is not None:
            await self.conn.exec_driver_sql(f"PRAGMA cache_size = {int(self.cache)}")

    async def stored_contents(self, line_ids: list[str]) -> dict[str, str]:
        """line id → content key (`core.billing.lines.content_key`) of the ids already imported, or staged
        by this import. Called for every few thousand lines: plain SQL, nothing compiled each time."""
        conn = self.conn
        found: dict[str, str] = {}
        if self.sqlite:
            for chunk in chunks(line_ids, _SQLITE_IN_CHUNK):
                marks = ", ".join("?" * len(chunk))
                sql = (f"SELECT id, content_hash FROM bill_lines WHERE id IN ({marks}) "
                       f"UNION ALL SELECT id, content_hash FROM {_STAGED} WHERE id IN ({marks})")  # fmt: skip
                found.update((await conn.exec_driver_sql(sql, tuple(chunk) * 2)).all())
        else:  # one array parameter, no limit on the ids (see `_KEYS_JOIN`)
            for table in ("bill_lines", _STAGED):
                sql = f"SELECT t.id, t.content_hash {_KEYS_JOIN.format(table=f'{table} t', column='t.id')}"
                found.update((await conn.exec_driver_sql(sql, (list(line_ids),))).all())
        return found

    async def add(self, rows: list[tuple]) -> None:
        for start in range(0, len(rows), _WRITE_BATCH):
            await self.conn.exec_driver_sql(self.insert_sql, rows[start : start + _WRITE_BATCH])

    async def finish(self, month: str, after: int) -> None:
        """The staged lines into `bill_lines`; those with a co-pay on their person's invoice numbered
        `month`/N, N > `after` (one per person and import)."""
        run = self.conn.exec_driver_sql
        columns = ", ".join(self.COLUMNS)
        staged = ", ".join(f"s.{column}" for column in self.COLUMNS)
        if self.sqlite:
            # Each staged line finds its invoice in a map by person: the planner would rather search the
            # month's invoices for every line.
            await run(f"CREATE TEMP TABLE IF NOT EXISTS {_INVOICE_OF} (person_id INTEGER PRIMARY KEY, invoice_id)")
            await run(f"DELETE FROM {_INVOICE_OF}")
            await run(f"INSERT INTO {_INVOICE_OF} SELECT person_id, id FROM invoices WHERE month = ? AND sequence > ?",
                      (month, after))  # fmt: skip
            await run(
                f"INSERT INTO bill_lines ({columns}, imported_at, invoice_id) "
                f"SELECT {staged}, ?, CASE WHEN s.copay_kopecks > 0 THEN m.invoice_id END "
                f"FROM {_STAGED} s LEFT JOIN {_INVOICE_OF} m ON m.person_id = s.person_id "
                "ORDER BY s.person_id, s.rowid",
                (self.stamp,),
            )
            await run(f"DROP TABLE {_INVOICE_OF}")
        else:
            await run(
                f"INSERT INTO bill_lines ({columns}, imported_at, invoice_id) "
                f"SELECT {staged}, $3::timestamptz, CASE WHEN s.copay_kopecks > 0 THEN i.id END "
                f"FROM {_STAGED} s LEFT JOIN invoices i ON i.person_id = s.person_id AND i.month = $1 "
                "AND i.sequence > $2 ORDER BY s.person_id",
                (month, after, self.stamp),
            )
        await run(f"DROP TABLE {_STAGED}")


# PostgreSQL: rows by the keys of an array parameter. Not `= ANY($1)`: asyncpg prepares each statement, and
# after a few runs PostgreSQL may keep a generic plan, one that cannot hash the array and compares every row
# scanned with every key (seconds a lookup once the table is big).
_KEYS_JOIN = "FROM unnest($1::varchar[]) AS keys(key) JOIN {table} ON {column} = keys.key"

# SQLite: temporary tables of the connection (PostgreSQL: of the session), dropped once used.
_STAGED = "bill_lines_new"  # the lines of the import being written
_INVOICE_OF = "bill_line_invoice_of"  # person id → their invoice of that import
