"""The desk's money actions as staff pages: an invoice's and a payment's details (the chat's money card, from
the same view data), with a form for each action the use case lists for this member (mark paid offline,
cancel, refund in part or in full, settle or dismiss an anomaly), then the plan to confirm, then the
action, whose outcome or refusal is shown over the details.

Nothing is kept between the two steps: the confirmation form carries the plan as shown, what was typed and
the amount, and `MoneyService.apply` computes the plan again in its own transaction and does it only when
it is the same — so a second submit (a double click, a reload) finds the invoices changed and does nothing.
The role is re-read by every use case: a session without it is 403, an invoice or payment unknown is 404."""

from __future__ import annotations

import json
from typing import Any

from aiogram_i18n import I18nContext
from aiogram_i18n.cores import FluentRuntimeCore
from aiohttp import web
from multidict import MultiDictProxy

from bot.views.desk_money import confirm_screen, invoice_screen, outcome_note, payment_screen, refusal_note
from bot.views.kit import input_error, rub, variant
from bot.web.webapp.desk import staff_only, telegram_html
from bot.web.webapp.kit import PageKit, page, path_id
from bot.web.webapp.sessions import Caller
from core.desk.money import (
    MAX_REASON,
    MAX_REFERENCE,
    MoneyAction,
    MoneyRefused,
    read_amount,
    read_reason,
    read_reference,
)
from core.errors import InputError
from core.services.money import InvoiceCard, MoneyService, PaymentCard
from core.services.queue import QueueItem

# What each kind of target allows (the use case refuses the rest too); the path's segment names the action.
INVOICE_ACTIONS = (MoneyAction.MARK_PAID, MoneyAction.CANCEL)
PAYMENT_ACTIONS = (MoneyAction.REFUND, MoneyAction.MARK_PAID, MoneyAction.DISMISS)
TEXT_LIMITS = {MoneyAction.MARK_PAID: MAX_REFERENCE, MoneyAction.CANCEL: MAX_REASON, MoneyAction.DISMISS: MAX_REASON}
Card = InvoiceCard | PaymentCard


class DeskMoneyPages(PageKit):
    def __init__(self, i18n_core: FluentRuntimeCore, money: MoneyService) -> None:
        super().__init__(i18n_core)
        self.money = money

    def add_routes(self, router: web.UrlDispatcher) -> None:
        invoice_acts = "|".join(action.value for action in INVOICE_ACTIONS)
        payment_acts = "|".join(action.value for action in PAYMENT_ACTIONS)
        router.add_get("/desk/invoices/{invoice_id}", self.invoice_page, name="desk_invoice")
        router.add_post(f"/desk/invoices/{{invoice_id}}/{{action:{invoice_acts}}}", self.invoice_act)
        router.add_get("/desk/payments/{payment_id}", self.payment_page, name="desk_payment")
        router.add_post(f"/desk/payments/{{payment_id}}/{{action:{payment_acts}}}", self.payment_act)

    @page
    async def invoice_page(self, request: web.Request, caller: Caller) -> web.Response:
        return await self._card_page(request, caller, "invoices", path_id(request, "invoice_id"))

    @page
    async def payment_page(self, request: web.Request, caller: Caller) -> web.Response:
        return await self._card_page(request, caller, "payments", path_id(request, "payment_id"))

    @page
    async def invoice_act(self, request: web.Request, caller: Caller) -> web.Response:
        return await self._act(request, caller, "invoices", path_id(request, "invoice_id"))

    @page
    async def payment_act(self, request: web.Request, caller: Caller) -> web.Response:
        return await self._act(request, caller, "payments", path_id(request, "payment_id"))

    async def item_forms(self, i18n: I18nContext, staff: int, item: QueueItem) -> dict[str, Any]:
        """An item's page (bot/web/webapp/desk.py): its payment's money forms (a payment anomaly's settle,
        refund, dismiss), when the item has a payment this member may open."""
        card = None
        if item.payment is not None and item.record:
            card = await self.money.payment(staff, item.payment.payment_id)
        if card is None:
            return {"money_payment": None, "money_forms": []}
        return {"money_payment": card.payment_id, "money_forms": money_forms(i18n, "payments", card)}

    async def _card_page(
        self, request: web.Request, caller: Caller, on: str, item_id: int, note: str = ""
    ) -> web.Response:
        i18n = self.i18n(caller)
        with staff_only():
            card = await (self.money.invoice if on == "invoices" else self.money.payment)(
                caller.viewer.telegram_id, item_id
            )
        if card is None:
            raise web.HTTPNotFound()
        if isinstance(card, InvoiceCard):
            text = invoice_screen(i18n, card)[0]
            whose = card.payer_person_id or card.insured_person_id
            links = [(f"/webapp/desk/payments/{p}", f"💳 № {p}") for p in card.payments]
            title = i18n.get("webapp-desk-money-invoice-title", number=card.number)
        else:
            text = payment_screen(i18n, card)[0]
            whose = card.payer_person_id
            links = [(f"/webapp/desk/invoices/{invoice_id}", f"🧾 {number}") for invoice_id, number in card.invoices]
            title = i18n.get("webapp-desk-money-payment-title", number=str(card.payment_id))
        return self.render(
            request,
            "desk_money.html",
            title=title,
            note=telegram_html(note),
            text=telegram_html(text),
            person_id=whose,
            money_links=links,
            money_forms=money_forms(i18n, on, card),
        )

    async def _act(self, request: web.Request, caller: Caller, on: str, item_id: int) -> web.Response:
        """The form's first submit shows the plan to confirm; the confirmation (it carries `plan`) acts."""
        action = MoneyAction(request.match_info["action"])
        form = await request.post()
        staff = caller.viewer.telegram_id
        target = {"invoice_id": item_id} if on == "invoices" else {"payment_id": item_id}
        i18n = self.i18n(caller)
        try:
            typed = _typed(action, form)
        except InputError as error:
            return await self._card_page(request, caller, on, item_id, input_error(i18n, error, _example(action)))
        with staff_only():
            if "plan" not in form:
                try:
                    plan = await self.money.plan(staff, action, amount=typed.get("amount"), **target)
                except MoneyRefused as refused:
                    return await self._card_page(request, caller, on, item_id, refusal_note(i18n, refused.refusal))
                return self.render(
                    request,
                    "desk_money_confirm.html",
                    title=i18n.get(variant("desk-money-act", action)),
                    text=telegram_html(confirm_screen(i18n, plan, typed.get("text"))[0]),
                    url=request.path,
                    plan=json.dumps(plan.stored(), ensure_ascii=False),
                    fields={name: _form_text(form, name) for name in ("text", "amount", "full") if name in form},
                    back=f"/webapp/desk/{on}/{item_id}",
                )
            outcome = await self.money.apply(
                staff, action, _shown(form), amount=typed.get("amount"), text=typed.get("text"), **target
            )
            return await self._card_page(request, caller, on, item_id, outcome_note(i18n, outcome))


def money_forms(i18n: I18nContext, on: str, card: Card) -> list[dict[str, Any]]:
    """A form for each action the use case lists for this member on this card (a refund: all that is left,
    or an amount), posted to the action's address under the card's."""
    item_id = card.invoice_id if isinstance(card, InvoiceCard) else card.payment_id
    forms = []
    for action in card.actions:
        form = {
            "url": f"/webapp/desk/{on}/{item_id}/{action.value}",
            "hidden": {},
            "field": None,
            "label": "",
            "limit": 0,
        }
        if action is MoneyAction.REFUND:
            full = {"button": i18n.get("desk-money-act-refund-full"), "hidden": {"full": "1"}}
            label = i18n.get("webapp-desk-money-amount", left=rub(i18n, card.refundable))
            forms += [
                form | full,
                form | {"button": i18n.get("desk-money-act-refund"), "field": "amount", "label": label},
            ]
            continue
        label = i18n.get(variant("webapp-desk-money-field", action))
        button = i18n.get(variant("desk-money-act", action))
        forms.append(form | {"button": button, "field": "text", "label": label, "limit": TEXT_LIMITS[action]})
    return forms


def _typed(action: MoneyAction, form: MultiDictProxy) -> dict[str, Any]:
    """What the form carries for the action, read as the chat reads it typed: InputError."""
    if action is MoneyAction.REFUND:
        return {} if "full" in form else {"amount": read_amount(_form_text(form, "amount"))}
    reader = read_reference if action is MoneyAction.MARK_PAID else read_reason
    return {"text": reader(_form_text(form, "text"))}


def _form_text(form: MultiDictProxy, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def _shown(form: MultiDictProxy) -> list[list]:
    """The plan the confirmation showed; anything unreadable is a plan that matches nothing (`changed`)."""
    try:
        shown = json.loads(_form_text(form, "plan"))
    except ValueError:
        return []
    return shown if isinstance(shown, list) else []


def _example(action: MoneyAction) -> str:
    return variant("desk-money-example", action)
