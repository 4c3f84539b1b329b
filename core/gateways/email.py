"""E-mail: the sender interface, SMTP (aiosmtplib), and the development log."""

from __future__ import annotations

import logging
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING, Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib

from core.gateways import DEFAULT_TIMEOUT, DeliveryError

if TYPE_CHECKING:
    from core.settings import Settings

log = logging.getLogger(__name__)


class EmailSender(Protocol):
    async def send(self, to: str, subject: str, body: str) -> None:
        """Hand the message over for delivery; DeliveryError on any failure."""


class SmtpEmailSender:
    """`smtp://[user:pass@]host[:25]` (STARTTLS when the server offers it) or `smtps://…[:465]` (implicit TLS).

    `tls_context` defaults to the system's trust store; a test passes one trusting its own CA.
    """

    def __init__(
        self,
        smtp_url: str,
        sender: str,
        timeout: float = DEFAULT_TIMEOUT,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        url = urlsplit(smtp_url)
        if url.scheme not in ("smtp", "smtps") or not url.hostname:
            raise ValueError("SMTP_URL must look like smtp://user:pass@host:port or smtps://…")
        self.implicit_tls = url.scheme == "smtps"
        self.host = url.hostname
        self.port = url.port or (465 if self.implicit_tls else 25)
        self.username = unquote(url.username) if url.username else None
        self.password = unquote(url.password) if url.password else None
        self.sender = sender
        self.timeout = timeout
        self.tls_context = tls_context

    async def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        message.set_content(body)
        try:
            await aiosmtplib.send(
                message,
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self.password,
                use_tls=self.implicit_tls,
                start_tls=False if self.implicit_tls else None,  # None: STARTTLS when offered
                tls_context=self.tls_context,
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPResponseException as exc:
            raise DeliveryError(f"SMTP server refused: {exc.code}") from None
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise DeliveryError(f"SMTP server unreachable ({type(exc).__name__})") from None


class LogEmailSender:
    """Development only: the message goes to the log instead of a mailbox (its warning: see LogSmsSender)."""

    development_warning = "SMTP_URL is not set: e-mail codes are written to the log: development only"

    async def send(self, to: str, subject: str, body: str) -> None:
        # The one place a code may reach a log; the address stays masked even here.
        log.warning("e-mail to %s, %s: %s", mask_email(to), subject, body)


def mask_email(address: str) -> str:
    """`ivan.petrov@example.com` → `i***@example.com`."""
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}***@{domain}" if local else "***"


def build_email_sender(settings: Settings) -> EmailSender:
    if settings.smtp_url:
        return SmtpEmailSender(settings.smtp_url, settings.smtp_from)
    return LogEmailSender()
