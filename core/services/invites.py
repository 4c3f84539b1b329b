"""Personal invite links: `t.me/<bot>?start=<token>`, mailed by the insurer; single use, 30 days."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from core.calendar import Clock
from core.db.models import InsuredPerson, Invite
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.matching import ADULT_AGE
from core.normalize import age_on, canonical_policy

INVITE_TTL = timedelta(days=30)
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # what a Telegram deep link may carry


def is_token_shaped(text: str) -> bool:
    return bool(_TOKEN_RE.match(text))


def deep_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username.lstrip('@')}?start={token}"


@dataclass(frozen=True)
class IssuedInvite:
    policy_number: str
    email: str | None
    token: str


class InviteService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

    async def for_policy(self, policy_text: str) -> IssuedInvite | None:
        """A new link for the person of this policy number; None when nobody has it."""
        async with self.uow() as uow:
            person = await uow.people.by_policy_key(canonical_policy(policy_text))
            if person is None:
                return None
            invite = _issue(uow, person, self.clock)
            await uow.commit()
            return invite

    async def for_all_unregistered(self) -> list[IssuedInvite]:
        """One new link for each listed adult with an active policy and no account yet."""
        today = self.clock.today()
        async with self.uow() as uow:
            people = await uow.people.unregistered_active(today)
            invites = [
                _issue(uow, person, self.clock) for person in people if age_on(person.birth_date, today) >= ADULT_AGE
            ]
            await uow.commit()
            return invites


def _issue(uow: UnitOfWork, person: InsuredPerson, clock: Clock) -> IssuedInvite:
    now = clock.now()
    token = secrets.token_urlsafe(24)  # 32 characters of A-Za-z0-9_-
    uow.invites.add(Invite(token=token, person_id=person.id, created_at=now, expires_at=now + INVITE_TTL))
    return IssuedInvite(person.policy_number, person.email, token)
