"""deposits: guarantee deposits paid by holders for their relatives, keyed by `reference` (docs/formats.md)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from core.db.models import Deposit, InsuredPerson
from core.errors import InputError
from core.money import parse_money, to_kopecks
from core.normalize.policy import canonical_policy
from core.services.importing.options import Options
from core.services.importing.reader import Table
from core.services.importing.report import ImportReport
from core.services.importing.rows import RowCheck, holder_issue, iso_date, limited
from core.services.importing.store import Store, Upserts, lookup, stored

COLUMNS = ("reference", "holder_policy_number", "amount", "paid_on")
REQUIRED = COLUMNS
STORED = ("reference", "holder_policy_key", "amount_kopecks", "paid_on")
DEPOSITS = Deposit.__table__
PEOPLE = InsuredPerson.__table__
REFERENCE = limited(DEPOSITS.c.reference.type.length)


async def run(conn: AsyncConnection, table: Table, report: ImportReport, options: Options) -> None:
    check = RowCheck(report)
    seen: dict[str, int] = {}
    checked: list[tuple[int, tuple]] = []
    pick = table.picker(COLUMNS)
    for line, cells in table.rows:
        reference, holder, amount, paid_on = pick(cells)
        check.start(line)
        reference = check.value("reference", REFERENCE, reference)
        if reference is not None:
            check.unique("reference", reference, seen)
        deposit = (
            reference,
            check.value("holder_policy_number", canonical_policy, holder),
            check.value("amount", _kopecks, amount),
            check.value("paid_on", iso_date, paid_on),
        )
        if check.done():
            checked.append((line, deposit))
    # Holders are looked up once for the whole file, not row by row.
    holders = await lookup(conn, PEOPLE.c.policy_key, PEOPLE.c.category, {deposit[1] for _, deposit in checked})
    upserts = Upserts(
        Store(conn, DEPOSITS, STORED, "reference"), await stored(conn, DEPOSITS, STORED, "reference"), report
    )
    for line, deposit in checked:
        check.start(line)
        if issue := holder_issue(holders.get(deposit[1])):
            check.fail("holder_policy_number", issue)
        if check.done():
            upserts.add(deposit[0], deposit, deposit)
    await upserts.flush()


def _kopecks(text: str) -> int:
    kopecks = to_kopecks(parse_money(text))
    if kopecks <= 0:
        raise InputError("amount", "amount.not_positive")
    return kopecks
