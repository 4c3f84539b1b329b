"""An SMS gateway emulator on loopback, for tests and the sandbox.

It answers both shapes the bot can speak: the generic JSON gateway
(`POST {base_url}/send`, `{"phone": "+7…", "text": "…"}`, any 2xx = sent) and
SMS.ru's HTTP API (`/sms/send` with api_id, to, msg, json=1, GET or POST form).
Every accepted message lands in `messages` as (phone in E.164, text).

Switches for tests: `fail` = "http" (HTTP 500 on both endpoints), "reset" (the
connection dropped before any answer), "provider"
(SMS.ru: the request refused; generic: HTTP 400), "number" (SMS.ru: this
number refused; generic: HTTP 400); `delay` seconds before any answer (to
exceed a client's timeout); `api_id` (SMS.ru: only this key is accepted).
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Callable

from aiohttp import web

from emulators.faults import reset_connection

_SIX_DIGIT_RUN = re.compile(r"(?<![0-9])[0-9]{6}(?![0-9])")
_NUMBER = re.compile(r"[0-9]{11,15}")


def only_code(text: str) -> str:
    """The code in a one-time-code message: its only run of exactly six digits (the contract of docs/architecture.md)."""
    runs = _SIX_DIGIT_RUN.findall(text)
    if len(runs) != 1:
        raise LookupError(f"expected exactly one six-digit run, found {len(runs)}")
    return runs[0]


class SmsGatewayEmulator:
    def __init__(self, api_id: str | None = None) -> None:
        self.api_id = api_id
        self.fail: str | None = None  # None | "http" | "reset" | "provider" | "number"
        self.delay = 0.0
        self.base_url = ""
        self.messages: list[tuple[str, str]] = []
        self.on_message: list[Callable[[str, str], None]] = []
        self._returned: dict[str, int] = {}  # phone -> how many of its messages wait_for gave out
        self._arrived = asyncio.Condition()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """SMS_GATEWAY_URL for the generic provider (for smsru it is `base_url`)."""
        return f"{self.base_url}/send"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = web.Application()
        app.router.add_post("/send", self._generic)
        app.router.add_route("*", "/sms/send", self._smsru)
        # handler_cancellation: stopping must not wait for a request held by `delay`.
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self.base_url = f"http://{host}:{self._runner.addresses[0][1]}"

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> SmsGatewayEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- inspection

    def texts(self, phone: str) -> list[str]:
        return [text for to, text in self.messages if to == phone]

    def last_code(self, phone: str) -> str:
        texts = self.texts(phone)
        if not texts:
            raise LookupError("no SMS to that phone")
        return only_code(texts[-1])

    async def wait_for(self, phone: str, timeout: float = 5.0) -> str:
        """The next message to `phone` that wait_for has not returned yet."""
        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(lambda: self._unseen(phone)), timeout)
            index = self._returned.get(phone, 0)
            self._returned[phone] = index + 1
            return self.texts(phone)[index]

    def _unseen(self, phone: str) -> bool:
        return len(self.texts(phone)) > self._returned.get(phone, 0)

    # --- the two APIs

    async def _generic(self, request: web.Request) -> web.Response:
        await asyncio.sleep(self.delay)
        if self.fail == "reset":
            return reset_connection(request)
        if self.fail == "http":
            return web.json_response({"error": "internal error"}, status=500)
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"error": "body is not JSON"}, status=400)
        phone, text = (body.get("phone"), body.get("text")) if isinstance(body, dict) else (None, None)
        if not (isinstance(phone, str) and phone.startswith("+") and _NUMBER.fullmatch(phone[1:])):
            return web.json_response({"error": "phone must be E.164, like +79161234567"}, status=400)
        if not isinstance(text, str) or not text:
            return web.json_response({"error": "text is empty"}, status=400)
        if self.fail in ("provider", "number"):
            return web.json_response({"error": "refused"}, status=400)
        await self._record(phone, text)
        return web.json_response({"status": "queued"})

    async def _smsru(self, request: web.Request) -> web.Response:
        await asyncio.sleep(self.delay)
        if self.fail == "reset":
            return reset_connection(request)
        if self.fail == "http":
            return web.Response(status=500, text="Internal Server Error")
        form = {**request.query, **(await request.post())}
        if self.fail == "provider" or (self.api_id is not None and form.get("api_id") != self.api_id):
            return _smsru_error(200, "Неправильный api_id")
        to, text = form.get("to", ""), form.get("msg", "")
        if not text:
            return _smsru_error(203, "Нет текста сообщения")
        if self.fail == "number" or not _NUMBER.fullmatch(to):
            per_number = {"status": "ERROR", "status_code": 202, "status_text": "Неправильно указан номер"}
        else:
            await self._record("+" + to, text)
            per_number = {"status": "OK", "status_code": 100, "sms_id": f"000000-{next(self._ids):08d}"}
        return web.json_response({"status": "OK", "status_code": 100, "sms": {to: per_number}, "balance": 100.0})

    async def _record(self, phone: str, text: str) -> None:
        self.messages.append((phone, text))
        for callback in self.on_message:
            callback(phone, text)
        async with self._arrived:
            self._arrived.notify_all()


def _smsru_error(code: int, text: str) -> web.Response:
    return web.json_response({"status": "ERROR", "status_code": code, "status_text": text})
