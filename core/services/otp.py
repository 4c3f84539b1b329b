"""Issuing and checking one-time codes: the rules of `core.otp` over an `OtpStore`.

The caller delivers the code (SMS or e-mail gateway) and never stores it;
the store only ever sees digests and pseudonymous keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from core import otp
from core.calendar import Clock
from core.infra.otp_store import OtpStore


@dataclass(frozen=True, slots=True)
class Issued:
    code: str | None = None
    refusal: str | None = None  # cooldown | destination_daily_cap | user_daily_cap
    retry_after: int = 0  # seconds, for "cooldown"


@dataclass(frozen=True, slots=True)
class Verified:
    ok: bool
    reason: str  # ok | wrong | burned | expired | missing
    tries_left: int


class OtpService:
    def __init__(self, store: OtpStore, secret: bytes, clock: Clock) -> None:
        self.store = store
        self.secret = secret
        self.clock = clock

    async def issue(self, telegram_id: int, channel: str, destination: str, *, cooldown: bool = True) -> Issued:
        """`cooldown=False`: the code follows another one the user has just proven (the e-mail's, then
        the phone's), so no wait applies; the daily caps always do."""
        scope = otp.scope_of(telegram_id, channel, destination)
        key = otp.record_key(self.secret, scope)
        now = self.clock.now()
        wait = otp.resend_wait(await self.store.get(key), now) if cooldown else 0
        if wait:
            return Issued(refusal="cooldown", retry_after=wait)

        today = self.clock.today()
        per_destination = otp.destination_counter(self.secret, channel, destination)
        per_user = otp.user_counter(telegram_id)
        if not await self.store.take(per_destination, today, otp.DESTINATION_DAILY_CAP):
            return Issued(refusal="destination_daily_cap")
        if not await self.store.take(per_user, today, otp.USER_DAILY_CAP):
            await self.store.give_back(per_destination, today)
            return Issued(refusal="user_daily_cap")

        code = otp.generate_code()
        record = otp.new_record(self.secret, scope, code, now)
        if not await self.store.replace(key, record, issued_before=now - otp.RESEND_AFTER if cooldown else now):
            # A concurrent request (a double press) issued one in between: that one stands.
            await self.store.give_back(per_destination, today)
            await self.store.give_back(per_user, today)
            return Issued(refusal="cooldown", retry_after=max(1, otp.resend_wait(await self.store.get(key), now)))
        return Issued(code=code)

    async def withdraw(self, telegram_id: int, channel: str, destination: str, code: str) -> None:
        """The code just issued never left (its gateway failed): it is dropped and given back to the daily
        caps, so no cooldown or cap is spent on a message nobody got."""
        scope = otp.scope_of(telegram_id, channel, destination)
        key = otp.record_key(self.secret, scope)
        if await self.store.consume(key, otp.code_digest(self.secret, scope, code)):
            today = self.clock.today()
            await self.store.give_back(otp.destination_counter(self.secret, channel, destination), today)
            await self.store.give_back(otp.user_counter(telegram_id), today)

    async def verify(self, telegram_id: int, channel: str, destination: str, code: str) -> Verified:
        scope = otp.scope_of(telegram_id, channel, destination)
        key = otp.record_key(self.secret, scope)
        # Counting the try first makes the limit hold under concurrent tries.
        record = await self.store.add_try(key)
        matches = record is not None and otp.code_matches(self.secret, scope, code, record.digest)
        reason = otp.judge(record, self.clock.now(), matches)
        if reason == "ok" and not await self.store.consume(key, record.digest):
            reason = "missing"  # a concurrent try with the same code consumed it first
        return Verified(ok=reason == "ok", reason=reason, tries_left=otp.tries_left(record))

    def pseudonym(self, kind: str, value: str) -> str:
        return otp.pseudonym(self.secret, kind, value)

    async def seconds_until_resend(self, telegram_id: int, channel: str, destination: str) -> int:
        key = otp.record_key(self.secret, otp.scope_of(telegram_id, channel, destination))
        return otp.resend_wait(await self.store.get(key), self.clock.now())
