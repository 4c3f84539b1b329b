"""Registration use cases: consents, submissions of details (with the attempt limits and key locks
that keep the registry from being probed), one-time codes, linking the account.

Privacy: whatever the details, a submission answers the same; a code goes out only when they match
the registry row whose phone (or e-mail) was given. Until a channel is proven, nothing tells a match
from a miss; after, the exact reason is told.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError

from core.audit import AuditAction
from core.calendar import Clock
from core.db.models import Consent, InsuredPerson
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.language import LANGUAGES
from core.limits import Counter, left, reached, window
from core.matching import (
    Candidate,
    Channel,
    Contact,
    Decision,
    Reason,
    claim_matches,
    decide,
    decide_invite,
    needs_birth_date_lookup,
)
from core.registration import (
    REQUIRED_CONSENTS,
    Dialog,
    Way,
    claim_keys,
    claim_of,
)
from core.services.accounts import ensure_account
from core.services.codes import CodeDelivery, Message, Sent
from core.services.otp import Verified

log = logging.getLogger(__name__)

Render = Callable[[str, str], Message]  # (channel, code) -> the message carrying the code


@dataclass(frozen=True)
class Submitted:
    person_id: int | None = None  # the matched row (server side only)
    channels: tuple[Channel, ...] = ()  # to prove, in order
    too_many: bool = False  # the user's submissions for today are used up: nothing was checked
    wrong_policy: bool = False  # invite link: the number typed is not the invited person's
    sent: Sent | None = None  # the first code (real or not: it reads the same)


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

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        codes: CodeDelivery,
        pseudonym: Callable[[str, str], str],
        *,
        trust_contact: bool,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.codes = codes
        self.pseudonym = pseudonym  # a keyed hash: audit rows name the keys a submission tried, not their values
        self.trust_contact = trust_contact

    # --- consents

    async def record_consent(self, telegram_id: int, kind: str, version: str, granted: bool) -> None:
        async with self.uow() as uow:
            account = await ensure_account(uow, telegram_id, self.clock)
            uow.accounts.add(
                Consent(account_id=account.id, kind=kind, version=version, granted=granted, at=self.clock.now())
            )
            uow.audit.record(
                self.clock.now(),
                AuditAction.CONSENT,
                actor=telegram_id,
                object_type="account",
                object_id=account.id,
                reason=kind,
                granted=int(granted),
                version=version,
            )
            await uow.commit()

    async def has_required_consents(self, telegram_id: int, versions: dict[str, str]) -> bool:
        """Both required consents granted in their current text version (the latest answer counts)."""
        async with self.uow.reading() as uow:
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
        invite = await uow.invites.get(token)
        if invite is None or invite.used_at is not None or invite.expires_at <= self.clock.now():
            return None
        return await uow.people.get(invite.person_id)

    # --- submissions

    async def submissions_left(self, telegram_id: int) -> int:
        async with self.uow.reading() as uow:
            used = await uow.counters.get(Counter.REGISTRATION_SUBMITS, str(telegram_id), self._window())
        return left(Counter.REGISTRATION_SUBMITS, used)

    async def submit(self, telegram_id: int, dialog: Dialog, render: Render) -> Submitted:
        """The details with the phone (or, `dialog.by_email`, with the e-mail too) are checked; the first
        code goes out only on a match, and is issued all the same otherwise (never sent), so the answer,
        the cooldown and the tries read the same. Every submission counts towards the daily limit; one
        that matches no row counts as failed against each key it names, and a key failed
        KEY_FAILURES_PER_DAY times today matches nothing more today."""
        now = self.clock.now()
        async with self.uow() as uow:
            subject, window = str(telegram_id), self._window()
            if reached(
                Counter.REGISTRATION_SUBMITS, await uow.counters.get(Counter.REGISTRATION_SUBMITS, subject, window)
            ):
                return Submitted(too_many=True)
            decision, failed_keys, locked = await self._decide(uow, telegram_id, dialog)
            uow.audit.record(
                now,
                AuditAction.REGISTRATION_SUBMIT,
                actor=telegram_id,
                object_type="insured_person",
                object_id=decision.person_id,
                reason=decision.reason.value,
                way=dialog.way.value,
                by_email=int(dialog.by_email),
                locked=int(locked),
            )
            await uow.counters.bump(Counter.REGISTRATION_SUBMITS, subject, window)
            for key in failed_keys:
                await uow.counters.bump(Counter.REGISTRATION_KEY_FAILURES, key, window)
                uow.audit.record(
                    now,
                    AuditAction.REGISTRATION_KEY_FAILED,
                    actor=telegram_id,
                    object_type="registry_key",
                    object_id=key,
                )
            await uow.commit()
        if dialog.way is Way.INVITE and decision.reason is Reason.WRONG_POLICY:
            return Submitted(wrong_policy=True)  # who holds the link has proven the e-mail: say what is wrong
        proving = decision.person_id is not None and not decision.refused_unproven
        if proving and not decision.channels:
            return Submitted(decision.person_id, ())  # a trusted own contact: nothing more to prove
        channels = decision.channels if proving else ()
        first = channels[0] if channels else (Channel.EMAIL if dialog.by_email else Channel.SMS)
        sent = await self._send(telegram_id, dialog, first, render, decision.person_id if proving else None)
        return Submitted(decision.person_id if proving else None, channels, sent=sent)

    async def send_code(self, telegram_id: int, dialog: Dialog, render: Render, *, again: bool) -> Sent:
        """The code the dialog waits for: `again` when the user asks for it once more; else the first
        code of the next channel once another is proven, with no cooldown (the earlier submission's
        code to the same phone must not hold it up)."""
        return await self._send(
            telegram_id, dialog, dialog.channel, render, dialog.person_id, cooldown=again or not dialog.proven
        )

    async def check_code(self, telegram_id: int, dialog: Dialog, code: str) -> Verified:
        return await self.codes.check(telegram_id, dialog.channel, self._destination(dialog, dialog.channel), code)

    async def seconds_until_resend(self, telegram_id: int, dialog: Dialog) -> int:
        channel = dialog.channel
        return await self.codes.seconds_until_resend(telegram_id, channel, self._destination(dialog, channel))

    async def _send(
        self,
        telegram_id: int,
        dialog: Dialog,
        channel: Channel,
        render: Render,
        person_id: int | None,
        *,
        cooldown: bool = True,
    ) -> Sent:
        """A real code for the matched `person_id`; for none, one issued but never sent."""
        destination = self._destination(dialog, channel)
        if person_id is not None and channel == Channel.EMAIL:
            # The same address as typed, up to case: the mail goes to the registry's spelling of it.
            async with self.uow() as uow:
                destination = (await uow.people.get(person_id)).email or destination
        return await self.codes.send(
            telegram_id,
            channel,
            destination,
            lambda code: render(channel, code),
            deliver=person_id is not None,
            cooldown=cooldown,
        )

    @staticmethod
    def _destination(dialog: Dialog, channel: Channel) -> str:
        # By e-mail, a match means the typed address is the registry's: the code goes to what was typed.
        return dialog.answers["phone"] if channel == Channel.SMS else dialog.answers["email"]

    # --- the end

    async def complete(self, telegram_id: int, dialog: Dialog, *, language: str | None = None) -> Decision:
        """The channels are proven: decide again on fresh data, then link or tell the exact reason.
        `language`: the one the dialog was held in, kept on an account with none chosen — a notice sent
        later has no Telegram update to read the user's language from."""
        async with self.uow() as uow:
            decision, _, locked = await self._decide(uow, telegram_id, dialog)
            if not set(decision.channels) <= set(dialog.proven) or decision.person_id != dialog.person_id or locked:
                decision = Decision(Reason.NOT_FOUND)  # what was proven is not what the details now need
            if decision.reason is Reason.FOUND:
                try:
                    await self._link(uow, telegram_id, decision.person_id, dialog, language)
                    return decision
                except IntegrityError:
                    # Someone linked the same person, phone or e-mail a moment ago: tell them why.
                    await uow.rollback()
        async with self.uow() as uow:
            if decision.reason is Reason.FOUND:
                decision, _, _ = await self._decide(uow, telegram_id, dialog)
                if decision.reason is Reason.FOUND:
                    raise RuntimeError("linking failed on a constraint the registry does not explain")
            uow.audit.record(
                self.clock.now(),
                AuditAction.REGISTRATION_REFUSED,
                actor=telegram_id,
                object_type="insured_person",
                object_id=decision.person_id,
                reason=decision.reason.value,
                way=dialog.way.value,
            )
            await uow.commit()
            return decision

    async def _link(
        self, uow: UnitOfWork, telegram_id: int, person_id: int, dialog: Dialog, language: str | None
    ) -> None:
        now = self.clock.now()
        account = await ensure_account(uow, telegram_id, self.clock)
        if account.language is None and language in LANGUAGES:
            account.language = language
        account.insured_person_id = person_id
        account.phone = dialog.answers["phone"]
        # Only a proven e-mail becomes the account's: by an e-mail code, or by the invite mailed to it. The
        # registry's row is read for that only.
        if Channel.EMAIL in dialog.proven or dialog.invite:
            person = await uow.people.get(person_id)
            if person.email_key and await uow.accounts.email_owner(person.email_key) in (None, telegram_id):
                account.email, account.email_key = person.email, person.email_key
        account.registered_at = now
        if dialog.invite:
            invite = await uow.invites.get(dialog.invite)
            invite.used_at = now
        uow.account_changed(telegram_id)
        uow.audit.record(
            now,
            AuditAction.REGISTRATION_LINKED,
            actor=telegram_id,
            object_type="insured_person",
            object_id=person_id,
            way=dialog.way.value,
        )
        await uow.commit()

    async def _decide(self, uow: UnitOfWork, telegram_id: int, dialog: Dialog) -> tuple[Decision, list[str], bool]:
        """The decision, the pseudonymous keys to count as failed, and whether a locked key stopped it."""
        answers, today = dialog.answers, self.clock.today()
        contact = await self._contact(uow, telegram_id, answers, by_email=dialog.by_email)
        if dialog.way is Way.INVITE:
            # The link was mailed to the registry's e-mail: who holds it has proven that channel.
            person = await self._invited(uow, dialog.invite) if dialog.invite else None
            if person is None:
                return Decision(Reason.WRONG_POLICY), [], False
            [candidate] = await self._candidates(uow, [person])
            return decide_invite(candidate, answers["number_key"], contact, today), [], False
        claim = claim_of(answers)
        keys = [self.pseudonym(kind, value) for kind, value in claim_keys(claim)]
        failures = await uow.counters.counts(Counter.REGISTRATION_KEY_FAILURES, keys, self._window())
        if any(reached(Counter.REGISTRATION_KEY_FAILURES, count) for count in failures.values()):
            return Decision(Reason.NOT_FOUND), [], True
        if claim.number_key is not None:
            rows = await uow.people.by_number_key(claim.number_key)
        elif needs_birth_date_lookup(claim):
            rows = await uow.people.by_birth_date(claim.birth_date)
        else:
            rows = await uow.people.by_name_birth(claim.last_name_key, claim.first_name_key, claim.birth_date)
        candidates = await self._candidates(uow, rows)
        matched = any(claim_matches(claim, c) for c in candidates)
        decision = decide(claim, candidates, contact, today, trust_contact=self.trust_contact, by_email=dialog.by_email)
        return decision, [] if matched else keys, False

    @staticmethod
    async def _candidates(uow: UnitOfWork, rows: list[InsuredPerson]) -> list[Candidate]:
        linked = await uow.accounts.linked_to([row.id for row in rows])
        return [candidate_of(row, linked.get(row.id)) for row in rows]

    @staticmethod
    async def _contact(uow: UnitOfWork, telegram_id: int, answers: dict, *, by_email: bool) -> Contact:
        phone, key = answers.get("phone"), answers.get("email_key") if by_email else None
        phone_owner = await uow.accounts.phone_owner(phone) if phone else None
        email_owner = await uow.accounts.email_owner(key) if key else None
        return Contact(
            telegram_id,
            phone=phone,
            phone_verified=bool(answers.get("phone_verified")),
            email_key=key,
            phone_owner=phone_owner,
            email_owner=email_owner,
        )

    def _window(self) -> date:
        """The limits count per day of the operator's calendar (core.limits)."""
        return window(self.clock.today())
