"""How long what the bot keeps about people who did not stay is kept (RETAIN_* settings), and from which
instant a row is due for deletion. Pure: the job (`core.services.retention`) takes the instant from the
clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.audit import AuditAction

# The trail of registration attempts (each submission, each registry key it failed on, each refusal after
# the codes). A registration that succeeded is recorded as `registration.linked`, kept as audit.
ATTEMPTS = (AuditAction.REGISTRATION_SUBMIT, AuditAction.REGISTRATION_KEY_FAILED, AuditAction.REGISTRATION_REFUSED)

MAX_DAYS = 36_500  # a hundred years: anything longer is a typo


@dataclass(frozen=True)
class RetentionPeriods:
    """Days each kind is kept."""

    dialog: int  # an unfinished registration: consents given, never linked (its account, erased)
    attempts: int  # registration attempts (ATTEMPTS audit entries)
    questions: int  # questions to support from people who never registered
    audit: int  # every audit entry

    def __post_init__(self) -> None:
        for name in ("dialog", "attempts", "questions", "audit"):
            if not 1 <= getattr(self, name) <= MAX_DAYS:
                raise ValueError(f"{name}: 1 to {MAX_DAYS} days")


@dataclass(frozen=True)
class Cutoffs:
    """What was last touched before these instants is due."""

    dialog: datetime
    attempts: datetime
    questions: datetime
    audit: datetime


def cutoffs(periods: RetentionPeriods, now: datetime) -> Cutoffs:
    return Cutoffs(
        dialog=now - timedelta(days=periods.dialog),
        attempts=now - timedelta(days=periods.attempts),
        questions=now - timedelta(days=periods.questions),
        audit=now - timedelta(days=periods.audit),
    )


def due(last_touched: datetime, cutoff: datetime) -> bool:
    """Strictly older than the cutoff: a row exactly as old as its period is kept one more run."""
    return last_touched < cutoff
