"""The support desk's use cases: finding people (/find), one person's full record (audited), and the
account actions on it. Each call re-reads the caller's role in its own transaction (`RoleDirectory.require`)
and raises `core.actors.Forbidden` when the role lacks the capability, whatever the front end showed.

Lists carry masked data only (core.desk.masks); the full record is what staff ask for, and each view of
it is audited. Audit rows carry ids and reason codes, never the data itself.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from core.actors import Capability, Role
from core.audit import AuditAction
from core.calendar import Clock
from core.db.models import BlockedUser, InsuredPerson, Invite
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.desk.actions import NEEDS, AccountAction, RecordState, actions_for, applies
from core.desk.masks import mask_email, mask_name, mask_phone, mask_policy
from core.desk.query import Form, Lookup, read_query
from core.gateways import DeliveryError
from core.gateways.email import EmailSender
from core.limits import Counter, reached, window
from core.matching import ADULT_AGE
from core.normalize import age_on, is_latin_key, same_name
from core.registration import registry_keys
from core.services.erasure import DialogStore, erase
from core.services.invites import INVITE_TTL
from core.services.policies import full_name
from core.services.roles import RoleDirectory

DIALOG_LIFETIME = timedelta(days=1)  # an abandoned dialog expires after a day (bot/factory/telegram.py)
InviteLink = Callable[[str], str]  # token -> the deep link
InviteMail = Callable[[str], tuple[str, str]]  # link -> (subject, body)


# --- what /find lists


@dataclass(frozen=True)
class FoundPerson:
    person_id: int
    name: str  # masked: surname and initials
    policy: str  # masked
    birth_year: int
    phone: str | None  # masked
    email: str | None  # masked
    registered: bool
    blocked: bool


@dataclass(frozen=True)
class Found:
    forms: tuple[Form, ...]  # what the text was read as; () when nothing
    people: tuple[FoundPerson, ...]


# --- one record


@dataclass(frozen=True)
class PersonCard:
    person_id: int
    full_name: str
    birth_date: date
    policy_number: str
    personnel_number: str | None
    phone: str | None
    email: str | None
    category: str
    employer: str
    contract_number: str
    program_code: str
    valid_from: date
    valid_to: date
    removed_on: date | None


@dataclass(frozen=True)
class Relative:
    relation: str  # holder | relative | child | parent
    person_id: int
    full_name: str
    policy_number: str
    birth_date: date


@dataclass(frozen=True)
class AccountState:
    account_id: int
    telegram_id: int
    language: str | None
    phone: str | None
    email: str | None
    created_at: datetime
    registered_at: datetime | None
    autopay: bool


@dataclass(frozen=True)
class BlockState:
    telegram_id: int
    blocked_at: datetime
    blocked_by: int


@dataclass(frozen=True)
class ConsentState:
    kind: str
    version: str
    granted: bool
    at: datetime


@dataclass(frozen=True)
class Attempt:
    at: datetime
    action: str  # registration.submit | registration.refused | registration.linked
    reason: str | None  # core.matching.Reason
    telegram_id: int | None
    locked: bool  # the submission met a locked key


@dataclass(frozen=True)
class KeyLock:
    kind: str  # number | person
    failures: int  # today's failed submissions naming it
    locked: bool


@dataclass(frozen=True)
class InvoiceState:
    invoice_id: int
    number: str
    status: str
    issued_on: date
    due_on: date
    copay_kopecks: int
    paid_kopecks: int
    insured_person_id: int
    payer_person_id: int | None


@dataclass(frozen=True)
class RefundState:
    provider_id: str | None
    status: str
    amount_kopecks: int


@dataclass(frozen=True)
class PaymentState:
    payment_id: int
    provider_id: str | None
    kind: str
    status: str
    amount_kopecks: int
    created_at: datetime
    anomaly: str | None
    refunds: tuple[RefundState, ...]


@dataclass(frozen=True)
class RequestState:
    number: int
    kind: str
    created_at: datetime


@dataclass(frozen=True)
class DisputeState:
    dispute_id: int
    invoice_number: str
    deadline: date


@dataclass(frozen=True)
class Record:
    person: PersonCard
    relatives: tuple[Relative, ...]
    account: AccountState | None
    blocks: tuple[BlockState, ...]
    consents: tuple[ConsentState, ...]
    attempts: tuple[Attempt, ...]
    locks: tuple[KeyLock, ...]
    submissions_today: int | None  # the account's Telegram user's, when there is an account
    invoices: tuple[InvoiceState, ...]
    payments: tuple[PaymentState, ...]
    requests: tuple[RequestState, ...]
    disputes: tuple[DisputeState, ...]
    actions: tuple[AccountAction, ...]  # what this caller may do on it now


# --- what an action did


@dataclass(frozen=True)
class Outcome:
    action: AccountAction
    done: bool
    reason: str = ""  # why not, when not done: not_applicable | no_email | delivery_failed
    email: str | None = None  # RESEND_INVITE: where it went, masked
    link: str | None = None  # RESEND_INVITE with no e-mail, to an admin: the link itself


class DeskService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        roles: RoleDirectory,
        email: EmailSender,
        pseudonym: Callable[[str, str], str],
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.roles = roles
        self.email = email
        self.pseudonym = pseudonym  # registration's: the keys a lock is counted under

    # --- find

    async def find(self, staff_telegram_id: int, text: str, *, audit: bool = True) -> Found:
        """The people `text` names in any form /find takes, masked, by surname. `audit`: the command (a
        page turned re-runs it without a new row)."""
        lookups = read_query(text, self.clock.today())
        async with self.uow() as uow:
            await self.roles.require(uow, staff_telegram_id, Capability.FIND_PEOPLE)
            ids: list[int] = []
            for lookup in lookups:
                ids += await self._lookup(uow, lookup)
            rows = await uow.desk.listed(ids)
            people = tuple(_found(row.InsuredPerson, row.telegram_id, bool(row.blocked)) for row in rows)
            if audit:
                uow.audit.record(
                    self.clock.now(),
                    AuditAction.DESK_FIND,
                    actor=staff_telegram_id,
                    reason=",".join(lookup.form.value for lookup in lookups) or "none",
                    listed=len(people),
                )
                await uow.commit()
        return Found(tuple(lookup.form for lookup in lookups), people)

    async def _lookup(self, uow: UnitOfWork, lookup: Lookup) -> list[int]:
        match lookup.form:
            case Form.PHONE:
                return await uow.desk.by_phone(lookup.key)
            case Form.NUMBER:
                return await uow.desk.by_number(lookup.key)
            case Form.EMAIL:
                return await uow.desk.by_email_key(lookup.key)
            case Form.TELEGRAM_ID:
                return await uow.desk.by_telegram_id(int(lookup.key))
            case Form.INVOICE:
                return await uow.desk.by_invoice(lookup.key)
            case Form.PAYMENT:
                return await uow.desk.by_payment(lookup.key)
            case Form.NAME:
                if is_latin_key(lookup.key):  # the passport spelling: only with a birth date
                    if lookup.born is None:
                        return []
                    rows = await uow.desk.by_birth_date(lookup.born)
                    return [
                        row.id
                        for row in rows
                        if same_name(row.last_name_key, lookup.key)
                        and (not lookup.first or same_name(row.first_name_key, lookup.first))
                    ]
                rows = await uow.desk.by_name(lookup.key, lookup.first, lookup.born)
                return [row.id for row in rows if not lookup.patronymic or row.patronymic_key == lookup.patronymic]
        return []

    # --- the record

    async def record(self, staff_telegram_id: int, person_id: int) -> Record | None:
        """One person in full; None when there is no such person. Each view is audited."""
        async with self.uow() as uow:
            role = await self.roles.require(uow, staff_telegram_id, Capability.VIEW_RECORD)
            person = await uow.people.get(person_id)
            if person is None:
                return None
            record = await self._record(uow, person, role)
            uow.audit.record(
                self.clock.now(),
                AuditAction.RECORD_VIEWED,
                actor=staff_telegram_id,
                object_type="insured_person",
                object_id=person_id,
            )
            await uow.commit()
        return record

    async def _record(self, uow: UnitOfWork, person: InsuredPerson, role: Role) -> Record:
        account = await uow.desk.account_of(person.id)
        telegram_id = account.telegram_id if account else None
        blocks = await self._blocks(uow, person.id, telegram_id)
        locks = await self._locks(uow, person)
        submissions = (
            await uow.counters.get(Counter.REGISTRATION_SUBMITS, str(telegram_id), window(self.clock.today()))
            if telegram_id is not None
            else None
        )
        payments = await uow.desk.payments(person.id)
        refunds: dict[int, list[RefundState]] = {}
        for refund in await uow.desk.refunds(p.id for p in payments):
            refunds.setdefault(refund.payment_id, []).append(
                RefundState(refund.provider_id, refund.status, refund.amount_kopecks)
            )
        registering = await self._registering(uow, person.id, telegram_id)
        state = self._state(person, telegram_id, blocks, locks, submissions, registering)
        return Record(
            person=_card(person),
            relatives=tuple(
                Relative(relation, r.id, full_name(r), r.policy_number, r.birth_date)
                for relation, r in await uow.desk.relatives(person)
            ),
            account=None
            if account is None
            else AccountState(
                account.id,
                account.telegram_id,
                account.language,
                account.phone,
                account.email,
                self.clock.local(account.created_at),
                self.clock.local(account.registered_at) if account.registered_at else None,
                account.autopay,
            ),
            blocks=tuple(BlockState(b.telegram_id, self.clock.local(b.blocked_at), b.blocked_by) for b in blocks),
            consents=tuple(
                ConsentState(c.kind, c.version, c.granted, self.clock.local(c.at))
                for c in (await uow.desk.consents(account.id) if account else [])
            ),
            attempts=tuple(
                Attempt(
                    self.clock.local(e.at),
                    e.action,
                    e.reason,
                    e.actor_telegram_id,
                    bool((e.details or {}).get("locked")),
                )
                for e in await uow.desk.registration_events(person.id, telegram_id)
            ),
            locks=locks,
            submissions_today=submissions,
            invoices=tuple(
                InvoiceState(
                    i.id,
                    i.number,
                    i.status,
                    i.issued_on,
                    i.due_on,
                    i.copay_kopecks,
                    i.paid_kopecks,
                    i.person_id,
                    i.payer_person_id,
                )
                for i in await uow.desk.invoices(person.id)
            ),
            payments=tuple(
                PaymentState(
                    p.id,
                    p.provider_id,
                    p.kind,
                    p.status,
                    p.amount_kopecks,
                    self.clock.local(p.created_at),
                    p.anomaly,
                    tuple(refunds.get(p.id, ())),
                )
                for p in payments
            ),
            requests=tuple(
                RequestState(r.id, r.kind, self.clock.local(r.created_at))
                for r in await uow.desk.open_requests(person.id, account.id if account else None)
            ),
            disputes=tuple(
                DisputeState(d.Dispute.id, d.number, d.Dispute.deadline)
                for d in await uow.desk.open_disputes(person.id)
            ),
            actions=actions_for(role, state),
        )

    async def _blocks(self, uow: UnitOfWork, person_id: int, telegram_id: int | None) -> list[BlockedUser]:
        blocks = await uow.blocks.of_person(person_id)
        if telegram_id is not None and all(b.telegram_id != telegram_id for b in blocks):
            own = await uow.blocks.get(telegram_id)
            if own is not None:
                blocks.append(own)
        return blocks

    def _keys(self, person: InsuredPerson) -> list[tuple[str, str]]:
        """(kind, pseudonymous key) of the registry keys a submission naming this person would name."""
        keys = registry_keys(
            person.policy_key, person.personnel_key, person.last_name_key, person.first_name_key, person.birth_date
        )
        return [(kind, self.pseudonym(kind, value)) for kind, value in keys]

    async def _locks(self, uow: UnitOfWork, person: InsuredPerson) -> tuple[KeyLock, ...]:
        keys = self._keys(person)
        counts = await uow.counters.counts(
            Counter.REGISTRATION_KEY_FAILURES, [key for _, key in keys], window(self.clock.today())
        )
        return tuple(
            KeyLock(kind, counts.get(key, 0), reached(Counter.REGISTRATION_KEY_FAILURES, counts.get(key, 0)))
            for kind, key in keys
        )

    def _state(
        self,
        person: InsuredPerson,
        telegram_id: int | None,
        blocks: list[BlockedUser],
        locks: Iterable[KeyLock],
        submissions: int | None,
        registering: list[int],
    ) -> RecordState:
        used_up = submissions is not None and reached(Counter.REGISTRATION_SUBMITS, submissions)
        return RecordState(
            telegram_id=telegram_id,
            blocked=bool(blocks),
            locked=used_up or any(lock.failures for lock in locks),
            adult=age_on(person.birth_date, self.clock.today()) >= ADULT_AGE,
            registering=bool(registering),
        )

    async def _registering(self, uow: UnitOfWork, person_id: int, telegram_id: int | None) -> list[int]:
        """Other Telegram users whose submissions matched this person within a registration dialog's life
        (a day): the ones whose dialog a reset clears, besides the account's."""
        since = self.clock.now() - DIALOG_LIFETIME
        return [user for user in await uow.desk.submitters_since(person_id, since) if user != telegram_id]

    # --- account actions

    async def perform(
        self,
        staff_telegram_id: int,
        person_id: int,
        action: AccountAction,
        *,
        dialogs: DialogStore | None = None,
        invite_link: InviteLink | None = None,
        invite_mail: InviteMail | None = None,
    ) -> Outcome | None:
        """Does `action` on the person's record (confirmed by the caller's front end); None when there is
        no such person. Forbidden unless the caller's role, re-read here, has the capability. Audited."""
        now = self.clock.now()
        async with self.uow() as uow:
            role = await self.roles.require(uow, staff_telegram_id, NEEDS[action])
            person = await uow.people.get(person_id)
            if person is None:
                return None
            account = await uow.desk.account_of(person.id)
            telegram_id = account.telegram_id if account else None
            blocks = await self._blocks(uow, person.id, telegram_id)
            locks = await self._locks(uow, person)
            submissions = (
                await uow.counters.get(Counter.REGISTRATION_SUBMITS, str(telegram_id), window(self.clock.today()))
                if telegram_id is not None
                else None
            )
            registering = await self._registering(uow, person.id, telegram_id)
            if not applies(action, self._state(person, telegram_id, blocks, locks, submissions, registering)):
                return Outcome(action, False, "not_applicable")

            about = {"actor": staff_telegram_id, "object_type": "insured_person", "object_id": person.id}
            match action:
                case AccountAction.UNLINK:
                    await uow.cards.remove_all(person.id, now)
                    account.insured_person_id = None
                    account.phone = None
                    account.email = account.email_key = None
                    account.registered_at = None
                    account.services_shared_with = account.services_shared_at = None
                    account.autopay = False
                    uow.account_changed(account.telegram_id)
                    uow.audit.record(
                        now, AuditAction.ACCOUNT_UNLINKED, **about, telegram_id=account.telegram_id, account=account.id
                    )
                case AccountAction.ERASE:
                    if dialogs is None:
                        raise ValueError("erasing needs the dialog store")
                    uow.audit.record(
                        now, AuditAction.ACCOUNT_ERASED, **about, telegram_id=account.telegram_id, account=account.id
                    )
                    await erase(uow, account, now)
                case AccountAction.BLOCK:
                    uow.blocks.add(
                        BlockedUser(
                            telegram_id=account.telegram_id,
                            person_id=person.id,
                            blocked_at=now,
                            blocked_by=staff_telegram_id,
                        )
                    )
                    uow.account_changed(account.telegram_id)
                    uow.audit.record(now, AuditAction.USER_BLOCKED, **about, telegram_id=account.telegram_id)
                case AccountAction.UNBLOCK:
                    for block in blocks:
                        await uow.blocks.remove(block.telegram_id)
                        uow.account_changed(block.telegram_id)
                        uow.audit.record(now, AuditAction.USER_UNBLOCKED, **about, telegram_id=block.telegram_id)
                case AccountAction.LIFT_LOCK:
                    day = window(self.clock.today())
                    keys = [key for _, key in self._keys(person)]
                    lifted = await uow.counters.reset(Counter.REGISTRATION_KEY_FAILURES, keys, day)
                    day_start = datetime.combine(self.clock.today(), time(), self.clock.zone)
                    users = set(await uow.desk.submitters_since(person.id, day_start))
                    if telegram_id is not None:
                        users.add(telegram_id)
                    lifted += await uow.counters.reset(Counter.REGISTRATION_SUBMITS, map(str, users), day)
                    uow.audit.record(now, AuditAction.LOCK_LIFTED, **about, counters=lifted)
                case AccountAction.RESET_DIALOG:
                    if dialogs is None:
                        raise ValueError("resetting a dialog needs the dialog store")
                    for user in ([telegram_id] if telegram_id is not None else []) + registering:
                        await dialogs.reset(user)
                        uow.audit.record(now, AuditAction.DIALOG_RESET, **about, telegram_id=user)
                case AccountAction.RESEND_INVITE:
                    outcome = await self._invite(uow, person, role, invite_link, invite_mail, about)
                    if not outcome.done:
                        return outcome
                    await uow.commit()
                    return outcome
            await uow.commit()
        if action is AccountAction.ERASE:
            await dialogs.reset(telegram_id)
        return Outcome(action, True)

    async def _invite(
        self,
        uow: UnitOfWork,
        person: InsuredPerson,
        role: Role,
        invite_link: InviteLink | None,
        invite_mail: InviteMail | None,
        about: dict,
    ) -> Outcome:
        """A new link mailed to the registry's address; with none, shown to an admin (support is told to
        ask one)."""
        if invite_link is None or invite_mail is None:
            raise ValueError("an invite needs its link and mail")
        if not person.email and role is not Role.ADMIN:
            return Outcome(AccountAction.RESEND_INVITE, False, "no_email")
        now = self.clock.now()
        token = secrets.token_urlsafe(24)
        uow.invites.add(Invite(token=token, person_id=person.id, created_at=now, expires_at=now + INVITE_TTL))
        link = invite_link(token)
        if not person.email:
            uow.audit.record(now, AuditAction.INVITE_RESENT, **about, reason="shown")
            return Outcome(AccountAction.RESEND_INVITE, True, link=link)
        subject, body = invite_mail(link)
        try:
            await self.email.send(person.email, subject, body)
        except DeliveryError:
            return Outcome(AccountAction.RESEND_INVITE, False, "delivery_failed", email=mask_email(person.email))
        uow.audit.record(now, AuditAction.INVITE_RESENT, **about, reason="emailed")
        return Outcome(AccountAction.RESEND_INVITE, True, email=mask_email(person.email))

    # --- blocked users

    async def notice_due(self, telegram_id: int) -> bool:
        """A blocked user's one line a day: whether it is due now (and taken)."""
        async with self.uow() as uow:
            due = await uow.blocks.claim_notice(telegram_id, self.clock.today())
            await uow.commit()
        return due


def _found(person: InsuredPerson, telegram_id: int | None, blocked: bool) -> FoundPerson:
    return FoundPerson(
        person_id=person.id,
        name=mask_name(person.last_name, person.first_name, person.patronymic),
        policy=mask_policy(person.policy_number),
        birth_year=person.birth_date.year,
        phone=mask_phone(person.phone) if person.phone else None,
        email=mask_email(person.email) if person.email else None,
        registered=telegram_id is not None,
        blocked=blocked,
    )


def _card(person: InsuredPerson) -> PersonCard:
    return PersonCard(
        person_id=person.id,
        full_name=full_name(person),
        birth_date=person.birth_date,
        policy_number=person.policy_number,
        personnel_number=person.personnel_number,
        phone=person.phone,
        email=person.email,
        category=person.category,
        employer=person.employer,
        contract_number=person.contract_number,
        program_code=person.program_code,
        valid_from=person.valid_from,
        valid_to=person.valid_to,
        removed_on=person.removed_on,
    )
