"""clinics: the clinics and the programs that include them, keyed by `clinic_id` (docs/formats.md).

A clinic's programs are part of what "unchanged" compares, and are replaced whole when it changes.
"""

from __future__ import annotations

import re

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.db.models import Clinic, Program, clinic_programs
from core.errors import InputError
from core.services.importing.options import Options
from core.services.importing.reader import Table
from core.services.importing.report import ImportReport
from core.services.importing.rows import YES_NO, RowCheck, degrees, limited, program_code
from core.services.importing.store import IN_CHUNK, Store, Upserts, chunks, stored

COLUMNS = (
    "clinic_id",
    "name",
    "city",
    "address",
    "latitude",
    "longitude",
    "phone",
    "booking_url",
    "program_codes",
    "franchise",
)
REQUIRED = ("clinic_id", "name", "city", "address", "program_codes")
STORED = (
    "id",
    "name",
    "city",
    "address",
    "search_key",
    "latitude",
    "longitude",
    "phone",
    "booking_url",
    "franchise",
)
CLINICS = Clinic.__table__
LINKS = clinic_programs
NAME, CITY, ADDRESS, PHONE = (limited(CLINICS.c[c].type.length) for c in ("name", "city", "address", "phone"))
# The id travels in button data (64 bytes with the rest, ':' is its separator): a short, plain alphabet.
_ID = re.compile(r"^[A-Za-z0-9_.-]{1,30}$")
LATITUDE, LONGITUDE = degrees(90), degrees(180)
URL_LENGTH = CLINICS.c.booking_url.type.length
_SEPARATORS = re.compile(r"[\s|]+")


async def run(conn: AsyncConnection, table: Table, report: ImportReport, options: Options) -> None:
    program = program_code(set((await conn.execute(select(Program.code))).scalars()))
    links = await _stored_programs(conn)
    existing = {key: (*row, links.get(key, ())) for key, row in (await stored(conn, CLINICS, STORED, "id")).items()}
    upserts = Upserts(Store(conn, CLINICS, STORED, "id"), existing, report, keep_written=True)
    check = RowCheck(report)
    seen: dict[str, int] = {}
    programs_of: dict[str, tuple[str, ...]] = {}
    pick = table.picker(COLUMNS)
    for line, cells in table.rows:
        clinic_id, name, city, address, latitude, longitude, phone, booking_url, codes, franchise = pick(cells)
        check.start(line)
        clinic_id = check.value("clinic_id", _clinic_id, clinic_id)
        if clinic_id is not None:
            check.unique("clinic_id", clinic_id, seen)
        name, city = check.value("name", NAME, name), check.value("city", CITY, city)
        latitude = check.droppable("latitude", LATITUDE, latitude)
        longitude = check.droppable("longitude", LONGITUDE, longitude)
        if (latitude is None) != (longitude is None):  # a point needs both
            check.warn("latitude" if longitude is None else "longitude", "coordinates.incomplete")
            latitude = longitude = None
        listed = _SEPARATORS.split(codes.strip()) if codes.strip() else []
        if not listed:
            check.fail("program_codes", "required")
        programs = tuple(sorted({check.value("program_codes", program, code) for code in listed} - {None}))
        clinic = (
            clinic_id,
            name,
            city,
            check.value("address", ADDRESS, address),
            f"{name} {city}".casefold(),  # search by part of the name or the city
            latitude,
            longitude,
            check.droppable("phone", PHONE, phone),  # shown as given, never checked
            check.droppable("booking_url", _url, booking_url),
            check.choice("franchise", YES_NO, franchise),
        )
        if check.done():
            programs_of[clinic_id] = programs
            upserts.add(clinic_id, (*clinic, programs), clinic)
    await upserts.flush()
    await _replace_programs(conn, {clinic_id: programs_of[clinic_id] for clinic_id in upserts.written})


async def _stored_programs(conn: AsyncConnection) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for clinic_id, code in await conn.execute(select(LINKS.c.clinic_id, LINKS.c.program_code)):
        grouped.setdefault(clinic_id, []).append(code)
    return {clinic_id: tuple(sorted(codes)) for clinic_id, codes in grouped.items()}


async def _replace_programs(conn: AsyncConnection, programs_of: dict[str, tuple[str, ...]]) -> None:
    for chunk in chunks(sorted(programs_of), IN_CHUNK):
        await conn.execute(delete(LINKS).where(LINKS.c.clinic_id.in_(chunk)))
    links = [
        {"clinic_id": clinic_id, "program_code": code} for clinic_id, codes in programs_of.items() for code in codes
    ]
    if links:
        await conn.execute(insert(LINKS), links)


def _clinic_id(text: str) -> str:
    clinic_id = text.strip()
    if not clinic_id:
        raise InputError("clinic_id", "text.empty")
    if not _ID.match(clinic_id):
        raise InputError("clinic_id", "clinic_id.invalid")
    return clinic_id


def _url(text: str) -> str:
    """The online booking page: a web address, since Telegram refuses anything else in a button."""
    url = text.strip()
    if len(url) > URL_LENGTH:
        raise InputError("booking_url", "text.too_long", max=URL_LENGTH)
    if not url.lower().startswith(("https://", "http://")) or any(ch.isspace() for ch in url):
        raise InputError("booking_url", "url.invalid")
    return url
