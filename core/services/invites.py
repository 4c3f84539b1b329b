"""Personal invite links: `t.me/<bot>?start=<token>`, mailed by the insurer; single use, 30 days."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.calendar import Clock
from core.db import registry_queries
from core.db.models import Account, InsuredPerson, Invite
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


async def issue_invite(session: AsyncSession, person: InsuredPerson, clock: Clock) -> IssuedInvite:
    now = clock.now()
    token = secrets.token_urlsafe(24)  # 32 characters of A-Za-z0-9_-
    session.add(Invite(token=token, person_id=person.id, created_at=now, expires_at=now + INVITE_TTL))
    return IssuedInvite(person.policy_number, person.email, token)


async def invite_by_policy(session: AsyncSession, policy_text: str, clock: Clock) -> IssuedInvite | None:
    person = await registry_queries.by_policy_key(session, canonical_policy(policy_text))
    if person is None:
        return None
    invite = await issue_invite(session, person, clock)
    await session.commit()
    return invite


async def invite_all_unregistered(session: AsyncSession, clock: Clock) -> list[IssuedInvite]:
    """One new link for each listed adult with an active policy and no account yet."""
    today = clock.today()
    linked = select(Account.insured_person_id).where(Account.insured_person_id.is_not(None))
    people = await session.scalars(
        select(InsuredPerson)
        .where(InsuredPerson.id.not_in(linked), InsuredPerson.removed_on.is_(None), InsuredPerson.valid_to >= today)
        .order_by(InsuredPerson.policy_key)
    )
    invites = [
        await issue_invite(session, person, clock) for person in people if age_on(person.birth_date, today) >= ADULT_AGE
    ]
    await session.commit()
    return invites
