"""The payment history and saved cards as pages, and the money's downloads (the history, the invoice table,
an invoice's lines): each calls the same use case as its chat screen or export button, for the session's
viewer. A download is served to its session only (its cookie, or the link's key: core.web_sessions)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from aiogram_i18n import I18nContext
from aiogram_i18n.cores import FluentRuntimeCore
from aiohttp import web

from bot.callbacks.invoices import ExportFormat
from bot.views.cards import bind_refusal_key, bind_refusal_values
from bot.views.invoices import lines_document, table_document
from bot.views.kit import moment, page_line, rub, variant
from bot.views.payments import payments_document, reason_text
from bot.web.webapp.kit import PageKit, caller_of, neighbours, page, page_number, path_id
from bot.web.webapp.sessions import Caller
from core.billing.cards import BINDING_AMOUNT
from core.billing.payments import PaymentStatus
from core.calendar import Clock
from core.services.cards import BindRefusal, CardService, SavedCard
from core.services.invoices import InvoiceService
from core.services.payments import PaymentRecord, PaymentService

FORMATS = "{fmt:csv|xlsx}"
CONTENT_TYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
DONE = {"removed": "webapp-money-card-removed", "autopay": "webapp-money-autopay-saved"}


class MoneyPages(PageKit):
    def __init__(
        self,
        i18n_core: FluentRuntimeCore,
        invoices: InvoiceService,
        payments: PaymentService,
        cards: CardService,
        clock: Clock,
    ) -> None:
        super().__init__(i18n_core)
        self.invoices = invoices
        self.payments = payments
        self.cards = cards
        self.clock = clock

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_get("/payments", self.payments_page, name="payments")
        router.add_get("/payments.csv", self.payments_file, name="payments_file")
        router.add_get(f"/invoices.{FORMATS}", self.invoices_file, name="invoices_file")
        router.add_get(f"/invoices/{{invoice_id}}/lines.{FORMATS}", self.invoice_file, name="invoice_file")
        router.add_get("/cards", self.cards_page, name="cards")
        router.add_post("/cards/autopay", self.autopay, name="cards_autopay")
        router.add_post("/cards/bind", self.bind, name="cards_bind")
        router.add_post("/cards/{card_id}/remove", self.remove, name="card_remove")

    @page
    async def payments_page(self, request: web.Request, caller: Caller) -> web.Response:
        i18n = self.i18n(caller)
        shown = await self.payments.history(caller.viewer, page_number(request))
        return self.render(
            request,
            "money_payments.html",
            payments=[_payment(i18n, payment) for payment in shown.payments],
            page=page_line(i18n, shown.page),
            **neighbours(shown.page),
        )

    async def payments_file(self, request: web.Request) -> web.Response:
        caller = _owner(request)
        first = await self.payments.history(caller.viewer, 0)
        every = await self.payments.history(caller.viewer, 0, per_page=max(first.count, 1))
        return await _file(self.i18n(caller), payments_document, every.payments)

    async def invoices_file(self, request: web.Request) -> web.Response:
        caller = _owner(request)
        fmt = ExportFormat(request.match_info["fmt"])
        rows = await self.invoices.all(caller.viewer)
        return await _file(self.i18n(caller), table_document, rows, fmt, self.clock.today())

    async def invoice_file(self, request: web.Request) -> web.Response:
        caller = _owner(request)
        details = await self.invoices.details(caller.viewer, path_id(request, "invoice_id"))
        if details is None:
            raise web.HTTPNotFound()
        return await _file(self.i18n(caller), lines_document, details, ExportFormat(request.match_info["fmt"]))

    @page
    async def cards_page(self, request: web.Request, caller: Caller) -> web.Response:
        i18n = self.i18n(caller)
        overview = await self.cards.overview(caller.viewer)
        done = DONE.get(request.query.get("done", ""))
        return self.render(
            request,
            "money_cards.html",
            offered=overview.offered,
            registered=overview.registered,
            note=i18n.get(done) if done else None,
            cards=[_card(i18n, card) for card in overview.cards],
            autopay=overview.autopay,
            no_card=overview.autopay and not any(card.charged and not card.expired for card in overview.cards),
            binding_url=overview.binding_url,
        )

    async def autopay(self, request: web.Request) -> web.Response:
        caller = caller_of(request)  # a form reaches here only with a session and its CSRF token
        shown = await self.cards.set_autopay(caller.viewer, (await request.post()).get("on") == "1")
        raise _back_to_cards(request, "autopay" if shown.registered else None)  # nothing saved: nothing to say

    async def remove(self, request: web.Request) -> web.Response:
        """The card must still be the caller's: any other id is a 404, nothing removed."""
        caller = caller_of(request)
        if await self.cards.remove(caller.viewer, path_id(request, "card_id")) is None:
            raise web.HTTPNotFound()
        raise _back_to_cards(request, "removed")

    async def bind(self, request: web.Request) -> web.Response:
        """A binding started (or the one under way): a page with the link to the provider's page."""
        caller = caller_of(request)
        i18n = self.i18n(caller)
        result = await self.cards.bind(caller.viewer)
        if result.refusal is not None or result.confirmation_url is None:
            refusal = result.refusal or BindRefusal.UNREACHABLE
            text = i18n.get(bind_refusal_key(refusal), **bind_refusal_values(refusal))
            return self.render(request, "money_refused.html", text=text, back="/webapp/cards")
        return self.render(
            request,
            "money_card_bind.html",
            amount=rub(i18n, BINDING_AMOUNT),
            existing=result.existing,
            url=result.confirmation_url,
        )


def _owner(request: web.Request) -> Caller:
    """A download's caller: its session (cookie or key), else 404 (a download has no opening shell)."""
    caller = caller_of(request)
    if caller is None:
        raise web.HTTPNotFound()
    return caller


async def _file(i18n: I18nContext, build: Callable[..., tuple[str, bytes]], *args: Any) -> web.Response:
    """A document built off the loop (the XLSX writer is synchronous), as an attachment."""
    name, content = await asyncio.to_thread(build, i18n, *args)
    suffix = name.rsplit(".", 1)[-1]
    return web.Response(
        body=content,
        content_type=CONTENT_TYPES[suffix],
        charset="utf-8" if suffix == "csv" else None,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _back_to_cards(request: web.Request, done: str | None) -> web.HTTPSeeOther:
    cards = request.app.router["cards"].url_for()
    return web.HTTPSeeOther(cards.with_query(done=done) if done else cards)


def _payment(i18n: I18nContext, payment: PaymentRecord) -> dict[str, Any]:
    return {
        "number": payment.payment_id,
        "at": moment(i18n, payment.created_at),
        "amount": rub(i18n, payment.amount),
        "status": i18n.get(variant("payment-status", payment.status)),
        "reason": reason_text(i18n, payment.cancellation_reason) if payment.status == PaymentStatus.CANCELED else None,
        "invoices": ", ".join(payment.invoices),
        "refunds": [
            {
                "amount": rub(i18n, refund.amount),
                "at": moment(i18n, refund.created_at),
                "status": i18n.get(variant("refund-status", refund.status)),
            }
            for refund in payment.refunds
        ],
        "receipt": payment.receipt_registered,
        "pending": payment.status == PaymentStatus.PENDING,
    }


def _card(i18n: I18nContext, card: SavedCard) -> dict[str, Any]:
    until = f"{card.expiry_month:02d}/{card.expiry_year}"
    return {
        "id": card.card_id,
        "name": i18n.get("card-name", card_type=card.card_type or i18n.get("card-type-unknown"), last4=card.last4),
        "last4": card.last4,
        "validity": i18n.get("card-expired" if card.expired else "card-valid", until=until),
        "mark": i18n.get("cards-mark-expired")
        if card.expired
        else i18n.get("cards-mark-charged")
        if card.charged
        else None,
    }
