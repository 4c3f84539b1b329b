"""Rate limits as named counters: what is counted, per whom, and how many a window allows.

A counter is (name, subject, window): the subject a Telegram id or a pseudonymous registry key, the
window the operator's day. The use case that does the counted thing bumps its counter in its own
transaction; the limit reads it. Lifting a lock (the desk) is resetting the counter; the audit rows
stay, as the trail of what happened.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from core.cabinet.children import ATTEMPTS_PER_DAY
from core.cabinet.requests import SUPPORT_QUESTIONS_PER_DAY
from core.registration import KEY_FAILURES_PER_DAY, SUBMISSIONS_PER_DAY


class Counter(StrEnum):
    REGISTRATION_SUBMITS = "registration.submits"  # per Telegram user
    REGISTRATION_KEY_FAILURES = "registration.key_failures"  # per pseudonymous key (a number; a name + birth)
    SUPPORT_QUESTIONS = "support.questions"  # per Telegram user
    CHILD_ADDS = "child.adds"  # per Telegram user


LIMITS: dict[Counter, int] = {
    Counter.REGISTRATION_SUBMITS: SUBMISSIONS_PER_DAY,
    Counter.REGISTRATION_KEY_FAILURES: KEY_FAILURES_PER_DAY,
    Counter.SUPPORT_QUESTIONS: SUPPORT_QUESTIONS_PER_DAY,
    Counter.CHILD_ADDS: ATTEMPTS_PER_DAY,
}


def window(today: date) -> date:
    """Every limit counts per day of the operator's calendar."""
    return today


def reached(counter: Counter, count: int) -> bool:
    """The counter is at its limit: the next one is refused (a key: locked)."""
    return count >= LIMITS[counter]


def left(counter: Counter, count: int) -> int:
    return max(0, LIMITS[counter] - count)
