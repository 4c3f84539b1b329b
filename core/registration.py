"""The registration dialog as data: which questions each way in asks, and how an answer is read.

Answers are stored JSON-safe (the FSM may live in Redis): dates as ISO strings.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from core.errors import InputError
from core.matching import Claim
from core.normalize import (
    canonical_policy,
    email_key,
    name_key,
    normalize_email,
    normalize_phone,
    parse_birth_date,
    patronymic_key,
)

MATCH_ATTEMPTS_PER_DAY = 10


class Way(StrEnum):
    POLICY = "policy"  # policy (or personnel) number, names, birth date, phone
    PERSONAL = "personal"  # no number: names, birth date, phone, e-mail
    INVITE = "invite"  # the insurer's personal link: policy number as a second factor, phone


class Step(StrEnum):
    POLICY = "policy"
    LAST_NAME = "last_name"
    FIRST_NAME = "first_name"
    PATRONYMIC = "patronymic"
    BIRTH_DATE = "birth_date"
    PHONE = "phone"
    EMAIL = "email"


STEPS: dict[Way, tuple[Step, ...]] = {
    Way.POLICY: (Step.POLICY, Step.LAST_NAME, Step.FIRST_NAME, Step.PATRONYMIC, Step.BIRTH_DATE, Step.PHONE),
    Way.PERSONAL: (Step.LAST_NAME, Step.FIRST_NAME, Step.PATRONYMIC, Step.BIRTH_DATE, Step.PHONE, Step.EMAIL),
    Way.INVITE: (Step.POLICY, Step.PHONE),
}
OPTIONAL_STEPS = frozenset({Step.PATRONYMIC})


# The FSM fields each answer fills (the first one tells whether it was answered).
ANSWER_FIELDS: dict[Step, tuple[str, ...]] = {
    Step.POLICY: ("number_key",),
    Step.LAST_NAME: ("last_key",),
    Step.FIRST_NAME: ("first_key",),
    Step.PATRONYMIC: ("patronymic_key",),
    Step.BIRTH_DATE: ("birth_date",),
    Step.PHONE: ("phone", "phone_verified"),
    Step.EMAIL: ("email", "email_key"),
}


def parse_answer(step: Step, text: str, today: date) -> dict[str, str | bool]:
    """The stored fields of one typed answer; InputError when it cannot be read."""
    if step is Step.POLICY:
        return {"number_key": canonical_policy(text)}
    if step is Step.LAST_NAME:
        return {"last_key": name_key(text, "last_name")}
    if step is Step.FIRST_NAME:
        return {"first_key": name_key(text, "first_name")}
    if step is Step.PATRONYMIC:
        return {"patronymic_key": patronymic_key(text)}
    if step is Step.BIRTH_DATE:
        return {"birth_date": parse_birth_date(text, today).isoformat()}
    if step is Step.PHONE:
        return phone_answer(text, verified=False)
    email = normalize_email(text)
    return {"email": email, "email_key": email_key(email)}


def phone_answer(text: str, *, verified: bool) -> dict[str, str | bool]:
    """`verified`: a Telegram contact of the sender's own, not a typed number."""
    return {"phone": normalize_phone(text), "phone_verified": verified}


def steps_of(way: Way, *, email_asked: bool) -> tuple[Step, ...]:
    steps = STEPS[way]
    return steps + (Step.EMAIL,) if email_asked and Step.EMAIL not in steps else steps


def next_step(way: Way, answers: dict, *, email_asked: bool = False) -> Step | None:
    """The first question of the way not answered yet (EMAIL too, once matching asked for it)."""
    for step in steps_of(way, email_asked=email_asked):
        if ANSWER_FIELDS[step][0] not in answers:
            return step
    return None


def previous_step(way: Way, step: Step, *, email_asked: bool = False) -> Step | None:
    steps = steps_of(way, email_asked=email_asked)
    index = steps.index(step)
    return steps[index - 1] if index > 0 else None


def claim_of(answers: dict[str, str]) -> Claim:
    return Claim(
        last_name_key=answers["last_key"],
        first_name_key=answers["first_key"],
        patronymic_key=answers.get("patronymic_key", ""),
        birth_date=date.fromisoformat(answers["birth_date"]),
        number_key=answers.get("number_key"),
    )


def read_code(text: str) -> str:
    """A one-time code as typed: six digits, spaces and dashes forgiven."""
    digits = "".join(ch for ch in text if not ch.isspace() and ch != "-")
    if len(digits) != 6 or not digits.isascii() or not digits.isdigit():
        raise InputError("code", "code.format")
    return digits

