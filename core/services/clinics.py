"""The clinics of a policy's program: searched, paged, and each marked with whether it serves the
person today (core.cabinet.clinics)."""

from __future__ import annotations

from dataclasses import dataclass

from core.cabinet.clinics import ClinicAccess, clinic_access, listing_order, matches, serves_under_franchise
from core.cabinet.nearby import NEAREST_SHOWN, Near, Point, nearest_first
from core.cabinet.paging import Page, page_of
from core.db.models import Clinic
from core.db.uow import UnitOfWorkFactory
from core.errors import InputError
from core.services.policies import Policy

CLINICS_PER_PAGE = 6
MEMO_CLINICS = 300  # a memo of a few dozen pages at most; the rest are in the bot


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
    emergency: bool = False  # in an `emergency_only` program: the insurer's medical desk

    @property
    def on_map(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class ClinicPage:
    policy: Policy
    page: Page
    total: int  # clinics found
    clinics: list[ClinicEntry]


class ClinicService:
    """The clinics of a policy the caller may see (the policy comes from `PolicyService.linked_policy`)."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self.uow = uow

    async def clinic_page(self, policy: Policy, *, needle: str | None, page: int) -> ClinicPage:
        """One page of the clinics of the policy's program (those matching `needle`, a
        `core.cabinet.clinics.search_needle`), by name."""
        async with self.uow() as uow:
            names = await uow.clinics.names(policy.program.code)
            found = sorted(
                (listing_order(name), clinic_id)
                for clinic_id, name, key in names
                if needle is None or matches(key, needle)
            )
            shown = page_of(len(found), page, CLINICS_PER_PAGE)
            ids = [clinic_id for _, clinic_id in found[shown.start : shown.end]]
            clinics = await uow.clinics.by_id(ids)
            return ClinicPage(policy, shown, len(found), [_entry(*clinics[i], policy) for i in ids])

    async def all_clinics(self, policy: Policy, limit: int = MEMO_CLINICS) -> tuple[list[ClinicEntry], int]:
        """The program's clinics in listing order, at most `limit` of them, and how many there are (the
        policy memo lists them)."""
        async with self.uow() as uow:
            names = await uow.clinics.names(policy.program.code)
            ordered = sorted((listing_order(name), clinic_id) for clinic_id, name, _ in names)
            ids = [clinic_id for _, clinic_id in ordered[:limit]]
            clinics = await uow.clinics.by_id(ids)
            return [_entry(*clinics[i], policy) for i in ids], len(ordered)

    async def nearest(self, policy: Policy, origin: Point, limit: int = NEAREST_SHOWN) -> list[Near[ClinicEntry]]:
        """The program's clinics nearest `origin` first with their distances, those without coordinates
        last; the first `limit`. `origin` is neither stored nor logged."""
        async with self.uow() as uow:
            names = await uow.clinics.names(policy.program.code)
            clinics = await uow.clinics.by_id(clinic_id for clinic_id, _, _ in names)
        entries = [_entry(clinic, emergency, policy) for clinic, emergency in clinics.values()]
        ordered = nearest_first(entries, _point, origin, lambda entry: listing_order(entry.name))
        return ordered[:limit]

    async def clinic_details(self, policy: Policy, clinic_id: str) -> ClinicEntry | None:
        """A clinic of the policy's program; None when the clinic is not in it."""
        async with self.uow() as uow:
            found = await uow.clinics.of_program(clinic_id, policy.program.code)
            return None if found is None else _entry(*found, policy)


def _point(entry: ClinicEntry) -> Point | None:
    if not entry.on_map:
        return None
    try:
        return Point.of(entry.latitude, entry.longitude)
    except InputError:  # coordinates the importer let through that are no place: no distance
        return None


def _entry(clinic: Clinic, emergency: bool, policy: Policy) -> ClinicEntry:
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
            emergency_clinic=emergency,
        ),
        emergency=emergency,
    )
