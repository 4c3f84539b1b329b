"""Registration use cases: consents, matching against the registry, invites, linking the account."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.exc import IntegrityError

from core.calendar import Clock
from core.db.models import Consent, InsuredPerson, Invite
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.matching import Candidate, Contact, Decision, Reason, decide, decide_invite
from core.registration import MATCH_ATTEMPTS_PER_DAY, Way, claim_of
from core.services.accounts import ensure_account

MATCH_ACTION = "registration.match"
REQUIRED_CONSENTS = ("personal_data", "rules")
CONSENT_KINDS = (*REQUIRED_CONSENTS, "notifications")


def candidate_of(person: InsuredPerson, linked_telegram_id: int | None) -> Candidate:
    return Candidate(
        person_id=person.id,
        policy_key=person.policy_key,
        personnel_key=person.personnel_key,
        last_name_key=person.last_name_key,
        first_name_key=person.first_name_key,
        patronymic_key=person.patronymic_key,
        birth_date=person.birth_date,
        valid_from=person.valid_from,
        valid_to=person.valid_to,
        removed_on=person.removed_on,
        phone=person.phone,
        email_key=person.email_key,
        linked_telegram_id=linked_telegram_id,
    )


class RegistrationService:
    """Each method is one short transaction; the dialog itself lives in the FSM, between calls."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, *, trust_contact: bool) -> None:
        self.uow = uow
        self.clock = clock
        self.trust_contact = trust_contact

    # --- consents

    async def record_consent(self, telegram_id: int, kind: str, version: str, granted: bool) -> None:
        async with self.uow() as uow:
            account = await ensure_account(uow, telegram_id, self.clock)
            uow.session.add(Consent(account_id=account.id, kind=kind, version=version, granted=granted,
                                    at=self.clock.now()))
            uow.audit.record(self.clock.now(), "consent", actor=telegram_id, object_type="account",
                             object_id=account.id, reason=kind, granted=int(granted), version=version)
            await uow.commit()

    async def has_required_consents(self, telegram_id: int, versions: dict[str, str]) -> bool:
        """Both required consents granted in their current text version (the latest answer counts)."""
        async with self.uow() as uow:
            account = await uow.accounts.by_telegram_id(telegram_id)
            if account is None:
                return False
            for kind in REQUIRED_CONSENTS:
                latest = await uow.accounts.latest_consent(account.id, kind)
                if latest is None or not latest.granted or latest.version != versions[kind]:
                    return False
            return True

    # --- invites

    async def invite_valid(self, token: str) -> bool:
        async with self.uow() as uow:
            return await self._invited(uow, token) is not None

    async def _invited(self, uow: UnitOfWork, token: str) -> InsuredPerson | None:
        invite = await uow.session.get(Invite, token)
        if invite is None or invite.used_at is not None or invite.expires_at <= self.clock.now():
            return None
        return await uow.people.get(invite.person_id)

    # --- matching

    async def attempts_left(self, telegram_id: int) -> int:
        since = self.clock.now() - timedelta(days=1)
        async with self.uow() as uow:
            used = await uow.audit.count_since(telegram_id, MATCH_ACTION, since)
        return max(0, MATCH_ATTEMPTS_PER_DAY - used)

    async def match(self, telegram_id: int, way: Way, answers: dict, invite_token: str | None = None) -> Decision:
        """Decide on what the user gave; every decision but "ask for the e-mail" counts as an attempt."""
        async with self.uow() as uow:
            decision = await self._decide(uow, telegram_id, way, answers, invite_token)
            if decision.reason is not Reason.NEED_EMAIL:
                uow.audit.record(self.clock.now(), MATCH_ACTION, actor=telegram_id, object_type="insured_person",
                                 object_id=decision.person_id, reason=decision.reason.value, way=way.value)
                await uow.commit()
            return decision

    async def registry_email(self, person_id: int) -> str | None:
        async with self.uow() as uow:
            person = await uow.people.get(person_id)
            return person.email if person else None

    async def complete(self, telegram_id: int, way: Way, answers: dict, invite_token: str | None) -> Decision:
        """The channels are proven: decide again on fresh data, then link or tell the exact reason."""
        async with self.uow() as uow:
            decision = await self._decide(uow, telegram_id, way, answers, invite_token)
            if decision.reason is Reason.FOUND:
                try:
                    await self._link(uow, telegram_id, decision.person_id, answers, invite_token)
                    return decision
                except IntegrityError:
                    # Someone linked the same person, phone or e-mail a moment ago: tell them why.
                    await uow.rollback()
        async with self.uow() as uow:
            if decision.reason is Reason.FOUND:
                decision = await self._decide(uow, telegram_id, way, answers, invite_token)
                if decision.reason is Reason.FOUND:
                    raise RuntimeError("linking failed on a constraint the registry does not explain")
            uow.audit.record(self.clock.now(), "registration.refused", actor=telegram_id,
                             object_type="insured_person", object_id=decision.person_id,
                             reason=decision.reason.value, way=way.value)
            await uow.commit()
            return decision

    async def _link(
        self, uow: UnitOfWork, telegram_id: int, person_id: int, answers: dict, invite_token: str | None
    ) -> None:
        now = self.clock.now()
        account = await ensure_account(uow, telegram_id, self.clock)
        person = await uow.people.get(person_id)
        account.insured_person_id = person_id
        account.phone = answers["phone"]
        # Only a proven e-mail becomes the account's: by an e-mail code, or by the invite mailed to it.
        proven = answers.get("email_proven") or invite_token
        if proven and person.email_key and await uow.accounts.email_owner(person.email_key) in (None, telegram_id):
            account.email, account.email_key = person.email, person.email_key
        account.registered_at = now
        if invite_token:
            invite = await uow.session.get(Invite, invite_token)
            invite.used_at = now
        uow.account_changed(telegram_id)
        uow.audit.record(now, "registration.linked", actor=telegram_id, object_type="insured_person",
                         object_id=person_id, way=answers.get("way"))
        await uow.session.flush()
        await uow.commit()

    async def _decide(
        self, uow: UnitOfWork, telegram_id: int, way: Way, answers: dict, invite_token: str | None
    ) -> Decision:
        today: date = self.clock.today()
        contact = await self._contact(uow, telegram_id, answers)
        if way is Way.INVITE:
            person = await self._invited(uow, invite_token) if invite_token else None
            if person is None:
                return Decision(Reason.WRONG_POLICY)
            [candidate] = await self._candidates(uow, [person])
            return decide_invite(candidate, answers["number_key"], contact, today)
        claim = claim_of(answers)
        if claim.number_key is not None:
            rows = await uow.people.by_personnel_key(claim.number_key)
            by_policy = await uow.people.by_policy_key(claim.number_key)
            rows = ([by_policy] if by_policy else []) + [r for r in rows if r is not by_policy]
        else:
            rows = await uow.people.by_name_birth(claim.last_name_key, claim.first_name_key, claim.birth_date)
        return decide(claim, await self._candidates(uow, rows), contact, today, trust_contact=self.trust_contact)

    @staticmethod
    async def _candidates(uow: UnitOfWork, rows: list[InsuredPerson]) -> list[Candidate]:
        linked = await uow.accounts.linked_to([row.id for row in rows])
        return [candidate_of(row, linked.get(row.id)) for row in rows]

    @staticmethod
    async def _contact(uow: UnitOfWork, telegram_id: int, answers: dict) -> Contact:
        phone, key = answers.get("phone"), answers.get("email_key")
        phone_owner = await uow.accounts.phone_owner(phone) if phone else None
        email_owner = await uow.accounts.email_owner(key) if key else None
        return Contact(telegram_id, phone=phone, phone_verified=bool(answers.get("phone_verified")),
                       email_key=key, phone_owner=phone_owner, email_owner=email_owner)
