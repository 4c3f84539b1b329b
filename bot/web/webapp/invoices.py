"""The invoices, an invoice's details and its payment as pages: each calls the same use case as its chat
screen, for the session's viewer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram_i18n import I18nContext
from aiogram_i18n.cores import FluentRuntimeCore
from aiohttp import web

from bot.views.invoices import SETTLED, category_text, service_text, status_text
from bot.views.kit import day, rub, variant
from bot.web.webapp.kit import PageKit, caller_of, page, path_id
from bot.web.webapp.sessions import Caller
from core.services.invoices import InvoiceService, InvoiceSummary
from core.services.payments import PaymentService


class InvoicePages(PageKit):
    def __init__(self, i18n_core: FluentRuntimeCore, invoices: InvoiceService, payments: PaymentService) -> None:
        super().__init__(i18n_core)
        self.invoices = invoices
        self.payments = payments

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_get("/invoices", self.invoices_page, name="invoices")
        router.add_get("/invoices/{invoice_id}", self.invoice_page, name="invoice")
        router.add_post("/invoices/{invoice_id}/pay", self.pay, name="pay")
        router.add_get("/payments/{payment_id}", self.payment_page, name="payment")

    @page
    async def invoices_page(self, request: web.Request, caller: Caller) -> web.Response:
        i18n = self.i18n(caller)
        rows = [_row(i18n, invoice) for invoice in await self.invoices.all(caller.viewer)]
        return self.render(request, "invoices.html", rows=rows)

    @page
    async def invoice_page(self, request: web.Request, caller: Caller) -> web.Response:
        details = await self.invoices.details(caller.viewer, path_id(request, "invoice_id"))
        if details is None:
            raise web.HTTPNotFound()
        i18n = self.i18n(caller)
        lines = [
            {
                "date": day(i18n, line.service_date),
                "clinic": line.clinic_name,
                "service": service_text(i18n, line),
                "cost": rub(i18n, line.cost),
                "copay": rub(i18n, line.copay),
            }
            for line in details.lines
        ]
        return self.render(request, "invoice.html", invoice=_row(i18n, details.invoice), lines=lines)

    async def pay(self, request: web.Request) -> web.Response:
        """One payment for this invoice, then its page (the link to the provider's page is there)."""
        caller = caller_of(request)  # a form reaches here only with a session and its CSRF token
        result = await self.payments.pay(caller.viewer, [path_id(request, "invoice_id")])
        if result.payment is None:
            return self.render(request, "refused.html", text=self.i18n(caller).get(_refusal(result.refusal)))
        raise web.HTTPSeeOther(request.app.router["payment"].url_for(payment_id=str(result.payment.payment_id)))

    @page
    async def payment_page(self, request: web.Request, caller: Caller) -> web.Response:
        result = await self.payments.check(caller.viewer, path_id(request, "payment_id"))
        if result.payment is None:
            if result.refusal == "not_found":
                raise web.HTTPNotFound()
            return self.render(request, "refused.html", text=self.i18n(caller).get(_refusal(result.refusal)))
        payment = result.payment
        i18n = self.i18n(caller)
        return self.render(
            request,
            "payment.html",
            number=payment.payment_id,
            amount=rub(i18n, payment.amount),
            status=i18n.get(variant("webapp-payment-status", payment.status)),
            pay_url=payment.confirmation_url if payment.status == "pending" else None,
        )


def _row(i18n: I18nContext, invoice: InvoiceSummary) -> Mapping[str, Any]:
    settled = invoice.status in SETTLED
    return {
        "id": invoice.invoice_id,
        "number": invoice.number,
        "issued": day(i18n, invoice.issued_on),
        "insured": f"{invoice.insured_name} ({category_text(i18n, invoice)})",
        "status": status_text(i18n, invoice),
        "due": None if settled else day(i18n, invoice.due_on),
        "copay": rub(i18n, invoice.copay),
        "deposit": rub(i18n, invoice.deposit_used) if invoice.deposit_used else None,
        "credited": rub(i18n, invoice.credited) if invoice.credited else None,
        "total": None if settled else rub(i18n, invoice.total),
        "payable": invoice.selectable,
        "disputable": invoice.disputable,
    }


def _refusal(code: str | None) -> str:
    return variant("payment-refused", code or "not_found")
