"""The audit log as staff read it (/audit, admins): every entry with who, what, when and ids, newest first,
a page at a time, for everyone or filtered.

A filter is typed after the command:
- nothing: every entry;
- digits only (`/audit 123456789`): a Telegram id — what that Telegram user did (a staff member's actions,
  or a user's own), what was done to them (a role granted, a block…), and, when their account is linked to
  an insured person, everything about that person;
- anything else (`/audit 123/14`, `/audit №12314` for a policy number made of digits only): a policy number —
  its insured person: what was done to the person and to their account, and what their account did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from core.actors import Capability
from core.cabinet.paging import Page, page_of
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.normalize.policy import canonical_policy
from core.services.roles import RoleDirectory
from core.staff import parse_telegram_id

PER_PAGE = 8  # entries of at most ~450 characters each: a page fits one message


class AuditScope(StrEnum):
    ALL = "a"
    TELEGRAM = "t"  # value: a Telegram id
    PERSON = "p"  # value: an insured person's id


@dataclass(frozen=True, slots=True)
class AuditFilter:
    scope: AuditScope = AuditScope.ALL
    value: int = 0


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    action: str  # a core.audit.AuditAction value (or an older one the catalogue no longer names)
    actor: int | None  # the Telegram id that acted; None: the system (a job, an import, a payment notice)
    object_type: str | None
    object_id: str | None
    reason: str | None
    details: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuditPage:
    filter: AuditFilter
    page: Page
    total: int
    entries: tuple[AuditEntry, ...]


class AuditLogService:
    def __init__(self, uow: UnitOfWorkFactory, roles: RoleDirectory) -> None:
        self.uow = uow
        self.roles = roles

    async def find(self, caller: int, text: str, page: int = 0) -> AuditPage | None:
        """The filter typed after /audit, read as the module says, and its first page; None when no insured
        person has the policy number typed. Raises InputError for a policy number that cannot be one,
        Forbidden for a caller who may not read the log."""
        text = text.strip()
        async with self.uow() as uow:
            await self.roles.require(uow, caller, Capability.READ_AUDIT)
            if not text:
                chosen = AuditFilter()
            elif text.isdigit():
                chosen = AuditFilter(AuditScope.TELEGRAM, parse_telegram_id(text))
            else:
                person = await uow.people.by_policy_key(canonical_policy(text))
                if person is None:
                    return None
                chosen = AuditFilter(AuditScope.PERSON, person.id)
            return await self._page(uow, chosen, page)

    async def page(self, caller: int, chosen: AuditFilter, page: int) -> AuditPage:
        async with self.uow() as uow:
            await self.roles.require(uow, caller, Capability.READ_AUDIT)
            return await self._page(uow, chosen, page)

    async def _page(self, uow: UnitOfWork, chosen: AuditFilter, number: int) -> AuditPage:
        actors, objects = await self._matching(uow, chosen)
        total = await uow.audit.count(actors, objects)
        shown = page_of(total, number, PER_PAGE)
        rows = await uow.audit.newest(shown.start, PER_PAGE, actors, objects)
        entries = tuple(
            AuditEntry(r.at, r.action, r.actor_telegram_id, r.object_type, r.object_id, r.reason, dict(r.details or {}))
            for r in rows
        )
        return AuditPage(chosen, shown, total, entries)

    @staticmethod
    async def _matching(uow: UnitOfWork, chosen: AuditFilter) -> tuple[tuple[int, ...], tuple[tuple[str, str], ...]]:
        """(actors, objects) whose entries the filter shows; both empty: every entry."""
        if chosen.scope is AuditScope.ALL:
            return (), ()
        if chosen.scope is AuditScope.TELEGRAM:
            telegram_id = chosen.value
            objects = [("telegram_user", str(telegram_id))]
            account = await uow.accounts.by_telegram_id(telegram_id)
            person_id = None
            if account is not None:
                objects.append(("account", str(account.id)))
                person_id = account.insured_person_id
            if person_id is not None:
                objects += [("insured_person", str(person_id)), ("person", str(person_id))]
            return (telegram_id,), tuple(objects)
        person_id = chosen.value
        objects = [("insured_person", str(person_id)), ("person", str(person_id))]
        actors: tuple[int, ...] = ()
        linked = await uow.accounts.linked_to([person_id])
        if person_id in linked:
            telegram_id = linked[person_id]
            actors = (telegram_id,)
            objects.append(("telegram_user", str(telegram_id)))
            account = await uow.accounts.by_telegram_id(telegram_id)
            if account is not None:
                objects.append(("account", str(account.id)))
        return actors, tuple(objects)
