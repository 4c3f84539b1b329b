"""What every page shares: the caller's language, rendering a template with texts from `locales/`, the
opening shell for a request without a session, and ids read from the path."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aiohttp_jinja2
from aiogram_i18n import I18nContext
from aiogram_i18n.cores import FluentRuntimeCore
from aiohttp import web

from bot.i18n import AccountLocaleManager
from bot.web.webapp.sessions import CALLER, CSRF_FIELD, Caller
from core.cabinet.paging import Page
from core.errors import InputError
from core.language import DEFAULT_LANGUAGE, browser_language, language_for


class PageKit:
    def __init__(self, i18n_core: FluentRuntimeCore) -> None:
        self.i18n_core = i18n_core

    def i18n(self, caller: Caller | None, visitor: str = DEFAULT_LANGUAGE) -> I18nContext:
        """`visitor`: the language without a caller (a page before its session, in the browser's language)."""
        locale = language_for(caller.viewer.language, caller.session.language_code) if caller else visitor
        return I18nContext(locale, self.i18n_core, AccountLocaleManager(), {})

    def render(self, request: web.Request, template: str, **context: Any) -> web.Response:
        caller: Caller | None = request.get(CALLER)  # none yet when the request failed before its session
        i18n = self.i18n(caller, browser_language(request.headers.get("Accept-Language")))
        base = {"t": i18n.get, "lang": i18n.locale, "csrf_field": CSRF_FIELD, "csrf": caller.csrf if caller else ""}
        base["download"] = caller.download_link if caller else str  # a download's link, keyed to the session
        return aiohttp_jinja2.render_template(template, request, base | context)

    def shell(self, request: web.Request) -> web.Response:
        """The page before its session: no data, its script posts `initData` and loads the page again."""
        return self.render(request, "shell.html")


def caller_of(request: web.Request) -> Caller | None:
    return request[CALLER]


Kit = TypeVar("Kit", bound=PageKit)
Handler = Callable[[Kit, web.Request, Caller], Awaitable[web.StreamResponse]]


def page(handler: Handler[Kit]) -> Callable[[Kit, web.Request], Awaitable[web.StreamResponse]]:
    """A page's handler, given its caller: a request without a session gets the opening shell instead,
    whose script posts `initData` and loads the page again."""

    @functools.wraps(handler)
    async def opened(kit: Kit, request: web.Request) -> web.StreamResponse:
        caller = caller_of(request)
        if caller is None:
            return kit.shell(request)
        return await handler(kit, request, caller)

    return opened


def path_id(request: web.Request, name: str) -> int:
    """A positive id from the path, or 404 (never a 500 for a forged one)."""
    return _number(request.match_info[name])


def query_number(request: web.Request, name: str, default: int = 0) -> int:
    """A page number or an id from the query string (`default` when absent), or 404 as `path_id`."""
    text = request.query.get(name)
    return default if text is None else _number(text)


def _number(text: str) -> int:
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise web.HTTPNotFound()
    return int(text)


def input_problem(i18n: I18nContext, error: InputError) -> str:
    """What was wrong with a typed text (the chat's `error-<code>` texts); nothing of it is echoed but its length."""
    numbers = {k: v for k, v in error.details.items() if isinstance(v, int) and not isinstance(v, bool)}
    return i18n.get("error-" + error.code.replace(".", "-"), **numbers)


def page_number(request: web.Request) -> int:
    """The `page` of a list's address (`?page=2`), 0-based; anything else is the first page."""
    text = request.query.get("page", "0")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 6 else 0


def neighbours(page: Page) -> dict[str, int | None]:
    """The previous and next pages' numbers for a list's links (None at either end)."""
    return {
        "previous": page.number - 1 if page.number > 0 else None,
        "next": page.number + 1 if page.number + 1 < page.count else None,
    }
