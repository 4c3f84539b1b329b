"""What an outbox notice says: a pure function of the row (kind + payload) and the recipient's language.

The payload holds ids, numbers, amounts (kopecks) and ISO dates (see `core.services.billing`); the
insured person's name comes with the `Notice`. Every user or registry string is escaped for HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from html import escape
from typing import Any

from aiogram_i18n.cores import FluentRuntimeCore

from bot.views.cabinet import day
from core.money import format_rub
from core.services.billing import ACCESS_RESTORED, ACCESS_RESTRICTED, INVOICE_ISSUED
from core.services.disputes import DISPUTE_ANSWERED
from core.services.outbox import Notice


class UnknownNotice(ValueError):
    """A kind this version cannot render (or a payload without what the kind needs)."""


def render_notice(core: FluentRuntimeCore, notice: Notice) -> str:
    render = _RENDERERS.get(notice.kind)
    if render is None:
        raise UnknownNotice(notice.kind)
    language = notice.language
    person = escape(notice.person_name) if notice.person_name else core.get("notice-person-unknown", language)
    try:
        key, values = render(notice.payload, language)
    except (KeyError, TypeError, ValueError) as error:
        raise UnknownNotice(f"{notice.kind}: bad payload") from error
    return core.get(key, language, person=person, **values)


def _invoice_issued(payload: Mapping[str, Any], language: str) -> tuple[str, dict[str, str]]:
    values = {"number": escape(str(payload["invoice"])), "due": _day(payload["due_on"])}
    if payload.get("status") == "paid" or int(payload["total"]) == 0:
        return "notice-invoice-issued-paid", values
    return "notice-invoice-issued", {**values, "total": format_rub(int(payload["total"]), language)}


def _access_restricted(payload: Mapping[str, Any], language: str) -> tuple[str, dict[str, str]]:
    rule = "emergency" if payload.get("rule") == "emergency" else "franchise"
    invoices = ", ".join(escape(str(number)) for number in payload.get("invoices", ()))
    return f"notice-access-restricted-{rule}", {"since": _day(payload["since"]), "invoices": invoices}


def _access_restored(payload: Mapping[str, Any], language: str) -> tuple[str, dict[str, str]]:
    return "notice-access-restored", {"on": _day(payload["on"])}



def _dispute_answered(payload: Mapping[str, Any], language: str) -> tuple[str, dict[str, str]]:
    values = {"number": escape(str(payload["invoice"])), "due": _day(payload["due_on"])}
    if payload.get("status") == "paid":
        return "notice-dispute-accepted-paid", values
    verdict = "accepted" if payload.get("accepted") is True else "rejected"
    overdue = "-overdue" if payload.get("status") == "overdue" else ""
    return f"notice-dispute-{verdict}{overdue}", {**values, "total": format_rub(int(payload["total"]), language)}


def _day(iso: str) -> str:
    return day(date.fromisoformat(iso))


_RENDERERS: dict[str, Callable[[Mapping[str, Any], str], tuple[str, dict[str, str]]]] = {
    INVOICE_ISSUED: _invoice_issued,
    ACCESS_RESTRICTED: _access_restricted,
    ACCESS_RESTORED: _access_restored,
    DISPUTE_ANSWERED: _dispute_answered,
}

__all__ = ["UnknownNotice", "render_notice"]
