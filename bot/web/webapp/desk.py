"""The desk's staff pages: a person's full record, the queue and one item, and taking an item. Each calls
the same use case as its chat screen with the session's Telegram id; the use case re-reads the role in its
own transaction, so a user's session, or a member whose role was revoked, is refused there (403), and an
item or person the caller may not see is 404, as in the chat."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from aiogram_i18n import I18nContext
from aiogram_i18n.cores import FluentRuntimeCore
from aiohttp import web
from markupsafe import Markup

from bot.views.desk import record_sections
from bot.views.desk_queue import item_text, queue_lines
from bot.web.webapp.kit import PageKit, caller_of, page, path_id
from bot.web.webapp.sessions import Caller
from core.actors import Forbidden
from core.cabinet.requests import MAX_TEXT
from core.calendar import Clock
from core.desk.queue import ItemAction, ItemKind
from core.services.desk import DeskService
from core.services.queue import QueueItem, QueueService

ItemForms = Callable[[I18nContext, int, QueueItem], Awaitable[dict[str, Any]]]  # the template's variables
# The start parameter the staff group's links carry (bot/desk_topics.py): an item's kind and number.
START_PARAM = re.compile(r"(" + "|".join(kind.value for kind in ItemKind) + r")-([1-9][0-9]{0,17})")


class DeskPages(PageKit):
    def __init__(
        self,
        i18n_core: FluentRuntimeCore,
        desk: DeskService,
        queue: QueueService,
        money_forms: ItemForms,
        clock: Clock,
    ) -> None:
        super().__init__(i18n_core)
        self.desk = desk
        self.queue = queue
        self.money_forms = money_forms  # an item's money actions (bot/web/webapp/desk_money.py)
        self.clock = clock

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_get("/desk/people/{person_id}", self.person_page, name="desk_person")
        router.add_get("/desk/queue", self.queue_page, name="desk_queue")
        router.add_get("/desk/queue/{kind}/{item_id}", self.item_page, name="desk_item")
        router.add_post("/desk/queue/{kind}/{item_id}/take", self.take, name="desk_take")
        router.add_get("/desk/open", self.open_link, name="desk_open")

    @page
    async def person_page(self, request: web.Request, caller: Caller) -> web.Response:
        with staff_only():  # each view audited, as the chat's
            record = await self.desk.record(caller.viewer.telegram_id, path_id(request, "person_id"))
        if record is None:
            raise web.HTTPNotFound()
        i18n = self.i18n(caller)
        head, sections = record_sections(i18n, record)
        shown = [(i18n.get(f"desk-record-tab-{name}"), telegram_html("\n".join(body))) for name, body in sections]
        # Each invoice and payment opens as its money page (bot/web/webapp/desk_money.py).
        money = [(f"/webapp/desk/invoices/{i.invoice_id}", f"🧾 {i.number}") for i in record.invoices]
        money += [(f"/webapp/desk/payments/{p.payment_id}", f"💳 № {p.payment_id}") for p in record.payments]
        return self.render(request, "desk_person.html", head=telegram_html(head), sections=shown, money_links=money)

    @page
    async def queue_page(self, request: web.Request, caller: Caller) -> web.Response:
        with staff_only():
            page = await self.queue.page(caller.viewer.telegram_id)
        i18n = self.i18n(caller)
        rows = [
            {"kind": entry.kind.value, "id": entry.item_id, "text": telegram_html(text)}
            for entry, text in zip(page.entries, queue_lines(i18n, page), strict=True)
        ]
        return self.render(request, "desk_queue.html", rows=rows)

    @page
    async def item_page(self, request: web.Request, caller: Caller) -> web.Response:
        kind, item_id = item_of(request)
        with staff_only():
            item = await self.queue.item(caller.viewer.telegram_id, kind, item_id)
        if item is None:
            raise web.HTTPNotFound()
        return await self.item_response(request, caller, item)

    async def item_response(
        self, request: web.Request, caller: Caller, item: QueueItem, note: str = "", error: str = ""
    ) -> web.Response:
        """The item's page; `note`: what an action from it did; `error`: why a typed answer was refused."""
        i18n = self.i18n(caller)
        with staff_only():
            money = await self.money_forms(i18n, caller.viewer.telegram_id, item)
        return self.render(
            request,
            "desk_item.html",
            text=telegram_html(item_text(i18n, item, self.clock.now())),
            kind=item.entry.kind.value,
            item_id=item.entry.item_id,
            person_id=item.person_id if item.record else None,
            takeable=ItemAction.TAKE in item.actions,
            **money,
            actions=[action.value for action in item.actions],
            note=note,
            error=error,
            limit=MAX_TEXT,
        )

    async def open_link(self, request: web.Request) -> web.Response:
        """Where a button in the staff group lands (a group may not carry `web_app` buttons: its button is a
        `t.me/<bot>?startapp=<kind>-<id>` link, which Telegram opens as the bot's Main Mini App, set to
        this address, with the parameter in `tgWebAppStartParam`): on to the item's page. Nothing is
        read here; the browser keeps the fragment with `initData` across the redirect."""
        found = START_PARAM.fullmatch(request.query.get("tgWebAppStartParam", ""))
        if found is None:
            raise web.HTTPNotFound()
        raise web.HTTPSeeOther(request.app.router["desk_item"].url_for(kind=found[1], item_id=found[2]))

    async def take(self, request: web.Request) -> web.Response:
        """Takes the item (a form: the middleware checked its CSRF token), then its page again, which shows
        who holds it (someone quicker, when this one was refused)."""
        caller = caller_of(request)
        kind, item_id = item_of(request)
        with staff_only():
            result = await self.queue.act(caller.viewer.telegram_id, kind, item_id, ItemAction.TAKE)
        if result.item is None:
            raise web.HTTPNotFound()
        raise web.HTTPSeeOther(request.app.router["desk_item"].url_for(kind=kind.value, item_id=str(item_id)))


@contextmanager
def staff_only() -> Iterator[None]:
    """A use case that refused the caller's role (re-read in its own transaction): 403."""
    try:
        yield
    except Forbidden:
        raise web.HTTPForbidden() from None


def item_of(request: web.Request) -> tuple[ItemKind, int]:
    try:
        kind = ItemKind(request.match_info["kind"])
    except ValueError:
        raise web.HTTPNotFound() from None
    return kind, path_id(request, "item_id")


def telegram_html(text: str) -> Markup:
    """A text the chat's views built in Telegram's HTML (every value in it escaped there, tags `<b>`, `<i>`,
    `<a>` only, all valid HTML) as a page's markup, its line breaks kept."""
    return Markup(text.replace("\n", "<br>\n"))
