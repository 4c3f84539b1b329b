"""A local SMTP server (aiosmtpd) that keeps what it receives, for tests and the sandbox.

It runs in the caller's event loop on a free loopback port, so no thread and
no guessed port. Plain by default; with `tls_context` it offers STARTTLS, or
with `implicit_tls=True` speaks TLS from the first byte (`smtps://`). With
`credentials` it requires AUTH (after STARTTLS when TLS is on). Switches for tests, all played at the
recipient: `refuse = True` rejects every recipient (550); `fail = "unavailable"` answers 421 (the service
closing the channel), `fail = "reset"` drops the connection; `delay` seconds before answering (to exceed a
client's timeout).
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable
from email import message_from_bytes, policy
from typing import Any, NamedTuple
from urllib.parse import quote

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from emulators.sms import only_code


class Mail(NamedTuple):
    to: str
    subject: str
    body: str


class SmtpSink:
    def __init__(
        self,
        *,
        tls_context: ssl.SSLContext | None = None,
        implicit_tls: bool = False,
        credentials: tuple[str, str] | None = None,
    ) -> None:
        self.tls_context = tls_context
        self.implicit_tls = implicit_tls
        self.credentials = credentials
        self.refuse = False
        self.fail: str | None = None  # None | "unavailable" | "reset"
        self.delay = 0.0
        self.host = ""
        self.port = 0
        self.messages: list[Mail] = []
        self.on_message: list[Callable[[Mail], None]] = []
        self._returned: dict[str, int] = {}
        self._arrived = asyncio.Condition()
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        """SMTP_URL for this sink (with the credentials, if any)."""
        auth = ":".join(quote(part, safe="") for part in self.credentials) + "@" if self.credentials else ""
        return f"{'smtps' if self.implicit_tls else 'smtp'}://{auth}{self.host}:{self.port}"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            self._protocol, host, port, ssl=self.tls_context if self.implicit_tls else None
        )
        self.host, self.port = host, self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def __aenter__(self) -> SmtpSink:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- inspection

    def bodies(self, to: str) -> list[str]:
        return [mail.body for mail in self.messages if mail.to == to]

    def last_code(self, to: str) -> str:
        bodies = self.bodies(to)
        if not bodies:
            raise LookupError("no e-mail to that address")
        return only_code(bodies[-1])

    async def wait_for(self, to: str, timeout: float = 5.0) -> Mail:
        """The next message to `to` that wait_for has not returned yet."""
        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(lambda: self._unseen(to)), timeout)
            index = self._returned.get(to, 0)
            self._returned[to] = index + 1
            return [mail for mail in self.messages if mail.to == to][index]

    def _unseen(self, to: str) -> bool:
        return len(self.bodies(to)) > self._returned.get(to, 0)

    # --- the server side

    def _protocol(self) -> SMTP:
        starttls = None if self.implicit_tls else self.tls_context
        return SMTP(
            self,
            hostname="localhost",  # not socket.getfqdn(): no DNS lookup per connection
            tls_context=starttls,
            auth_required=self.credentials is not None,
            auth_require_tls=starttls is not None,
            authenticator=self._authenticate if self.credentials else None,
            loop=asyncio.get_running_loop(),
        )

    def _authenticate(
        self, _server: SMTP, _session: Session, _envelope: Envelope, _mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login.decode(), data.password.decode()) == self.credentials
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 235 or 535 itself

    async def handle_RCPT(
        self, server: SMTP, _session: Session, envelope: Envelope, address: str, _options: list[str]
    ) -> str:
        await asyncio.sleep(self.delay)
        if self.fail == "reset":
            server.transport.abort()
            return "421 4.4.2 connection dropped"  # never reaches the client
        if self.fail == "unavailable":
            return "421 4.3.2 Service not available, closing transmission channel"
        if self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server: SMTP, _session: Session, envelope: Envelope) -> str:
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        body = message.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        for to in envelope.rcpt_tos:
            mail = Mail(to, str(message["Subject"] or ""), text)
            self.messages.append(mail)
            for callback in self.on_message:
                callback(mail)
        async with self._arrived:
            self._arrived.notify_all()
        return "250 Message accepted for delivery"
