"""The Mini App's sessions: who a page is talking to, as a short-lived signed token in a cookie.

Telegram hands the page `initData`, signed with the bot's token; the server checks the signature
(the front end's job) and its age (here), then issues this token. The token names the Telegram user
and the account they had when it was issued: a page request is served only while that is still so,
so unlinking, `/delete_me` (the account changes) or a block ends every session of that user at once,
with nothing stored per session. `initData` itself (it carries the user's name) is never kept.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

INIT_DATA_MAX_AGE = timedelta(hours=1)  # Telegram signs initData once, when the page opens
SESSION_LIFETIME = timedelta(minutes=30)
# initData signed a little ahead of our clock (the two clocks differ) is still fresh.
CLOCK_SKEW = timedelta(minutes=1)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
_DOWNLOAD = "download:"  # the purpose of a download key, followed by its path


def init_data_fresh(signed_at: datetime, now: datetime) -> bool:
    return now - INIT_DATA_MAX_AGE <= signed_at <= now + CLOCK_SKEW


def webapp_origin_allowed(url: str) -> bool:
    """Telegram opens `web_app` buttons only over https; plain http is left for loopback (tests, the
    sandbox)."""
    parts = urlsplit(url)
    if not parts.hostname or parts.path not in ("", "/") or parts.query or parts.fragment:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS)


@dataclass(frozen=True, slots=True)
class WebSession:
    telegram_id: int
    account_id: int | None  # the account when the session began; another one now ends the session
    language_code: str | None  # Telegram's, for a person with no language chosen in the bot
    expires: datetime

    def current(self, now: datetime, account_id: int | None, blocked: bool) -> bool:
        return now < self.expires and account_id == self.account_id and not blocked


class SessionKeys:
    """Signs and reads session tokens and the forms' CSRF tokens, from a key derived from the bot's."""

    def __init__(self, secret: str) -> None:
        self._key = hmac.new(b"webapp-session", secret.encode(), hashlib.sha256).digest()

    def issue(self, session: WebSession) -> str:
        account = "" if session.account_id is None else str(session.account_id)
        language = session.language_code or ""
        body = f"{session.telegram_id}|{account}|{language}|{int(session.expires.timestamp())}"
        payload = base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")
        return f"{payload}.{self._sign('session', payload)}"

    def read(self, token: str, purpose: str = "session") -> WebSession | None:
        """The session the token names, or None for anything not signed by us (its time is checked by
        `WebSession.current`)."""
        payload, _, signature = token.partition(".")
        if not payload or not hmac.compare_digest(signature, self._sign(purpose, payload)):
            return None
        try:
            body = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
            telegram_id, account, language, expires = body.split("|")
            return WebSession(
                telegram_id=int(telegram_id),
                account_id=int(account) if account else None,
                language_code=language or None,
                expires=datetime.fromtimestamp(int(expires), UTC),
            )
        except ValueError:
            return None

    def download(self, token: str, path: str) -> str:
        """A download's key for one path, bound to the session: Telegram's client fetches a file itself,
        without the page's cookie. It names the session but is signed for that path only, so it opens
        nothing else and cannot become a cookie; it ends with the session."""
        payload = token.partition(".")[0]
        return f"{payload}.{self._sign(_DOWNLOAD + path, payload)}"

    def read_download(self, key: str, path: str) -> WebSession | None:
        return self.read(key, _DOWNLOAD + path)

    def csrf(self, token: str) -> str:
        """A form's token, bound to the session: a page of another session cannot post for this one."""
        return self._sign("csrf", token)

    def _sign(self, purpose: str, text: str) -> str:
        digest = hmac.new(self._key, f"{purpose}:{text}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")
