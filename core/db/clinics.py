"""Clinics (`ClinicRepository`): a program's clinics, and one clinic with its emergency flag."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import lazyload

from core.db.models import Clinic, Program, clinic_programs


class ClinicRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def names(self, program_code: str) -> list[tuple[str, str, str]]:
        """(id, name, search_key) of every clinic of a program: small rows, searched and paged in `core`."""
        query = (
            select(Clinic.id, Clinic.name, Clinic.search_key)
            .join(clinic_programs, clinic_programs.c.clinic_id == Clinic.id)
            .where(clinic_programs.c.program_code == program_code)
        )
        return [tuple(row) for row in await self.session.execute(query)]

    async def by_id(self, ids: Iterable[str]) -> dict[str, tuple[Clinic, bool]]:
        """id → (clinic, whether an `emergency_only` program includes it), in one statement."""
        rows = await self.session.execute(_with_emergency().where(Clinic.id.in_(set(ids))))
        return {clinic.id: (clinic, emergency) for clinic, emergency in rows}

    async def of_program(self, clinic_id: str, program_code: str) -> tuple[Clinic, bool] | None:
        """The clinic when the program includes it, with its emergency flag (see `by_id`)."""
        query = (
            _with_emergency()
            .join(clinic_programs, clinic_programs.c.clinic_id == Clinic.id)
            .where(Clinic.id == clinic_id, clinic_programs.c.program_code == program_code)
        )
        row = (await self.session.execute(query)).first()
        return None if row is None else (row[0], row[1])


def _with_emergency() -> Select:
    emergency = (
        select(clinic_programs.c.clinic_id)
        .join(Program, Program.code == clinic_programs.c.program_code)
        .where(clinic_programs.c.clinic_id == Clinic.id, Program.emergency_only.is_(True))
        .exists()
    )
    # The clinic's programs are not needed past the flag: no second statement to load them.
    return select(Clinic, emergency.label("emergency")).options(lazyload(Clinic.programs))
