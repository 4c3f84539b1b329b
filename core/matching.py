"""Matching a person who registers against the employer's list (docs/domain.md "Proof of identity").

Pure: the caller fetches the candidate rows (by policy / personnel number, or by name and birth
date) and what the accounts already hold, and gets back a decision with a reason code.

Privacy: the reason is shown to the user only after they proved a channel the registry holds
(`Decision.channels`). Until then every refusal reads the same. The flow is also the same whether
or not a person was found: a phone that does not lead to a proof asks for the e-mail next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from core.normalize import age_on, is_latin_key, same_name, same_patronymic

ADULT_AGE = 18


class Reason(StrEnum):
    FOUND = "found"
    NOT_FOUND = "not_found"
    AMBIGUOUS = "ambiguous"
    NEED_EMAIL = "need_email"  # the phone proves nothing: ask for the e-mail before deciding
    ASK_HR = "ask_hr"  # neither the phone nor the e-mail is the one the list holds
    ALREADY_LINKED = "already_linked"
    PHONE_TAKEN = "phone_taken"
    EMAIL_TAKEN = "email_taken"
    UNDER_18 = "under_18"
    POLICY_NOT_ACTIVE = "policy_not_active"
    WRONG_POLICY = "wrong_policy"  # invite link: the typed policy number is not the invited one


# Reasons that end the attempt without any channel to prove: the user sees the generic refusal.
UNPROVEN_REFUSALS = frozenset({Reason.NOT_FOUND, Reason.AMBIGUOUS, Reason.ASK_HR, Reason.WRONG_POLICY})


class Channel(StrEnum):
    SMS = "sms"  # a code to the phone the user gave
    EMAIL = "email"  # a code to the e-mail the registry holds


@dataclass(frozen=True)
class Candidate:
    """A registry row as the rules see it (keys are already normalised)."""

    person_id: int
    policy_key: str
    last_name_key: str
    first_name_key: str
    patronymic_key: str
    birth_date: date
    valid_from: date
    valid_to: date
    phone: str | None = None
    email_key: str | None = None
    personnel_key: str | None = None
    removed_on: date | None = None
    linked_telegram_id: int | None = None  # the account this row is linked to, if any


@dataclass(frozen=True)
class Claim:
    """What the user typed, normalised. `number_key` is a policy or personnel number, or None."""

    last_name_key: str
    first_name_key: str
    patronymic_key: str
    birth_date: date
    number_key: str | None = None


@dataclass(frozen=True)
class Contact:
    """The channels the user offers, and who else already holds them."""

    telegram_id: int
    phone: str | None = None
    phone_verified: bool = False  # a Telegram contact of the sender's own (trusted when configured)
    email_key: str | None = None
    phone_owner: int | None = None  # telegram id of an account that already has this phone
    email_owner: int | None = None


@dataclass(frozen=True)
class Decision:
    reason: Reason
    person_id: int | None = None
    channels: tuple[Channel, ...] = ()  # to prove, in order, before the reason may be shown

    @property
    def refused_unproven(self) -> bool:
        return self.reason in UNPROVEN_REFUSALS


def claim_matches(claim: Claim, row: Candidate) -> bool:
    """Number (when typed), birth date and names, on every way in.

    A name typed wholly in Latin is read as the passport spells it (`same_name`); the patronymic
    counts only when the registry has one (`same_patronymic`), with or without a number."""
    if claim.number_key is not None and claim.number_key not in (row.policy_key, row.personnel_key):
        return False
    return (
        claim.birth_date == row.birth_date
        and same_name(row.last_name_key, claim.last_name_key)
        and same_name(row.first_name_key, claim.first_name_key)
        and same_patronymic(row.patronymic_key, claim.patronymic_key)
    )


def needs_birth_date_lookup(claim: Claim) -> bool:
    """The surname or first name is typed in Latin: the registry's Cyrillic name index cannot find
    the row, so the caller fetches the rows born that day and lets `claim_matches` filter them."""
    return is_latin_key(claim.last_name_key) or is_latin_key(claim.first_name_key)


def is_policy_active(row: Candidate, today: date) -> bool:
    removed = row.removed_on is not None and row.removed_on <= today
    return row.valid_from <= today <= row.valid_to and not removed


def eligibility(row: Candidate, contact: Contact, today: date) -> Reason:
    """The exact outcome for a person whose channel is (about to be) proven."""
    if age_on(row.birth_date, today) < ADULT_AGE:
        return Reason.UNDER_18
    if not is_policy_active(row, today):
        return Reason.POLICY_NOT_ACTIVE
    if row.linked_telegram_id not in (None, contact.telegram_id):
        return Reason.ALREADY_LINKED
    if contact.phone_owner not in (None, contact.telegram_id):
        return Reason.PHONE_TAKEN
    if contact.email_owner not in (None, contact.telegram_id):
        return Reason.EMAIL_TAKEN
    return Reason.FOUND


def _narrow(rows: list[Candidate], contact: Contact) -> list[Candidate]:
    """Several rows share name and birth date: a phone or e-mail matching exactly one decides."""
    if len(rows) <= 1:
        return rows
    for matches in (
        [r for r in rows if contact.phone and r.phone == contact.phone],
        [r for r in rows if contact.email_key and r.email_key == contact.email_key],
    ):
        if len(matches) == 1:
            return matches
    return rows


def decide(
    claim: Claim,
    candidates: list[Candidate],
    contact: Contact,
    today: date,
    *,
    trust_contact: bool,
    by_email: bool = False,
) -> Decision:
    """The registration decision on the details with the phone, or (`by_email`: the user chose to
    prove by e-mail, `contact.email_key` given) with the phone and the e-mail.

    With the phone alone, NEED_EMAIL is the answer whenever the phone proves nothing — found or not,
    so nothing tells them apart. By e-mail, the phone is not a way to prove: only the e-mail the
    registry holds is, so the answer cannot tell whether the phone matched either.
    """
    rows = _narrow([row for row in candidates if claim_matches(claim, row)], contact)
    if not by_email and len(rows) == 1 and contact.phone and rows[0].phone == contact.phone:
        row = rows[0]
        channels = () if trust_contact and contact.phone_verified else (Channel.SMS,)
        return Decision(eligibility(row, contact, today), row.person_id, channels)
    if contact.email_key is None:
        return Decision(Reason.NEED_EMAIL)
    if not rows:
        return Decision(Reason.NOT_FOUND)
    if len(rows) > 1:
        return Decision(Reason.AMBIGUOUS)
    row = rows[0]
    if row.email_key and row.email_key == contact.email_key:
        # The list's e-mail proves the person; the SMS proves the new phone they give.
        return Decision(eligibility(row, contact, today), row.person_id, (Channel.EMAIL, Channel.SMS))
    return Decision(Reason.ASK_HR, row.person_id)


def decide_invite(row: Candidate, typed_policy_key: str, contact: Contact, today: date) -> Decision:
    """Invite link: the token was mailed to the list's e-mail; the policy number is the second factor."""
    if typed_policy_key != row.policy_key:
        return Decision(Reason.WRONG_POLICY)
    return Decision(eligibility(row, contact, today), row.person_id, (Channel.SMS,))
