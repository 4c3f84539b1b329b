"""Disputes and requests as pages: the lists, one dispute or request with the staff's answer as stored, a
dispute filed on an invoice's line and a new request, each form calling the same use case with the same
checks as the chat's (the invoice unpaid and the caller's, the texts' limits of core.cabinet.requests)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram_i18n import I18nContext
from aiogram_i18n.cores import FluentRuntimeCore
from aiohttp import web

from bot.views.disputes import dispute_line_label
from bot.views.kit import day, moment, page_line, variant
from bot.web.webapp.kit import PageKit, caller_of, input_problem, neighbours, page, page_number, path_id
from bot.web.webapp.sessions import Caller
from core.actors import NotYours
from core.billing.disputes import DisputeStatus
from core.cabinet.requests import FORM_KINDS, MAX_PREFERRED_TIME, MAX_TEXT, RequestKind, preferred_time, request_text
from core.errors import InputError
from core.services.disputes import DisputeRecord, DisputeService
from core.services.invoices import InvoiceDetails, InvoiceService
from core.services.requests import RequestMessageRecord, RequestRecord, RequestService
from core.services.support import SupportService


class ConversationPages(PageKit):
    def __init__(
        self,
        i18n_core: FluentRuntimeCore,
        invoices: InvoiceService,
        disputes: DisputeService,
        requests: RequestService,
        support: SupportService,
    ) -> None:
        super().__init__(i18n_core)
        self.invoices = invoices
        self.disputes = disputes
        self.requests = requests
        self.support = support  # the reply to support's answer, the chat's use case

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_get("/disputes", self.disputes_page, name="disputes")
        router.add_get("/disputes/{dispute_id}", self.dispute_page, name="dispute")
        router.add_post("/disputes/{dispute_id}/reply", self.reply_to_dispute, name="reply_to_dispute")
        router.add_get("/invoices/{invoice_id}/dispute", self.dispute_form, name="dispute_form")
        router.add_post("/invoices/{invoice_id}/dispute", self.file_dispute, name="file_dispute")
        router.add_get("/requests", self.requests_page, name="requests")
        router.add_get("/requests/new/{kind}", self.request_form, name="request_form")
        router.add_post("/requests/new/{kind}", self.file_request, name="file_request")
        router.add_get("/requests/{request_id}", self.request_page, name="request")
        router.add_post("/requests/{request_id}/close", self.close_request, name="close_request")
        router.add_post("/requests/{request_id}/reply", self.reply_to_request, name="reply_to_request")

    @page
    async def disputes_page(self, request: web.Request, caller: Caller) -> web.Response:
        i18n = self.i18n(caller)
        rows = [_dispute(i18n, dispute) for dispute in await self.disputes.of_viewer(caller.viewer)]
        return self.render(request, "money_disputes.html", disputes=rows)

    @page
    async def dispute_page(self, request: web.Request, caller: Caller) -> web.Response:
        return await self._dispute_page(request, caller, path_id(request, "dispute_id"))

    async def reply_to_dispute(self, request: web.Request) -> web.Response:
        return await self._reply(request, "dispute", self.disputes.reply, self._dispute_page)

    async def _reply(self, request: web.Request, item: str, send: Callable, show: Callable) -> web.Response:
        """As the chat's Reply under support's message on a dispute or a request (`item`): the same use case
        (`send`) and rule. The form names the conversation's last message it showed, so the same form posted
        again is refused: the page shown (`show`) as it is now, the words kept in the box."""
        caller = caller_of(request)
        number = path_id(request, f"{item}_id")
        form = await request.post()
        typed, after = str(form.get("text", "")), str(form.get("after", ""))
        try:
            text = request_text(typed)
        except InputError as error:
            return await show(request, caller, number, typed, input_problem(self.i18n(caller), error))
        if await send(caller.viewer, number, text, after=int(after) if after.isdigit() else 0):
            raise web.HTTPSeeOther(request.app.router[item].url_for(**{f"{item}_id": str(number)}))
        return await show(request, caller, number, typed, self.i18n(caller).get(f"{item}-reply-moved-on"))

    async def _dispute_page(
        self, request: web.Request, caller: Caller, number: int, typed: str = "", error: str | None = None
    ) -> web.Response:
        """The dispute with its conversation, and the reply form when the caller may reply; another's: 404."""
        dispute = await self.disputes.details(caller.viewer, number)
        messages = await self.disputes.conversation(caller.viewer, number)
        if dispute is None or messages is None:
            raise web.HTTPNotFound()
        i18n = self.i18n(caller)
        return self.render(
            request,
            "money_dispute.html",
            dispute=_dispute(i18n, dispute),
            conversation=_said(i18n, caller, messages, f"/webapp/disputes/{number}/files"),
            reply=_reply_form(await self.disputes.may_reply(caller.viewer, number), messages, typed),
            error=error,
        )

    @page
    async def dispute_form(self, request: web.Request, caller: Caller) -> web.Response:
        return await self._dispute_form(request, caller, await self._disputable(request, caller))

    async def file_dispute(self, request: web.Request) -> web.Response:
        """As the chat's form: the invoice still the caller's and unpaid, the line on it, the reason within its
        limit; the use case then checks the rest (a line already credited, the invoice changed meanwhile)."""
        caller = caller_of(request)  # a form reaches here only with a session and its CSRF token
        details = await self.invoices.details(caller.viewer, path_id(request, "invoice_id"))
        if details is None:
            raise web.HTTPNotFound()
        form = await request.post()  # the use case refuses an invoice held already, but for the same sent twice
        position, typed = str(form.get("line", "")), str(form.get("reason", ""))
        if not position.isdigit() or int(position) >= len(details.lines):
            refusal = self.i18n(caller).get("dispute-refused-no-such-line")
            return await self._dispute_form(request, caller, details, error=refusal, typed=typed)
        try:
            reason = request_text(typed, "reason")
        except InputError as error:
            problem = input_problem(self.i18n(caller), error)
            return await self._dispute_form(request, caller, details, error=problem, typed=typed, chosen=position)
        result = await self.disputes.open(
            caller.viewer, details.invoice.invoice_id, details.lines[int(position)].line_id, reason
        )
        if result.dispute is None:
            refusal = self.i18n(caller).get(variant("dispute-refused", result.refusal or "not_found"))
            return await self._dispute_form(request, caller, details, error=refusal, typed=typed, chosen=position)
        raise web.HTTPSeeOther(request.app.router["dispute"].url_for(dispute_id=str(result.dispute.dispute_id)))

    async def _disputable(self, request: web.Request, caller: Caller) -> InvoiceDetails | str:
        """The invoice's details if it may be disputed, else why not; another person's id is a 404."""
        details = await self.invoices.details(caller.viewer, path_id(request, "invoice_id"))
        if details is None:
            raise web.HTTPNotFound()
        if not details.invoice.disputable:
            return self.i18n(caller).get("dispute-not-disputable")
        return details

    async def _dispute_form(
        self,
        request: web.Request,
        caller: Caller,
        details: InvoiceDetails | str,
        error: str | None = None,
        typed: str = "",
        chosen: str | None = None,
    ) -> web.Response:
        """`typed`, `chosen` (the line's position): what the person sent, given back with the error (the template escapes it)."""
        if isinstance(details, str):
            return self.render(request, "money_refused.html", text=details, back="/webapp/invoices")
        i18n = self.i18n(caller)
        invoice = details.invoice
        credited = {
            line_id
            for line_id, dispute in (await self.disputes.of_invoice(caller.viewer, invoice.invoice_id)).items()
            if dispute.status == DisputeStatus.ACCEPTED
        }
        lines = [
            {"position": position, "label": dispute_line_label(i18n, position + 1, line)}
            for position, line in enumerate(details.lines)
            if line.line_id not in credited
        ]
        return self.render(
            request,
            "money_dispute_form.html",
            invoice_id=invoice.invoice_id,
            number=invoice.number,
            lines=lines,
            error=error,
            limit=MAX_TEXT,
            typed=typed,
            chosen=chosen,
        )

    @page
    async def requests_page(self, request: web.Request, caller: Caller) -> web.Response:
        i18n = self.i18n(caller)
        found = await self.requests.page(caller.viewer, page_number(request))
        return self.render(
            request,
            "money_requests.html",
            requests=[_request(i18n, item) for item in found.requests],
            page=page_line(i18n, found.page),
            **neighbours(found.page),
            kinds=[(kind.value, i18n.get(variant("webapp-money-request-new", kind))) for kind in FORM_KINDS],
            registered=caller.viewer.person_id is not None,
        )

    @page
    async def request_page(self, request: web.Request, caller: Caller) -> web.Response:
        return await self._request_page(request, caller, path_id(request, "request_id"))

    async def reply_to_request(self, request: web.Request) -> web.Response:
        return await self._reply(request, "request", self.support.reply, self._request_page)

    async def _request_page(
        self, request: web.Request, caller: Caller, number: int, typed: str = "", error: str | None = None
    ) -> web.Response:
        """The request with its conversation, and the reply form when the caller may reply; another's: 404."""
        found = await self.requests.details(caller.viewer, number)
        messages = await self.requests.conversation(caller.viewer, number)
        if found is None or messages is None:
            raise web.HTTPNotFound()
        i18n = self.i18n(caller)
        conversation = _said(i18n, caller, messages, f"/webapp/requests/{number}/files")
        if not conversation and found.reply:  # answered before conversations were kept: the answer alone
            conversation = [
                {"from_staff": True, "text": found.reply, "at": moment(i18n, found.replied_at), "file": None}
            ]
        return self.render(
            request,
            "money_request.html",
            item=_request(i18n, found),
            conversation=conversation,
            reply=_reply_form(await self.support.may_reply(caller.viewer, number), messages, typed),
            error=error,
        )

    async def close_request(self, request: web.Request) -> web.Response:
        """As the chat's Close: only the caller's own request (any other number is a 404)."""
        caller = caller_of(request)
        closed = await self.requests.close(caller.viewer, path_id(request, "request_id"))
        if closed is None:
            raise web.HTTPNotFound()
        raise web.HTTPSeeOther(request.app.router["request"].url_for(request_id=str(closed.number)))

    @page
    async def request_form(self, request: web.Request, caller: Caller) -> web.Response:
        return self._request_form(request, caller, _kind(request))

    async def file_request(self, request: web.Request) -> web.Response:
        """About the caller's own policy, as the chat's form from /requests; staff are told (the use case),
        once for the same text sent twice (a double submit leads to the first request)."""
        caller = caller_of(request)
        kind = _kind(request)
        if caller.viewer.person_id is None:
            return self._unregistered(request, caller)
        text = str((await request.post()).get("text", ""))
        try:
            fields = (
                {"preferred_time": preferred_time(text)}
                if kind == RequestKind.CALLBACK
                else {"text": request_text(text)}
            )
        except InputError as error:
            problem = input_problem(self.i18n(caller), error)
            return self._request_form(request, caller, kind, error=problem, typed=text)
        try:
            created = await self.requests.create(
                caller.viewer, caller.viewer.person_id, kind, language=self.i18n(caller).locale, **fields
            )
        except NotYours:
            raise web.HTTPNotFound() from None
        raise web.HTTPSeeOther(request.app.router["request"].url_for(request_id=str(created.number)))

    def _request_form(
        self, request: web.Request, caller: Caller, kind: RequestKind, error: str | None = None, typed: str = ""
    ) -> web.Response:
        """`typed`: what the person sent, given back with the error (the template escapes it)."""
        if not caller.viewer.registered:
            return self._unregistered(request, caller)
        i18n = self.i18n(caller)
        return self.render(
            request,
            "money_request_form.html",
            kind=kind.value,
            title=i18n.get(variant("webapp-money-request-new", kind)),
            label=i18n.get(variant("webapp-money-request-field", kind)),
            limit=MAX_PREFERRED_TIME if kind == RequestKind.CALLBACK else MAX_TEXT,
            error=error,
            typed=typed,
        )

    def _unregistered(self, request: web.Request, caller: Caller) -> web.Response:
        """No form for a person not registered: the chat's words for them (a request is about a policy)."""
        text = self.i18n(caller).get("menu-unregistered")
        return self.render(request, "money_refused.html", text=text, back="/webapp/requests")


def _kind(request: web.Request) -> RequestKind:
    kind = request.match_info["kind"]
    if kind not in {form.value for form in FORM_KINDS}:
        raise web.HTTPNotFound()
    return RequestKind(kind)


def _said(i18n: I18nContext, caller: Caller, messages: list[RequestMessageRecord], files: str) -> list[dict[str, Any]]:
    """A conversation's messages for its page; support's photo or document as a link (under `files`, keyed to
    the session), its name as sent."""
    said = []
    for m in messages:
        file = None
        if m.file is not None:
            kind = i18n.get(variant("webapp-conversation-file", m.file.kind))
            file = {"kind": kind, "name": m.file.name, "url": caller.download_link(f"{files}/{m.message_id}")}
        said.append({"from_staff": m.from_staff, "text": m.text, "at": moment(i18n, m.at), "file": file})
    return said


def _reply_form(may_reply: bool, messages: list[RequestMessageRecord], typed: str) -> dict[str, Any] | None:
    """The reply form's fields, naming the conversation's last message shown; None when no reply is taken."""
    if not may_reply:
        return None
    return {"after": max((m.message_id for m in messages), default=0), "typed": typed, "limit": MAX_TEXT}


def _dispute(i18n: I18nContext, dispute: DisputeRecord) -> dict[str, Any]:
    return {
        "id": dispute.dispute_id,
        "invoice_id": dispute.invoice_id,
        "number": dispute.invoice_number,
        "date": day(i18n, dispute.service_date),
        "opened": day(i18n, dispute.opened_on),
        "deadline": day(i18n, dispute.deadline),
        "late": dispute.late,
        "status": i18n.get(variant("webapp-money-dispute-status", dispute.status)),
        "reason": dispute.reason,
        "answered": day(i18n, dispute.answered_on) if dispute.answered_on else None,
        "answer": dispute.answer,
    }


def _request(i18n: I18nContext, item: RequestRecord) -> dict[str, Any]:
    return {
        "number": item.number,
        "kind": i18n.get(variant("request-kind", item.kind)),
        "status": i18n.get(variant("request-status", item.status)),
        "created": moment(i18n, item.created_at),
        "date": day(i18n, item.created_at.date()),
        "text": item.text,
        "can_close": item.can_close,
        "preferred_time": item.preferred_time,
    }
