"""One-time codes: the rules of docs/domain.md "One-time codes", no storage and no I/O.

A code is never kept, only its HMAC keyed with OTP_SECRET. The HMAC's input
carries the scope (Telegram user + channel + destination), so a code issued
for one phone proves nothing for another. Storage keys are HMACs too, so
Redis and the OTP tables hold no phones or e-mails.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

CODE_DIGITS = 6
CODE_TTL = timedelta(minutes=5)
MAX_TRIES = 5  # tries per code; the next one is refused even when right (the code is burned)
RESEND_AFTER = timedelta(seconds=60)
DESTINATION_DAILY_CAP = 5  # codes per phone or e-mail per day ("day" = Clock.today())
USER_DAILY_CAP = 10  # codes per Telegram user per day
# A record outlives its code a little, so a late try is told "expired" rather than "missing".
KEEP_AFTER_EXPIRY = timedelta(hours=1)
# After a gateway failed to take a code, the channel counts as down this long (or until a code goes through):
# details that match nothing are then told the same "not sent", so a failure does not tell a match apart.
GATEWAY_DOWN_FOR = timedelta(minutes=5)

CHANNELS = ("sms", "email")


@dataclass(frozen=True, slots=True)
class CodeRecord:
    """What a store keeps for the one live code of a scope."""

    digest: str
    created_at: datetime  # aware UTC
    expires_at: datetime
    tries: int = 0


def generate_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def destination_key(channel: str, destination: str) -> str:
    """Phones arrive as E.164; e-mails are compared case-insensitively (§2 "E-mail")."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown OTP channel {channel!r}")
    return destination.strip().casefold() if channel == "email" else destination.strip()


def scope_of(telegram_id: int, channel: str, destination: str) -> str:
    return f"{telegram_id}:{channel}:{destination_key(channel, destination)}"


def code_digest(secret: bytes, scope: str, code: str) -> str:
    return _hmac(secret, "code", scope, code)


def code_matches(secret: bytes, scope: str, code: str, digest: str) -> bool:
    """Constant-time, so the answer's timing says nothing about how close a guess was."""
    return hmac.compare_digest(code_digest(secret, scope, code.strip()), digest)


def record_key(secret: bytes, scope: str) -> str:
    """Where a scope's code lives in a store."""
    return _hmac(secret, "scope", scope)


def destination_counter(secret: bytes, channel: str, destination: str) -> str:
    return "d:" + _hmac(secret, "destination", channel, destination_key(channel, destination))[:40]


def pseudonym(secret: bytes, kind: str, value: str) -> str:
    """A stable stand-in for a personal value (a policy number, a name and birth date) in audit rows
    and counters: the same value gives the same pseudonym, which tells nothing of the value."""
    return _hmac(secret, "pseudonym", kind, value)[:40]


def user_counter(telegram_id: int) -> str:
    return f"u:{telegram_id}"


def new_record(secret: bytes, scope: str, code: str, now: datetime) -> CodeRecord:
    return CodeRecord(code_digest(secret, scope, code), now, now + CODE_TTL)


def resend_wait(record: CodeRecord | None, now: datetime) -> int:
    """Whole seconds until a new code may be issued for this scope (0: now)."""
    if record is None:
        return 0
    left = (record.created_at + RESEND_AFTER - now).total_seconds()
    return max(0, math.ceil(left))


def gateway_down(failed_at: datetime | None, now: datetime) -> bool:
    """Whether a channel whose gateway last failed at `failed_at` (None: not since it last worked) is down."""
    return failed_at is not None and now - failed_at < GATEWAY_DOWN_FOR


def judge(record: CodeRecord | None, now: datetime, matches: bool) -> str:
    """The outcome of a try; `record.tries` already counts this try."""
    if record is None:
        return "missing"
    if now >= record.expires_at:
        return "expired"
    if record.tries > MAX_TRIES:
        return "burned"
    return "ok" if matches else "wrong"


def tries_left(record: CodeRecord | None) -> int:
    return 0 if record is None else max(0, MAX_TRIES - record.tries)


def _hmac(secret: bytes, purpose: str, *parts: str) -> str:
    # NUL separators: no part contains one, so different splits never collide.
    message = "\x00".join((purpose, *parts)).encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()
