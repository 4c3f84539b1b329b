"""Clinics: choosing the policy, a page of its program's clinics, a clinic's card, a search prompt."""

from __future__ import annotations

from html import escape

from aiogram.types import InlineKeyboardButton, KeyboardButton, ReplyKeyboardMarkup
from aiogram_i18n import I18nContext

from bot.callbacks.cabinet import (
    AddClinicCb,
    ClinicCb,
    ClinicMapCb,
    ClinicsCb,
    ClinicSearchCb,
    ClinicsNearCb,
    FranchiseCb,
)
from bot.screens import Screen
from bot.views.kit import button, clip, keyboard, lines, page_line, pager, variant
from bot.views.navigation import menu_button
from bot.views.policies import policy_button
from core.cabinet.clinics import ClinicAccess
from core.cabinet.nearby import Near
from core.services.clinics import ClinicEntry, ClinicPage
from core.services.policies import Policy

QUERY_SHOWN = 50  # characters of the search echoed in the header
NAME_ON_BUTTON = 40


def choose_policy_screen(i18n: I18nContext, policies: list[Policy]) -> Screen:
    return i18n.get("clinics-choose-policy"), keyboard(
        *([policy_button("🏥", p, ClinicsCb(person_id=p.person_id))] for p in policies),
        [menu_button(i18n)],
    )


def clinic_list_screen(i18n: I18nContext, found: ClinicPage, query: str | None, search: str) -> Screen:
    """`query`: the search as typed (None: the whole list); `search`: its token for the buttons."""
    person_id, page = found.policy.person_id, found.page
    entries = [
        i18n.get("clinics-entry", number=page.start + i + 1, name=escape(c.name), city=escape(c.city)) + _marks(i18n, c)
        for i, c in enumerate(found.clinics)
    ]
    text = lines(
        i18n.get("clinics-title", number=escape(found.policy.policy_number), program=escape(found.policy.program.name)),
        i18n.get("clinics-search-line", query=escape(clip(query, QUERY_SHOWN)), count=found.total) if query else "",
        page_line(i18n, page),
        "",
        "\n".join(entries) if entries else i18n.get("clinics-none-found" if query else "clinics-none"),
    )

    def opened(clinic: ClinicEntry) -> ClinicCb:
        return ClinicCb(person_id=person_id, clinic_id=clinic.id, page=page.number, search=search)

    search_row = [
        button(i18n.get("clinics-search-button"), ClinicSearchCb(person_id=person_id)),
        button(i18n.get("clinics-near-button"), ClinicsNearCb(person_id=person_id)),
    ]
    if query:
        search_row.append(button(i18n.get("clinics-show-all-button"), ClinicsCb(person_id=person_id)))
    return text, keyboard(
        *([button(f"🏥 {clip(c.name, NAME_ON_BUTTON)}", opened(c))] for c in found.clinics),
        pager(i18n, page, lambda n: ClinicsCb(person_id=person_id, page=n, search=search)),
        search_row,
        [button(i18n.get("clinics-add-button"), AddClinicCb(person_id=person_id))],
        [menu_button(i18n)],
    )


def clinic_screen(i18n: I18nContext, policy: Policy, clinic: ClinicEntry, back: ClinicsCb) -> Screen:
    text = lines(
        f"<b>{escape(clinic.name)}</b>",
        escape(f"{clinic.city}, {clinic.address}"),
        i18n.get("clinic-phone", phone=escape(clinic.phone)) if clinic.phone else "",
        i18n.get("clinic-franchise-mark") if clinic.franchise else "",
        i18n.get(variant("clinic-access", clinic.access)),
    )
    rows = []
    if clinic.booking_url:
        rows.append([InlineKeyboardButton(text=i18n.get("clinic-booking-button"), url=clinic.booking_url)])
    if clinic.on_map:
        on_map = ClinicMapCb(person_id=policy.person_id, clinic_id=clinic.id)
        rows.append([button(i18n.get("clinic-map-button"), on_map)])
    if clinic.access == ClinicAccess.NEEDS_FRANCHISE:
        rows.append([button(i18n.get("policy-franchise-button"), FranchiseCb(person_id=policy.person_id))])
    return text, keyboard(*rows, [button(i18n.get("clinics-back-button"), back)])


def search_prompt_screen(i18n: I18nContext, person_id: int) -> Screen:
    cancel = button(i18n.get("button-cancel"), ClinicsCb(person_id=person_id))
    return i18n.get("clinics-search-prompt"), keyboard([cancel])


def _marks(i18n: I18nContext, clinic: ClinicEntry) -> str:
    """Under a clinic in the list: the franchise mark, and why it does not serve the person now."""
    marks = [i18n.get("clinic-franchise-mark")] if clinic.franchise else []
    if clinic.access != ClinicAccess.AVAILABLE:
        marks.append(i18n.get(variant("clinic-access", clinic.access)))
    return "".join(f"\n    {mark}" for mark in marks)


def location_prompt(i18n: I18nContext) -> tuple[str, ReplyKeyboardMarkup]:
    """Telegram's own location button (only a reply keyboard can ask for it), and Cancel."""
    return i18n.get("clinics-near-prompt"), ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=i18n.get("clinics-near-share"), request_location=True)],
            [KeyboardButton(text=i18n.get("button-cancel"))],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def distance(i18n: I18nContext, km: float) -> str:
    """850 m, 1.2 km (ru: 850 м, 1,2 км), 25 km: as a person says it."""
    if km < 1:
        return i18n.get("clinics-near-metres", metres=max(10, round(km * 100) * 10))
    shown = f"{km:.1f}" if km < 10 else str(round(km))
    return i18n.get("clinics-near-km", km=shown if i18n.locale == "en" else shown.replace(".", ","))


def nearest_screen(i18n: I18nContext, policy: Policy, found: list[Near[ClinicEntry]]) -> Screen:
    """The policy's clinics nearest first with their distances; each opens its card (and the map)."""
    entries = [
        i18n.get(
            "clinics-near-entry",
            number=i + 1,
            name=escape(near.item.name),
            city=escape(near.item.city),
            distance=distance(i18n, near.km) if near.km is not None else i18n.get("clinics-near-unknown"),
        )
        + _marks(i18n, near.item)
        for i, near in enumerate(found)
    ]
    text = lines(
        i18n.get("clinics-near-title", number=escape(policy.policy_number)),
        "",
        "\n".join(entries) if entries else i18n.get("clinics-none"),
    )
    person_id = policy.person_id
    return text, keyboard(
        *(
            [
                button(
                    f"🏥 {clip(near.item.name, NAME_ON_BUTTON)}", ClinicCb(person_id=person_id, clinic_id=near.item.id)
                )
            ]
            for near in found
        ),
        [button(i18n.get("clinics-show-all-button"), ClinicsCb(person_id=person_id))],
        [menu_button(i18n)],
    )
