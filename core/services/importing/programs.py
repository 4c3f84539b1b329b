"""programs: the insurance programs, keyed by `program_code` (docs/formats.md)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from core.db.models import Program
from core.services.importing.options import Options
from core.services.importing.reader import Table
from core.services.importing.report import ImportReport
from core.services.importing.rows import YES_NO, Choice, RowCheck, limited, percent_bp, program_key, whole_number
from core.services.importing.store import Store, Upserts, stored

COLUMNS = (
    "program_code",
    "name",
    "franchise_percent",
    "due_days",
    "due_day_kind",
    "overdue_rule",
    "emergency_only",
    "description",
)
REQUIRED = ("program_code", "name")
STORED = (
    "code",
    "name",
    "franchise_bp",
    "due_days",
    "due_day_kind",
    "overdue_rule",
    "emergency_only",
    "description",
)
DAY_KIND = Choice({"working": "working", "calendar": "calendar"}, default="working", shown="working, calendar")
OVERDUE_RULE = Choice(
    {"franchise": "franchise", "emergency": "emergency"}, default="franchise", shown="franchise, emergency"
)
PROGRAMS = Program.__table__
NAME = limited(PROGRAMS.c.name.type.length)
DUE_DAYS = whole_number(1, 365)
DEFAULT_DUE_DAYS = 30


async def run(conn: AsyncConnection, table: Table, report: ImportReport, options: Options) -> None:
    upserts = Upserts(Store(conn, PROGRAMS, STORED, "code"), await stored(conn, PROGRAMS, STORED, "code"), report)
    check = RowCheck(report)
    seen: dict[str, int] = {}
    pick = table.picker(COLUMNS)
    for line, cells in table.rows:
        code, name, percent, due_days, day_kind, overdue_rule, emergency_only, description = pick(cells)
        check.start(line)
        code = check.value("program_code", program_key, code)
        if code is not None:
            check.unique("program_code", code, seen)
        program = (
            code,
            check.value("name", NAME, name),
            check.optional("franchise_percent", percent_bp, percent) or 0,
            check.optional("due_days", DUE_DAYS, due_days) or DEFAULT_DUE_DAYS,
            check.choice("due_day_kind", DAY_KIND, day_kind),
            check.choice("overdue_rule", OVERDUE_RULE, overdue_rule),
            check.choice("emergency_only", YES_NO, emergency_only),
            description.strip(),
        )
        if check.done():
            upserts.add(code, program, program)
    await upserts.flush()
