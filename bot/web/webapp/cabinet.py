"""The cabinet as pages: the policies (relatives' and children's included), a policy's card and its memo
(PDF), the clinics of a policy with their search, the deductible with its consent form, and the services
rendered. Each calls the same use case as its chat screen for the session's viewer; an id of a policy
the viewer may not see finds nothing there, and is a 404 here."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from aiogram_i18n import I18nContext
from aiogram_i18n.cores import FluentRuntimeCore
from aiohttp import web

from bot.views.franchise import franchise_terms
from bot.views.kit import day, percent, rub, variant
from bot.views.memo import memo_pdf
from bot.views.policies import franchise_status, policy_status
from bot.web.webapp.kit import PageKit, caller_of, page, path_id, query_number
from bot.web.webapp.sessions import Caller
from core.bootstrap import Container
from core.cabinet.clinics import ClinicAccess, search_needle, search_query
from core.cabinet.paging import Page
from core.calendar import Clock
from core.errors import InputError
from core.services.cards import CardService
from core.services.clinics import ClinicEntry, ClinicService
from core.services.franchise import FranchiseService
from core.services.invoices import InvoiceService
from core.services.policies import Policy, PolicyService
from core.services.services_history import ServiceEntry

MEMO_FILE = "memo.pdf"


class PolicyPages(PageKit):
    """The policies, a policy's card, its memo and its clinics."""

    def __init__(
        self,
        i18n_core: FluentRuntimeCore,
        policies: PolicyService,
        clinics: ClinicService,
        cards: CardService,
        clock: Clock,
    ) -> None:
        super().__init__(i18n_core)
        self.policies = policies
        self.clinics = clinics
        self.cards = cards
        self.clock = clock

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_get("/policies", self.policies_page, name="policies")
        router.add_get("/policies/{policy_id}", self.policy_page, name="policy")
        router.add_get(f"/policies/{{policy_id}}/{MEMO_FILE}", self.memo, name="memo")
        router.add_get("/policies/{policy_id}/clinics", self.clinics_page, name="clinics")

    @page
    async def policies_page(self, request: web.Request, caller: Caller) -> web.Response:
        i18n = self.i18n(caller)
        rows = [_policy_row(i18n, policy) for policy in await self.policies.linked_policies(caller.viewer)]
        return self.render(request, "cabinet_policies.html", rows=rows)

    @page
    async def policy_page(self, request: web.Request, caller: Caller) -> web.Response:
        policy = await self._policy(request)
        i18n = self.i18n(caller)
        card = (
            _card_rows(i18n, policy) if policy.is_payer and policy.program.franchise_bp and self.cards.offered else {}
        )
        return self.render(
            request, "cabinet_policy.html", policy=_policy_row(i18n, policy), card=card, memo_file=MEMO_FILE
        )

    async def memo(self, request: web.Request) -> web.StreamResponse:
        """The memo, to its session only: a download has no shell to open a session with."""
        caller = caller_of(request)
        if caller is None:
            raise web.HTTPForbidden()
        policy = await self._policy(request)
        listed, total = await self.clinics.all_clinics(policy)
        # fpdf2 takes hundreds of milliseconds for a memo (0.8 s on a loaded 2-core machine): off the event loop.
        content = await asyncio.to_thread(memo_pdf, self.i18n(caller), policy, listed, total, self.clock.today())
        disposition = f'attachment; filename="{MEMO_FILE}"'  # the policy number stays out of the file's name
        return web.Response(body=content, content_type="application/pdf", headers={"Content-Disposition": disposition})

    @page
    async def clinics_page(self, request: web.Request, caller: Caller) -> web.Response:
        """A page of the policy's clinics; `q` searches them as the chat's search does, `page` pages."""
        policy = await self._policy(request)
        i18n = self.i18n(caller)
        typed = request.query.get("q", "")
        query, problem = None, None
        if typed.strip():
            try:
                query = search_query(typed)
            except InputError as error:
                problem = i18n.get("error-" + error.code.replace(".", "-"), **error.details)
        needle = search_needle(query) if query else None
        found = await self.clinics.clinic_page(policy, needle=needle, page=query_number(request, "page"))
        others = [_policy_row(i18n, p) for p in await self.policies.linked_policies(caller.viewer)]
        return self.render(
            request,
            "cabinet_clinics.html",
            policy=_policy_row(i18n, policy),
            clinics=[_clinic_row(i18n, clinic) for clinic in found.clinics],
            query=query or "",
            typed=typed,
            problem=problem,
            count=found.total,
            pager=_pager(i18n, found.page, {"q": query} if query else {}),
            others=[row for row in others if row["id"] != policy.person_id],
        )

    async def _policy(self, request: web.Request) -> Policy:
        policy = await self.policies.linked_policy(caller_of(request).viewer, path_id(request, "policy_id"))
        if policy is None:
            raise web.HTTPNotFound()
        return policy


class FranchisePages(PageKit):
    """The deductible of each policy that has one: the terms, and the consent as a form."""

    def __init__(self, i18n_core: FluentRuntimeCore, franchise: FranchiseService) -> None:
        super().__init__(i18n_core)
        self.franchise = franchise

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_get("/franchise", self.franchise_page, name="franchise")
        router.add_post("/franchise/{policy_id}/activate", self.activate, name="activate_franchise")

    @page
    async def franchise_page(self, request: web.Request, caller: Caller) -> web.Response:
        i18n = self.i18n(caller)
        offers = await self.franchise.franchise_policies(caller.viewer)
        rows = [
            {
                **_policy_row(i18n, offer.policy),
                "percent": percent(i18n, offer.policy.program.franchise_bp),
                "terms": franchise_terms(i18n, offer.policy),  # the versioned terms the chat shows
                "refusal": i18n.get(variant("franchise-refusal", offer.refusal)) if offer.refusal else None,
            }
            for offer in offers
        ]
        return self.render(request, "cabinet_franchise.html", rows=rows)

    async def activate(self, request: web.Request) -> web.Response:
        """The same use case as the chat's consent button; the page then shows the date it takes effect."""
        caller = caller_of(request)  # a form reaches here only with a session and its CSRF token
        activation = await self.franchise.activate(caller.viewer, path_id(request, "policy_id"))
        if activation is None:
            raise web.HTTPNotFound()
        if activation.refusal is not None:
            text = self.i18n(caller).get(variant("franchise-refusal", activation.refusal))
            return self.render(request, "cabinet_refused.html", text=text)
        raise web.HTTPSeeOther(request.app.router["franchise"].url_for())


class ServicesPages(PageKit):
    """Services rendered: whose (the viewer's policies), then one person's history, newest first, paged."""

    def __init__(self, i18n_core: FluentRuntimeCore, policies: PolicyService, invoices: InvoiceService) -> None:
        super().__init__(i18n_core)
        self.policies = policies
        self.invoices = invoices

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_get("/services", self.services_page, name="services")

    @page
    async def services_page(self, request: web.Request, caller: Caller) -> web.Response:
        """`person`: whose history (the viewer's own by default); someone else's is a 404."""
        viewer, i18n = caller.viewer, self.i18n(caller)
        people = [_policy_row(i18n, policy) for policy in await self.policies.linked_policies(viewer)]
        person_id, page = query_number(request, "person", viewer.person_id or 0), query_number(request, "page")
        shown = await self.invoices.services(viewer, person_id, page) if people else None
        if shown is None and "person" in request.query:
            raise web.HTTPNotFound()
        history = None
        if shown is not None:
            history = {
                "person_id": shown.person_id,
                "name": shown.full_name,
                "number": shown.policy_number,
                "entries": [_service_row(i18n, entry) for entry in shown.services],
                "pager": _pager(i18n, shown.page, {"person": shown.person_id}),
            }
        return self.render(request, "cabinet_services.html", people=people, history=history)


def _policy_row(i18n: I18nContext, policy: Policy) -> Mapping[str, Any]:
    program = policy.program
    due_later = policy.debt - policy.overdue_debt
    return {
        "id": policy.person_id,
        "number": policy.policy_number,
        "name": policy.full_name,
        "relation": i18n.get(f"policy-relation-{policy.relation}"),
        "program": program.name,
        "description": program.description,
        "contract": policy.contract_number or "—",
        "employer": policy.employer or "—",
        "validity": i18n.get(
            "webapp-cabinet-validity-range", start=day(i18n, policy.valid_from), end=day(i18n, policy.valid_to)
        ),
        "status": policy_status(i18n, policy.status, program.overdue_rule),
        "franchise": franchise_status(i18n, policy.franchise),
        "has_franchise": bool(program.franchise_bp),
        "debt": rub(i18n, policy.overdue_debt) if policy.overdue_debt > 0 else None,
        "to_pay": rub(i18n, due_later) if due_later > 0 else None,
    }


def _card_rows(i18n: I18nContext, policy: Policy) -> Mapping[str, str]:
    """For the payer of a policy with a deductible: the card automatic charges use, and whether they are on."""
    card = policy.card
    if card is None:
        shown = i18n.get("webapp-cabinet-card-none")
    else:
        name = i18n.get("card-name", card_type=card.card_type or i18n.get("card-type-unknown"), last4=card.last4)
        until = f"{card.expiry_month:02d}/{card.expiry_year}"
        shown = f"{name}, {i18n.get('card-expired' if card.expired else 'card-valid', until=until)}"
    return {"card": shown, "autopay": i18n.get(f"webapp-cabinet-autopay-{'on' if policy.autopay else 'off'}")}


def _clinic_row(i18n: I18nContext, clinic: ClinicEntry) -> Mapping[str, Any]:
    booking = (
        clinic.booking_url if clinic.booking_url and clinic.booking_url.startswith(("https://", "http://")) else None
    )
    return {
        "name": clinic.name,
        "where": ", ".join(part for part in (clinic.city, clinic.address) if part),
        "phone": clinic.phone,
        "franchise": i18n.get("clinic-franchise-mark") if clinic.franchise else None,
        "access": i18n.get(variant("clinic-access", clinic.access)),
        "available": clinic.access == ClinicAccess.AVAILABLE,
        "booking": booking,
    }


def _service_row(i18n: I18nContext, entry: ServiceEntry) -> Mapping[str, Any]:
    if entry.status is None:
        invoiced = i18n.get("services-not-invoiced")
    else:
        status = i18n.get(variant("invoice-status", entry.status))
        invoiced = i18n.get("services-invoiced", number=entry.invoice_number or "", status=status)
    return {
        "date": day(i18n, entry.service_date),
        "clinic": entry.clinic_name,
        "service": entry.service_name if entry.service_name is not None else i18n.get("invoice-hidden-service"),
        "quantity": entry.quantity,
        "cost": rub(i18n, entry.cost),
        "copay": rub(i18n, entry.copay),
        "invoiced": invoiced,
    }


def _pager(i18n: I18nContext, page: Page, keep: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """Links to the neighbouring pages, keeping the other query parameters."""
    if page.count <= 1:
        return None

    def to(number: int) -> str:
        return "?" + urlencode({**keep, "page": number})

    return {
        "line": i18n.get("cabinet-page", number=page.number + 1, count=page.count),
        "previous": to(page.number - 1) if page.has_previous else None,
        "next": to(page.number + 1) if page.has_next else None,
    }


def add_cabinet_routes(router: web.UrlDispatcher, i18n_core: FluentRuntimeCore, container: Container) -> None:
    """The cabinet's three groups of pages, on the same use cases as the chat's screens."""
    c = container
    PolicyPages(i18n_core, c.policies, c.clinics, c.cards, c.clock).add_routes(router)
    FranchisePages(i18n_core, c.franchise).add_routes(router)
    ServicesPages(i18n_core, c.policies, c.invoices).add_routes(router)
