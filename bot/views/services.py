"""Services rendered (SOGAZ 4.1): whose services to show, and one person's history, newest first, paged.
Every registry string is clipped (UTF-16 units, as Telegram counts) and escaped; a page of 8 entries at
these lengths fits one message."""

from __future__ import annotations

from html import escape

from aiogram_i18n import I18nContext

from bot.callbacks.cabinet import PolicyCb
from bot.callbacks.invoices import InvoicesCb
from bot.callbacks.services import ServicesCb
from bot.screens import Screen
from bot.views.kit import NAME_IN_LIST, button, clip, day, keyboard, lines, page_line, pager, rub, variant
from bot.views.navigation import menu_button
from bot.views.policies import policy_button
from core.services.policies import Policy
from core.services.services_history import ServiceEntry, ServicesPage

CLINIC_IN_LINE = 80
SERVICE_IN_LINE = 160


def _status(i18n: I18nContext, entry: ServiceEntry) -> str:
    if entry.status is None:
        return i18n.get("services-not-invoiced")
    status = i18n.get(variant("invoice-status", entry.status))
    return i18n.get("services-invoiced", number=escape(entry.invoice_number or ""), status=status)


def _service(i18n: I18nContext, entry: ServiceEntry) -> str:
    name = entry.service_name if entry.service_name is not None else i18n.get("invoice-hidden-service")
    return escape(clip(name, SERVICE_IN_LINE))


def people_screen(i18n: I18nContext, policies: list[Policy]) -> Screen:
    """Whose services: the caller's own policy, relatives', children's."""
    return lines(i18n.get("services-people-title"), i18n.get("services-people-hint")), keyboard(
        *([policy_button("🩺", p, ServicesCb(person_id=p.person_id))] for p in policies),
        [button(i18n.get("invoices-back-button"), InvoicesCb())],
    )


def services_screen(i18n: I18nContext, shown: ServicesPage, card: bool) -> Screen:
    head = lines(
        i18n.get("services-title"),
        i18n.get(
            "services-insured",
            name=escape(clip(shown.full_name, NAME_IN_LIST)),
            number=escape(clip(shown.policy_number, NAME_IN_LIST)),
        ),
        page_line(i18n, shown.page),
    )
    entries = [
        i18n.get(
            "services-entry",
            date=day(i18n, entry.service_date),
            clinic=escape(clip(entry.clinic_name, CLINIC_IN_LINE)),
            service=_service(i18n, entry),
            quantity=entry.quantity,
            cost=rub(i18n, entry.cost),
            copay=rub(i18n, entry.copay),
            status=_status(i18n, entry),
        )
        for entry in shown.services
    ]
    body = "\n\n".join(entries) if entries else i18n.get("services-empty")
    text = "\n\n".join(part for part in (head, body, i18n.get("services-hint") if entries else "") if part)
    if card:
        back = button(i18n.get("services-back-card-button"), PolicyCb(person_id=shown.person_id))
    else:
        back = button(i18n.get("invoices-back-button"), InvoicesCb())
    return text, keyboard(
        pager(i18n, shown.page, lambda n: ServicesCb(person_id=shown.person_id, page=n, card=card)),
        [back],
        [menu_button(i18n)],
    )
