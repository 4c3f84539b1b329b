"""Repositories: the queries the use cases need, by name, each over the unit of work's session.

Registry lookups go by an indexed column on normalised keys (`core.normalize`): canonical policy,
name keys, E.164 phone, e-mail key. People marked removed are returned too: the caller tells "policy
not active". Their statements are built once: building one per call costs about as much as running it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import Row, Select, bindparam, func, insert, select, union, update
from sqlalchemy.ext.asyncio import AsyncSession
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


def _policy_rows() -> tuple[Select, Select]:
    viewer, parent, holder = aliased(InsuredPerson), aliased(InsuredPerson), aliased(InsuredPerson)
    rows = (
        select(InsuredPerson, Program, FranchiseActivation.effective_from, ChildLink.parent_person_id,
               parent.policy_key.label("parent_policy_key"), viewer.policy_key.label("viewer_policy_key"),
               _HAS_OVERDUE.label("overdue"))
        .select_from(InsuredPerson)
        .join(viewer, viewer.id == bindparam("viewer"))
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


def _chunks(values: Iterable, size: int = _IN_CHUNK) -> Iterable[list]:
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

    async def stored_lines(self, line_ids: Iterable[str]) -> list[Row]:
        """(BillLine, policy_key of its person) of the ids already imported."""
        rows: list[Row] = []
        for chunk in _chunks(set(line_ids)):
            query = (
                select(BillLine, InsuredPerson.policy_key)
                .join(InsuredPerson, InsuredPerson.id == BillLine.person_id)
                .where(BillLine.id.in_(chunk))
            )
            rows.extend(await self.session.execute(query))
        return rows

    async def people(self, policy_keys: Iterable[str]) -> list[Row]:
        """(InsuredPerson, the policy key of the parent who added them or None) of these policies."""
        parent = aliased(InsuredPerson)
        rows: list[Row] = []
        for chunk in _chunks(set(policy_keys)):
            query = (
                select(InsuredPerson, parent.policy_key.label("parent_policy_key"))
                .outerjoin(ChildLink, ChildLink.child_person_id == InsuredPerson.id)
                .outerjoin(parent, parent.id == ChildLink.parent_person_id)
                .where(InsuredPerson.policy_key.in_(chunk))
            )
            rows.extend(await self.session.execute(query))
        return rows

    async def person_ids(self, policy_keys: Iterable[str]) -> dict[str, int]:
        result: dict[str, int] = {}
        for chunk in _chunks(set(policy_keys)):
            query = select(InsuredPerson.policy_key, InsuredPerson.id).where(InsuredPerson.policy_key.in_(chunk))
            result.update(dict((await self.session.execute(query)).all()))
        return result

    async def programs(self, codes: Iterable[str]) -> dict[str, Program]:
        query = select(Program).where(Program.code.in_(set(codes)))
        return {program.code: program for program in await self.session.scalars(query)}

    async def known_clinics(self, clinic_ids: Iterable[str]) -> set[str]:
        known: set[str] = set()
        for chunk in _chunks(set(clinic_ids)):
            known.update(await self.session.scalars(select(Clinic.id).where(Clinic.id.in_(chunk))))
        return known

    async def deposits(self, holder_keys: Iterable[str]) -> tuple[list[Deposit], dict[str, int]]:
        """The deposits of these holders, and what each has given to invoices so far (reference → kopecks)."""
        deposits: list[Deposit] = []
        for chunk in _chunks(set(holder_keys)):
            deposits.extend(await self.session.scalars(select(Deposit).where(Deposit.holder_policy_key.in_(chunk))))
        used: dict[str, int] = {}
        for chunk in _chunks(deposit.reference for deposit in deposits):
            query = (
                select(DepositUse.deposit_reference, func.sum(DepositUse.amount_kopecks))
                .where(DepositUse.deposit_reference.in_(chunk))
                .group_by(DepositUse.deposit_reference)
            )
            used.update({reference: int(total) for reference, total in await self.session.execute(query)})
        return deposits, used

    async def add_invoices(self, invoices: list[Invoice]) -> None:
        """Inserted, their ids assigned."""
        self.session.add_all(invoices)
        await self.session.flush()

    async def add_lines(self, lines: list[dict]) -> None:
        for chunk in _chunks(lines):
            await self.session.execute(insert(BillLine), chunk)

    async def add_deposit_uses(self, uses: list[dict]) -> None:
        if uses:
            await self.session.execute(insert(DepositUse), uses)

    async def accounts_of(self, person_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
        """person id → (account id, telegram id) of the account linked to that person."""
        result: dict[int, tuple[int, int]] = {}
        for chunk in _chunks(set(person_ids)):
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
        for chunk in _chunks(set(account_ids)):
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
        for chunk in _chunks(set(person_ids)):
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
        for chunk in _chunks(numbers):
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
        for chunk in _chunks(set(person_ids)):
            query = select(Invoice.person_id).where(Invoice.person_id.in_(chunk), Invoice.status == "overdue")
            found.update(await self.session.scalars(query))
        return found
