"""The clinics of a policy's program: searched, paged, and each marked with whether it serves the
person today (core.cabinet.clinics)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.cabinet.clinics import ClinicAccess, clinic_access, listing_order, matches, serves_under_franchise
from core.cabinet.paging import Page, page_of
from core.db import cabinet_queries as queries
from core.db.models import Clinic, InsuredPerson
from core.db.uow import UnitOfWork
from core.services.policies import Policy, linked_policy

CLINICS_PER_PAGE = 6


@dataclass(frozen=True)
class ClinicEntry:
    id: str
    name: str
    city: str
    address: str
    phone: str | None
    booking_url: str | None
    latitude: float | None
    longitude: float | None
    franchise: bool  # served under the program's franchise only
    access: ClinicAccess

    @property
    def on_map(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class ClinicPage:
    policy: Policy
    page: Page
    total: int  # clinics found
    clinics: list[ClinicEntry]


async def clinic_page(
    uow: UnitOfWork, viewer: InsuredPerson, person_id: int, today: date, *, needle: str | None, page: int
) -> ClinicPage | None:
    """One page of the clinics of `person_id`'s program (those matching `needle`, a
    `core.cabinet.clinics.search_needle`), by name; None when the policy is not the viewer's."""
    policy = await linked_policy(uow, viewer, person_id, today)
    if policy is None:
        return None
    names = await queries.clinic_names(uow.session, policy.program.code)
    found = sorted(
        (listing_order(name), clinic_id) for clinic_id, name, key in names if needle is None or matches(key, needle)
    )
    shown = page_of(len(found), page, CLINICS_PER_PAGE)
    ids = [clinic_id for _, clinic_id in found[shown.start : shown.end]]
    clinics = await queries.clinics_by_id(uow.session, ids)
    return ClinicPage(policy, shown, len(found), [_entry(clinics[i], policy) for i in ids])


async def clinic_details(
    uow: UnitOfWork, viewer: InsuredPerson, person_id: int, clinic_id: str, today: date
) -> tuple[Policy, ClinicEntry] | None:
    """A clinic of `person_id`'s program; None when the policy is not the viewer's or the clinic not in it."""
    policy = await linked_policy(uow, viewer, person_id, today)
    if policy is None:
        return None
    clinic = await queries.clinic_of_program(uow.session, clinic_id, policy.program.code)
    return None if clinic is None else (policy, _entry(clinic, policy))


def _entry(clinic: Clinic, policy: Policy) -> ClinicEntry:
    return ClinicEntry(
        id=clinic.id,
        name=clinic.name,
        city=clinic.city,
        address=clinic.address,
        phone=clinic.phone,
        booking_url=clinic.booking_url,
        latitude=clinic.latitude,
        longitude=clinic.longitude,
        franchise=serves_under_franchise(clinic.franchise, policy.franchise),
        access=clinic_access(
            policy.status,
            policy.franchise,
            policy.program.overdue_rule,
            franchise_clinic=clinic.franchise,
            emergency_clinic=any(program.emergency_only for program in clinic.programs),
        ),
    )
