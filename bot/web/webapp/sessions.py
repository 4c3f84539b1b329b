"""Who a page request comes from: `POST /webapp/auth` turns Telegram's `initData` into a session cookie,
and a middleware turns the cookie back into the caller (a `Viewer`, through the same directory as the
chat) on every request, checks forms' CSRF tokens and sets the pages' security headers."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from aiogram.utils.web_app import safe_parse_webapp_init_data
from aiohttp import web

from core.actors import Viewer
from core.calendar import Clock
from core.services.viewers import ViewerDirectory
from core.web_sessions import SESSION_LIFETIME, SessionKeys, WebSession, init_data_fresh

COOKIE = "dms_session"
CSRF_FIELD = "csrf"
DOWNLOAD_KEY = "key"  # the query parameter of a download's link (core.web_sessions.SessionKeys.download)
# Telegram's web clients frame the page; its mobile and desktop clients open it in a webview (no framing).
FRAME_ANCESTORS = "https://web.telegram.org https://*.web.telegram.org"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    f"form-action 'self'; base-uri 'none'; frame-ancestors {FRAME_ANCESTORS}"
)

CALLER = web.RequestKey("caller", object)  # a `Caller`, or None with no current session
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Caller:
    """What a page handler knows of its caller: the viewer, and the session's token (for forms' CSRF)."""

    def __init__(self, viewer: Viewer, session: WebSession, token: str, keys: SessionKeys) -> None:
        self.viewer = viewer
        self.session = session
        self.csrf = keys.csrf(token)
        self._token = token
        self._keys = keys

    def download_link(self, path: str) -> str:
        """`path` (under /webapp/) with a key that serves it to this session without its cookie."""
        return f"{path}?{DOWNLOAD_KEY}={self._keys.download(self._token, path)}"


def auth_handler(token: str, keys: SessionKeys, viewers: ViewerDirectory, clock: Clock, secure: bool) -> Handler:
    async def auth(request: web.Request) -> web.Response:
        form = await request.post()
        init_data = form.get("init_data")
        try:
            data = safe_parse_webapp_init_data(token, init_data if isinstance(init_data, str) else "")
        except ValueError:
            data = None
        now = clock.now()
        if data is None or data.user is None or not init_data_fresh(data.auth_date, now):
            raise web.HTTPUnauthorized()
        viewer = await viewers.get(data.user.id)
        session = WebSession(data.user.id, viewer.account_id, data.user.language_code, now + SESSION_LIFETIME)
        response = web.Response(status=200, text="ok")
        set_cookie(response, keys.issue(session), secure)
        return response

    return auth


def set_cookie(response: web.Response, value: str, secure: bool) -> None:
    """On an https origin: Secure, SameSite=None (Telegram's web clients frame the page, cross-site) and
    Partitioned (kept in that frame's own jar). Browsers drop SameSite=None and Partitioned without Secure,
    and a plain-http origin is loopback only (tests, the sandbox: nothing frames it), so there the cookie
    is SameSite=Lax, which a browser opening the page keeps. Written by hand: Python's cookie module before
    3.14 has no Partitioned attribute."""
    attributes = [f"{COOKIE}={value}", f"Max-Age={int(SESSION_LIFETIME.total_seconds())}", "Path=/webapp", "HttpOnly"]
    attributes += ["Secure", "SameSite=None", "Partitioned"] if secure else ["SameSite=Lax"]
    response.headers.add("Set-Cookie", "; ".join(attributes))


def session_middleware(keys: SessionKeys, viewers: ViewerDirectory, clock: Clock) -> web.middleware:
    """Sets `request[CALLER]` (a `Caller`, or None with no current session) and refuses a form posted
    without its CSRF token; every answer gets the pages' security headers."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        request[CALLER] = await _caller(request, keys, viewers, clock)
        if request.method == "POST" and request.match_info.route.name != "auth":
            caller = request[CALLER]
            form = await request.post()
            submitted = form.get(CSRF_FIELD)
            if caller is None or not isinstance(submitted, str) or not hmac.compare_digest(submitted, caller.csrf):
                raise web.HTTPForbidden()
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            secure_headers(exc)
            raise
        secure_headers(response)
        return response

    return middleware


async def _caller(request: web.Request, keys: SessionKeys, viewers: ViewerDirectory, clock: Clock) -> Caller | None:
    token = request.cookies.get(COOKIE)
    session = keys.read(token) if token else None
    key = request.query.get(DOWNLOAD_KEY) if request.method in ("GET", "HEAD") else None
    if session is None and key:  # a download fetched by Telegram's client, without the cookie
        session = keys.read_download(key, request.path)
        token = key
    if session is None:
        return None
    viewer = await viewers.get(session.telegram_id)
    if not session.current(clock.now(), viewer.account_id, viewer.blocked):
        return None
    return Caller(viewer, session, token, keys)


def secure_headers(response: web.StreamResponse) -> None:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
