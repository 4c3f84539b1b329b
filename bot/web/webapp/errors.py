"""A refused or failed request answers with a page in the caller's language, keeping its status: a 404 for
an id that is not the caller's, a 403 for a stale form, a 413 for a form too big, rather than aiohttp's bare
English `404: Not Found`. Redirects pass through."""

from __future__ import annotations

from aiohttp import web

from bot.web.webapp.kit import PageKit
from bot.web.webapp.sessions import Handler, secure_headers

TEXTS = {
    web.HTTPNotFound.status_code: "webapp-error-not-found",
    web.HTTPForbidden.status_code: "webapp-error-forbidden",
    web.HTTPRequestEntityTooLarge.status_code: "webapp-error-too-large",
}


def error_pages(kit: PageKit) -> web.middleware:
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            key = TEXTS.get(exc.status, "webapp-error-other")
            if exc.status == web.HTTPForbidden.status_code and request.method == "POST":
                key = "webapp-refused-form"  # a form without its session's CSRF token: an old page's
            page = kit.render(request, "error.html", text_key=key)
            page.set_status(exc.status)
            secure_headers(page)
            return page

    return middleware
