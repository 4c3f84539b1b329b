"""registry: the insured people, keyed by the canonical policy number (docs/formats.md).

Built for a million rows: cells go through the normalisers in a plain loop, with memos for the
values that repeat (names, dates, programs); each row's fingerprint (`row_hash`) is compared
with the stored one, all loaded in one query, so only new and changed rows are written.

Two spellings of one canonical number (`123/14`, `123-14`) for two different people (name or
birth date) are a collision: the later row is rejected, never merged into the other person's row.
A changed row is compared with the stored one for that, in batches: few rows change.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
from collections.abc import Collection
from datetime import date

from sqlalchemy import bindparam, case, literal, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.db.models import InsuredPerson, Program
from core.errors import InputError
from core.normalize.dates import parse_birth_date
from core.normalize.email import email_with_key
from core.normalize.names import display_name, name_key, patronymic_key
from core.normalize.phone import normalize_phone
from core.normalize.policy import canonical_policy
from core.services.importing.first_seen import FirstSeen
from core.services.importing.options import Options
from core.services.importing.reader import Table
from core.services.importing.report import ImportReport
from core.services.importing.rows import (
    Choice,
    Failures,
    Memo,
    RowCheck,
    holder_issue,
    iso_date,
    limited,
    program_code,
)
from core.services.importing.store import IN_CHUNK, Upserts, bulk_store, chunks, lookup

COLUMNS = (
    "policy_number",
    "last_name",
    "first_name",
    "patronymic",
    "birth_date",
    "phone",
    "email",
    "category",
    "holder_policy_number",
    "personnel_number",
    "contract_number",
    "employer",
    "program_code",
    "valid_from",
    "valid_to",
)
REQUIRED = ("policy_number", "last_name", "first_name", "birth_date", "program_code", "valid_from", "valid_to")
STORED = (
    "policy_key",
    "policy_number",
    "last_name",
    "first_name",
    "patronymic",
    "last_name_key",
    "first_name_key",
    "patronymic_key",
    "birth_date",
    "phone",
    "email",
    "email_key",
    "category",
    "holder_policy_key",
    "personnel_number",
    "personnel_key",
    "contract_number",
    "employer",
    "program_code",
    "valid_from",
    "valid_to",
    "row_hash",
)
CATEGORY = Choice(
    {"employee": "employee", "relative": "relative", "сотрудник": "employee", "родственник": "relative"},
    default="employee",
    shown="employee, relative",
)
PEOPLE = InsuredPerson.__table__
POLICY = limited(PEOPLE.c.policy_number.type.length)  # as printed, for display
PERSONNEL_LENGTH = PEOPLE.c.personnel_number.type.length
CONTRACT_LENGTH = PEOPLE.c.contract_number.type.length
EMPLOYER_LENGTH = PEOPLE.c.employer.type.length
YIELD_EVERY = 100  # rows checked between two turns of the event loop (about 2.5 ms)
SEEN_BATCH = 5000  # rows whose keys are looked up in `FirstSeen` at a time
SUSPECTS = 2000  # changed rows compared with their stored ones at a time


async def run(conn: AsyncConnection, table: Table, report: ImportReport, options: Options) -> None:
    today = options.today
    programs = set((await conn.execute(select(Program.code))).scalars())
    # A person marked removed compares unequal to every fingerprint: listing them again restores them.
    stored = select(PEOPLE.c.policy_key, case((PEOPLE.c.removed_on.is_(None), PEOPLE.c.row_hash), else_=literal("")))
    existing = {key: fingerprint for key, fingerprint in await conn.execute(stored)}
    store = bulk_store(
        conn, PEOPLE, STORED, "policy_key", clear_on_update=("removed_on",), before_first_commit=options.read_through
    )
    upserts = Upserts(store, existing, report)
    people = _People(report, programs, today)
    stored_as = _Collisions(conn, existing, people.row, upserts)
    pick, rows = table.picker(COLUMNS), table.rows
    try:
        while batch := [(line, pick(cells)) for line, cells in itertools.islice(rows, SEEN_BATCH)]:
            people.prepare(batch)
            for line, cells in batch:
                person = people.check(line, cells)
                if person is not None and await stored_as.add(line, person):
                    await upserts.flush()
                elif not line % YIELD_EVERY:
                    await asyncio.sleep(0)  # a bot importing an upload keeps answering; a COPY goes on
            people.seen.save()
        store.file_read()
        await stored_as.check()
        await upserts.settle()  # the connection is needed for the holders
        for line, person in await people.resolve_waiting(conn):
            if await stored_as.add(line, person):
                await upserts.flush()
        await stored_as.check()
        await upserts.finish()
        if options.full:
            report.removed = await _remove_absent(conn, people.seen, people.contracts, today)
    except BaseException:
        await store.abandon()
        raise
    finally:
        people.seen.close()


class _People:
    """The rows of one file: their checks, and what later rows and the end of the file need."""

    def __init__(self, report: ImportReport, programs: Collection[str], today: date) -> None:
        self.report = report
        self.row = RowCheck(report)
        self.phone = Failures(normalize_phone)
        # policy key → its first line, rejected rows too (they are not absent), and the category taken
        self.seen = FirstSeen()
        self.keys: dict[str, str | None] = {}  # policy and holder cells of the batch → their key (None: bad)
        self.contracts: set[str] = set()  # of the rows in `seen`: what --full applies to
        self.waiting: list[tuple[int, str, tuple]] = []  # relatives whose holder comes later, or from the database
        self.program = program_code(programs)
        self.birth_date = Memo(lambda text: parse_birth_date(text, today).isoformat())
        self.date = Memo(iso_date)
        self.name = Memo(lambda text: (display_name(text), name_key(text)))
        self.patronymic = Memo(lambda text: (display_name(text), patronymic_key(text)))
        self.contract = Memo(limited(CONTRACT_LENGTH))
        self.employer = Memo(limited(EMPLOYER_LENGTH))

    def prepare(self, batch: list[tuple[int, tuple[str, ...]]]) -> None:
        """The keys of a batch's policy and holder cells, and what `seen` has of them from earlier
        batches. A bad cell gets no key here: `check` reports it."""
        keys = self.keys = {}
        for _, cells in batch:
            for text in (cells[0], cells[8]):
                if text not in keys:
                    try:
                        keys[text] = canonical_policy(text)
                    except InputError:
                        keys[text] = None
        self.seen.load(key for key in keys.values() if key is not None)

    def check(self, line: int, cells: tuple[str, ...]) -> tuple | None:
        """The row to store, or None: rejected (reported), or waiting for its holder.

        Memoised cells try `memo.get` first and call the checker only on a miss: on a million
        rows the saved calls are a good part of the time.
        """
        (
            policy,
            last,
            first,
            patronymic,
            born,
            phone,
            email,
            category,
            holder,
            personnel,
            contract,
            employer,
            program,
            valid_from,
            valid_to,
        ) = cells
        check = self.row
        check.start(line)
        key = self.keys.get(policy) or check.value("policy_number", canonical_policy, policy)
        contract = self.contract.get(contract) or check.optional("contract_number", self.contract, contract) or ""
        if key is not None:
            policy = check.value("policy_number", POLICY, policy)
            self.contracts.add(contract)
        last = self.name.get(last) or check.value("last_name", self.name, last)
        first = self.name.get(first) or check.value("first_name", self.name, first)
        patronymic = self.patronymic.get(patronymic) or check.value("patronymic", self.patronymic, patronymic)
        born = self.birth_date.get(born) or check.value("birth_date", self.birth_date, born)
        if key is not None:
            self._unique(line, key, policy, (last and last[1], first and first[1], born))
        phone = check.droppable("phone", self.phone, phone)
        email = check.droppable("email", email_with_key, email)
        category = check.choice("category", CATEGORY, category)
        if category == "relative":
            holder = self.keys.get(holder) or check.optional("holder_policy_number", canonical_policy, holder)
        elif holder and not holder.isspace():
            check.warn("holder_policy_number", "holder.not_relative")
            holder = None
        else:
            holder = None
        personnel = check.droppable("personnel_number", _personnel, personnel)
        employer = self.employer.get(employer) or check.optional("employer", self.employer, employer) or ""
        program = self.program.get(program) or check.value("program_code", self.program, program)
        valid_from = self.date.get(valid_from) or check.value("valid_from", self.date, valid_from)
        valid_to = self.date.get(valid_to) or check.value("valid_to", self.date, valid_to)
        if valid_from and valid_to and valid_to < valid_from:  # ISO dates compare as text
            check.fail("valid_to", "period.reversed")
        if holder is not None and holder == key:
            check.fail("holder_policy_number", "holder.not_employee")
        if not check.done():
            return None
        values = (
            key,
            policy,
            last[0],
            first[0],
            patronymic[0],
            last[1],
            first[1],
            patronymic[1],
            born,
            phone,
            email and email[0],
            email and email[1],
            category,
            holder,
            personnel and personnel[0],
            personnel and personnel[1],
            contract,
            employer,
            program,
            valid_from,
            valid_to,
        )
        person = (*values, fingerprint(values))
        if holder is not None and self._category(holder) != "employee":
            self.waiting.append((line, holder, person))
            return None
        self.seen.take(key, category)
        return person

    def _unique(self, line: int, key: str, printed: str | None, person: tuple) -> None:
        """The same key on an earlier line rejects this one: a collision when both the printed number
        and the person (name keys, birth date) differ, a duplicate otherwise."""
        printed_hash, person_hash = hash(printed), hash(person)
        earlier, first_printed, first_person, _ = self.seen.add(key, line, printed_hash, person_hash)
        if earlier != line:
            collides = first_printed != printed_hash and first_person != person_hash
            self.row.fail("policy_number", "policy.collides" if collides else "duplicate", line=earlier)

    async def resolve_waiting(self, conn: AsyncConnection) -> list[tuple[int, tuple]]:
        """The waiting relatives whose holder is an employee, of this file or else of the
        database, with their lines; the others are rejected."""
        self.seen.load(itertools.chain.from_iterable((holder, person[0]) for _, holder, person in self.waiting))
        unknown = {holder for _, holder, _ in self.waiting if self._category(holder) is None}
        stored = await lookup(conn, PEOPLE.c.policy_key, PEOPLE.c.category, unknown)
        accepted = []
        for line, holder, person in self.waiting:
            self.row.start(line)
            if issue := holder_issue(self._category(holder) or stored.get(holder)):
                self.row.fail("holder_policy_number", issue)
            if self.row.done():
                self.seen.take(person[0], "relative")
                accepted.append((line, person))
        self.seen.save()
        return accepted

    def _category(self, key: str) -> str | None:
        """The category of an accepted row of this file, None when it has none (`seen` has the key's
        record when it was met: the batch's keys are loaded)."""
        record = self.seen.get(key)
        return record and record[3]


class _Collisions:
    """Accepted rows on their way to the store. One whose key is stored with another fingerprint is
    held until a batch of them is compared with the stored rows: the number printed differently for
    another person (name keys, birth date) is rejected as a collision; any other change is an update."""

    def __init__(self, conn: AsyncConnection, existing: dict[str, str], row: RowCheck, upserts: Upserts) -> None:
        self.conn = conn
        self.existing = existing
        self.row = row
        self.upserts = upserts
        self.suspects: list[tuple[int, tuple]] = []

    async def add(self, line: int, person: tuple) -> bool:
        """True when the store's batch is full (as `Upserts.add`)."""
        before = self.existing.get(person[0])
        if before is None or before == person[-1]:
            return self.upserts.add(person[0], person[-1], person)
        self.suspects.append((line, person))
        if len(self.suspects) >= SUSPECTS:
            await self.check()
        return False

    async def check(self) -> None:
        """Compares the held rows with the stored ones and passes on those that do not collide."""
        suspects, self.suspects = self.suspects, []
        if not suspects:
            return
        await self.upserts.settle()  # the connection may be busy with a batch
        columns = (PEOPLE.c.policy_number, PEOPLE.c.last_name_key, PEOPLE.c.first_name_key, PEOPLE.c.birth_date)
        stored: dict[str, tuple] = {}
        for chunk in chunks(sorted({person[0] for _, person in suspects}), IN_CHUNK):
            query = select(PEOPLE.c.policy_key, *columns).where(PEOPLE.c.policy_key.in_(chunk))
            stored.update((key, rest) for key, *rest in await self.conn.execute(query))
        for line, person in suspects:
            printed, last, first, born = stored[person[0]]
            if printed != person[1] and (last, first, born.isoformat()) != (person[5], person[6], person[8]):
                self.row.start(line)
                self.row.fail("policy_number", "policy.collides_stored", stored=printed)
                self.row.done()
            elif self.upserts.add(person[0], person[-1], person):
                await self.upserts.flush()


# The values of a row (text or None) joined by \x1f, None written "None": a format of them all costs
# about half a join of `map(str, ...)`, which gives the same text (the stored fingerprints stay valid).
_JOINED = "\x1f".join(["%s"] * (len(STORED) - 1))


def fingerprint(values: tuple[str | None, ...]) -> str:
    """The row's `row_hash`: equal fingerprints, equal stored values."""
    return hashlib.md5((_JOINED % values).encode(), usedforsecurity=False).hexdigest()


def _personnel(text: str) -> tuple[str, str]:
    """The staff number as given, and its key: canonical like a policy number, since
    registration accepts it in place of one."""
    shown = text.strip()
    if len(shown) > PERSONNEL_LENGTH:
        raise InputError("personnel_number", "text.too_long", max=PERSONNEL_LENGTH)
    try:
        return shown, canonical_policy(shown)
    except InputError:
        raise InputError("personnel_number", "personnel.invalid") from None


async def _remove_absent(conn: AsyncConnection, seen: FirstSeen, contracts: set[str], today: date) -> int:
    """--full: marks the people of the file's contracts that it does not list as removed today."""
    absent: list[str] = []
    for chunk in chunks(sorted(contracts), IN_CHUNK):
        query = select(PEOPLE.c.policy_key).where(PEOPLE.c.removed_on.is_(None), PEOPLE.c.contract_number.in_(chunk))
        absent += seen.absent(list((await conn.execute(query)).scalars()))
    if absent:
        remove = update(PEOPLE).where(PEOPLE.c.policy_key == bindparam("key")).values(removed_on=today)
        await conn.execute(remove, [{"key": key} for key in absent])
    return len(absent)
