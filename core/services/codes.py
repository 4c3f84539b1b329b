"""Sending a one-time code by SMS or e-mail and checking it: the OTP rules plus the gateways."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from core.gateways import DeliveryError
from core.gateways.email import EmailSender
from core.gateways.sms import SmsSender
from core.otp import gateway_down
from core.services.otp import OtpService, Verified

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sent:
    ok: bool
    refusal: str | None = None  # cooldown | destination_daily_cap | user_daily_cap | delivery_failed
    retry_after: int = 0


@dataclass(frozen=True)
class Message:
    subject: str  # e-mail only
    body: str  # contains the code as its only run of six digits


class CodeDelivery:
    def __init__(self, otp: OtpService, sms: SmsSender, email: EmailSender) -> None:
        self.otp = otp
        self.sms = sms
        self.email = email
        self._failed_at: dict[str, datetime] = {}  # channel -> when its gateway last failed (this process)

    async def send(
        self,
        telegram_id: int,
        channel: str,
        destination: str,
        render: Callable[[str], Message],
        *,
        deliver: bool = True,
        cooldown: bool = True,
    ) -> Sent:
        """`deliver=False` issues the code without sending it: for details that matched nothing, so
        that everything after (cooldowns, caps, wrong tries) goes exactly as for a real code.
        `cooldown=False`: see `OtpService.issue`. A code its gateway did not take (an error, a timeout) is
        withdrawn: "delivery_failed", and the user may ask again at once, no cooldown or daily cap spent."""
        issued = await self.otp.issue(telegram_id, channel, destination, cooldown=cooldown)
        if issued.code is None:
            return Sent(False, issued.refusal, issued.retry_after)
        if not deliver:
            if gateway_down(self._failed_at.get(channel), self.otp.clock.now()):
                # While the gateway is down a real code would fail: this one "fails" too.
                await self.otp.withdraw(telegram_id, channel, destination, issued.code)
                return Sent(False, "delivery_failed")
            return Sent(True)
        message = render(issued.code)
        try:
            if channel == "sms":
                await self.sms.send(destination, message.body)
            else:
                await self.email.send(destination, message.subject, message.body)
        except DeliveryError as exc:
            log.warning("code delivery failed for user %s over %s: %s", telegram_id, channel, exc)
            self._failed_at[channel] = self.otp.clock.now()
            await self.otp.withdraw(telegram_id, channel, destination, issued.code)
            return Sent(False, "delivery_failed")
        self._failed_at.pop(channel, None)
        return Sent(True)

    async def check(self, telegram_id: int, channel: str, destination: str, code: str) -> Verified:
        return await self.otp.verify(telegram_id, channel, destination, code)

    async def seconds_until_resend(self, telegram_id: int, channel: str, destination: str) -> int:
        return await self.otp.seconds_until_resend(telegram_id, channel, destination)
