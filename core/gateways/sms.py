"""SMS: the sender interface, the generic JSON gateway, SMS.ru, and the development log."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

import aiohttp

from core.gateways import DEFAULT_TIMEOUT, DeliveryError
from core.normalize import mask_phone

if TYPE_CHECKING:
    from core.settings import Settings

log = logging.getLogger(__name__)

SMSRU_URL = "https://sms.ru"


class SmsSender(Protocol):
    async def send(self, phone_e164: str, text: str) -> None:
        """Hand the text over for delivery; DeliveryError on any failure."""


class GenericSmsGateway:
    """`POST {"phone": "+7…", "text": "…"}` as JSON to SMS_GATEWAY_URL; any 2xx means sent."""

    def __init__(self, url: str, session: aiohttp.ClientSession, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.url = url
        self.session = session
        self.timeout = aiohttp.ClientTimeout(total=timeout)

    async def send(self, phone_e164: str, text: str) -> None:
        try:
            async with self.session.post(
                self.url, json={"phone": phone_e164, "text": text}, timeout=self.timeout
            ) as response:
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise DeliveryError(f"SMS gateway unreachable ({type(exc).__name__})") from None
        if not 200 <= status < 300:
            raise DeliveryError(f"SMS gateway answered HTTP {status}")


class SmsRuGateway:
    """SMS.ru's HTTP API: `POST /sms/send` (form: api_id, to, msg, json=1).

    The answer is JSON: the request's `status` ("OK" | "ERROR", with `status_code`
    and `status_text`) and, per number, `sms[<number>].status` likewise; a message
    is accepted only when both say OK. The form body keeps api_id and the number
    out of URLs (and so out of proxies' logs).
    """

    def __init__(
        self,
        api_id: str,
        session: aiohttp.ClientSession,
        base_url: str = SMSRU_URL,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.api_id = api_id
        self.url = base_url.rstrip("/") + "/sms/send"
        self.session = session
        self.timeout = aiohttp.ClientTimeout(total=timeout)

    async def send(self, phone_e164: str, text: str) -> None:
        to = phone_e164.lstrip("+")
        form = {"api_id": self.api_id, "to": to, "msg": text, "json": "1"}
        try:
            async with self.session.post(self.url, data=form, timeout=self.timeout) as response:
                if not 200 <= response.status < 300:
                    raise DeliveryError(f"SMS.ru answered HTTP {response.status}")
                answer = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise DeliveryError(f"SMS.ru unreachable or unreadable ({type(exc).__name__})") from None
        if not isinstance(answer, dict):
            raise DeliveryError("SMS.ru answered something other than a JSON object")
        _check_smsru(answer, "request")
        per_number = answer.get("sms")
        _check_smsru(per_number.get(to) if isinstance(per_number, dict) else None, "number")


def _check_smsru(part: object, what: str) -> None:
    if not isinstance(part, dict):
        raise DeliveryError(f"SMS.ru answer has no {what} status")
    if part.get("status") != "OK":
        reason = f"{part.get('status_code')} {part.get('status_text', '')}".rstrip()
        raise DeliveryError(f"SMS.ru refused the {what}: {reason}")


class LogSmsSender:
    """Development only: the message goes to the log instead of a phone. The process that sends codes (the
    bot) logs `development_warning` once at start (`Container.development_fallbacks`); an import does not."""

    development_warning = "SMS_GATEWAY_URL is not set: SMS codes are written to the log: development only"

    async def send(self, phone_e164: str, text: str) -> None:
        # The one place a code may reach a log; the phone stays masked even here.
        log.warning("SMS to %s: %s", mask_phone(phone_e164), text)


def build_sms_sender(settings: Settings, session: aiohttp.ClientSession) -> SmsSender:
    """SMS_PROVIDER picks the API; for smsru, SMS_GATEWAY_URL (if set) replaces https://sms.ru."""
    if settings.sms_provider == "smsru":
        return SmsRuGateway(settings.smsru_api_id, session, base_url=settings.sms_gateway_url or SMSRU_URL)
    if settings.sms_gateway_url:
        return GenericSmsGateway(settings.sms_gateway_url, session)
    return LogSmsSender()
