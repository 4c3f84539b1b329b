"""Repositories: the queries the use cases need, by name, each over the unit of work's session.

Registry lookups go by an indexed column on normalised keys (`core.normalize`): canonical policy,
name keys, E.164 phone, e-mail key. People marked removed are returned too: the caller tells "policy
not active". Their statements are built once: building one per call costs about as much as running it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import Row, Select, bindparam, func, select, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, lazyload

from core.db.models import (
    Account,
    AuditEvent,
    ChildLink,
    Clinic,
    Consent,
    FranchiseActivation,
    InsuredPerson,
    NotificationSetting,
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
        added them and that parent's policy key, and the viewer's own policy key (to tell the relation)."""
        if person_id is not None:
            return list(await self.session.execute(_POLICY_ROW, {"viewer": viewer_person_id, "person": person_id}))
        return list(await self.session.execute(_LINKED_POLICY_ROWS, {"viewer": viewer_person_id}))


def _policy_rows() -> tuple[Select, Select]:
    viewer, parent, holder = aliased(InsuredPerson), aliased(InsuredPerson), aliased(InsuredPerson)
    rows = (
        select(InsuredPerson, Program, FranchiseActivation.effective_from, ChildLink.parent_person_id,
               parent.policy_key.label("parent_policy_key"), viewer.policy_key.label("viewer_policy_key"))
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
