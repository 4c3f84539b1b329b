"""An adult relative lets her holder read the names of her services (core/cabinet/sharing.py, stored on her
account, set in core/services/settings.py, read by core/services/invoices.py and services_history.py).

The sample bills issued 01.10.2026: Иванов (123/14) pays his wife's 2026/10/2 (АМ012345682/13, an adult
relative: B-0004 "Прием врача-терапевта первичный") and his son's 2026/10/3 (a minor: always named)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from core.bootstrap import Container
from core.cabinet.sharing import may_share, shared_with_payer
from core.db.models import Account, AuditEvent, InsuredPerson, Invoice
from core.normalize import canonical_policy
from core.services.settings import short_name
from core.services.viewers import Viewer
from tests.core.test_billing_storage import person_id, register
from tests.core.test_disputes_storage import billed
from tests.roots import dialogs, on

TODAY = date(2026, 11, 21)
WIFE, SON, SHMOLINA = "АМ012345682/13", "АМ012345683/13", "AM012345678/13"
HER_SERVICE = "Прием врача-терапевта первичный"


async def viewer(engine: AsyncEngine, telegram_id: int, policy: str) -> Viewer:
    account = await register(engine, telegram_id, policy)
    return Viewer(telegram_id=telegram_id, account_id=account, person_id=await person_id(engine, policy))


async def invoice_id(engine: AsyncEngine, number: str) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(select(Invoice.id).where(Invoice.number == number))


async def names_in_details(root: Container, who: Viewer, number: str) -> list[str | None]:
    details = await root.invoices.details(who, await invoice_id(root.engine, number))
    return [line.service_name for line in details.lines]


async def names_in_history(root: Container, who: Viewer, policy: str) -> list[str | None]:
    page = await root.invoices.services(who, await person_id(root.engine, policy), 0)
    return [entry.service_name for entry in page.services]


async def stored(engine: AsyncEngine, account_id: int) -> tuple:
    async with engine.connect() as conn:
        query = select(Account.services_shared_with, Account.services_shared_at).where(Account.id == account_id)
        return tuple((await conn.execute(query)).one())


async def audit(engine: AsyncEngine) -> list[tuple]:
    async with engine.connect() as conn:
        query = (
            select(AuditEvent.actor_telegram_id, AuditEvent.object_id, AuditEvent.details)
            .where(AuditEvent.action == "services_sharing.set")
            .order_by(AuditEvent.id)
        )
        return [tuple(row) for row in await conn.execute(query)]


@pytest.fixture
async def root(sqlite_url: str) -> AsyncIterator[Container]:
    async with billed(sqlite_url) as root:
        yield on(root, TODAY)


@pytest.fixture
def engine(root: Container) -> AsyncEngine:
    return root.engine


@pytest.fixture
async def ivanov(engine: AsyncEngine) -> Viewer:
    return await viewer(engine, 5001, "123/14")


@pytest.fixture
async def ivanova(engine: AsyncEngine) -> Viewer:
    return await viewer(engine, 5005, WIFE)


def test_who_may_share_and_whom_it_counts_for() -> None:
    born = date(1987, 9, 4)
    assert may_share("W", "H", born, TODAY)
    assert not may_share("W", None, born, TODAY)  # no holder: she pays her own
    assert not may_share("W", "W", born, TODAY)
    assert not may_share("S", "H", date(2015, 6, 12), TODAY)  # a minor's are always the payer's to see
    assert may_share("S", "H", date(2008, 11, 21), TODAY) and not may_share("S", "H", date(2008, 11, 22), TODAY)

    assert shared_with_payer("H", "H", "H")
    assert not shared_with_payer(None, "H", "H")
    assert not shared_with_payer("H", "N", "H")  # the registry names a new holder: the old one sees no more
    assert not shared_with_payer("H", "H", "P")  # someone else pays that invoice
    assert not shared_with_payer("H", None, None)


async def test_allowed_then_withdrawn_in_details_and_history(
    root: Container, engine: AsyncEngine, ivanov: Viewer, ivanova: Viewer
) -> None:
    assert await names_in_details(root, ivanov, "2026/10/2") == [None]  # nothing given yet
    assert await names_in_history(root, ivanov, WIFE) == [None]
    assert await names_in_details(root, ivanov, "2026/10/3") == ["Прием врача-педиатра первичный"]  # a minor's
    assert await names_in_details(root, ivanova, "2026/10/2") == [HER_SERVICE]  # her own

    overview = await root.user_settings.overview(ivanova)
    holder = await person_id(engine, "123/14")
    assert overview.sharing is not None
    assert (overview.sharing.holder_id, overview.sharing.holder_name, overview.sharing.shared) == (
        holder,
        "Иванов И. И.",
        False,
    )
    assert (await root.user_settings.overview(ivanov)).sharing is None  # an employee: nothing to give

    done = await root.user_settings.share_services(ivanova, True, holder)
    assert done.refusal is None and done.overview.sharing.shared
    shared_with, shared_at = await stored(engine, ivanova.account_id)
    assert shared_with == canonical_policy("123/14") and shared_at is not None and shared_at.tzinfo is not None
    assert await names_in_details(root, ivanov, "2026/10/2") == [HER_SERVICE]
    assert await names_in_history(root, ivanov, WIFE) == [HER_SERVICE]

    again = await root.user_settings.share_services(ivanova, True, holder)  # a double tap: no change, no record
    assert again.overview.sharing.shared

    done = await root.user_settings.share_services(ivanova, False, holder)
    assert done.refusal is None and not done.overview.sharing.shared
    assert await stored(engine, ivanova.account_id) == (None, None)
    assert await names_in_details(root, ivanov, "2026/10/2") == [None]
    assert await names_in_history(root, ivanov, WIFE) == [None]

    # Audited: who, which account, the holder's id and the choice; no names, no policy numbers.
    assert await audit(engine) == [
        (5005, str(ivanova.account_id), {"holder": holder, "enabled": 1}),
        (5005, str(ivanova.account_id), {"holder": holder, "enabled": 0}),
    ]


async def test_refused_to_anyone_it_is_not_for_and_for_a_holder_not_shown(
    root: Container, engine: AsyncEngine, ivanov: Viewer, ivanova: Viewer
) -> None:
    holder = await person_id(engine, "123/14")
    assert await root.user_settings.share_services(ivanov, True, holder) is None  # an employee
    shmolina = await viewer(engine, 5002, SHMOLINA)
    assert await root.user_settings.share_services(shmolina, True, holder) is None
    assert await stored(engine, ivanov.account_id) == (None, None)
    assert await stored(engine, ivanova.account_id) == (None, None)  # nobody can reach hers

    other = await person_id(engine, SHMOLINA)
    done = await root.user_settings.share_services(ivanova, True, other)  # a button naming another holder
    assert done.refusal == "holder_changed" and not done.overview.sharing.shared
    assert await stored(engine, ivanova.account_id) == (None, None)
    assert await audit(engine) == []


async def test_goes_with_her_account(root: Container, engine: AsyncEngine, ivanov: Viewer, ivanova: Viewer) -> None:
    await root.user_settings.share_services(ivanova, True, await person_id(engine, "123/14"))
    assert await names_in_details(root, ivanov, "2026/10/2") == [HER_SERVICE]
    assert await root.accounts.delete(5005, dialogs())
    assert await names_in_details(root, ivanov, "2026/10/2") == [None]
    assert await names_in_history(root, ivanov, WIFE) == [None]

    back = await viewer(engine, 5005, WIFE)  # registered again: a new account, nothing given
    assert not (await root.user_settings.overview(back)).sharing.shared
    assert await names_in_details(root, ivanov, "2026/10/2") == [None]


async def test_a_new_holder_inherits_nothing_and_the_old_one_sees_no_more(
    root: Container, engine: AsyncEngine, ivanov: Viewer, ivanova: Viewer
) -> None:
    await root.user_settings.share_services(ivanova, True, await person_id(engine, "123/14"))
    async with engine.begin() as conn:  # the registry now names Шмолина as her holder
        await conn.execute(
            update(InsuredPerson)
            .where(InsuredPerson.policy_key == canonical_policy(WIFE))
            .values(holder_policy_key=canonical_policy(SHMOLINA))
        )
    assert await names_in_details(root, ivanov, "2026/10/2") == [None]  # he still pays 2026/10/2
    sharing = (await root.user_settings.overview(ivanova)).sharing
    assert (sharing.holder_id, sharing.holder_name, sharing.shared) == (
        await person_id(engine, SHMOLINA),
        "Шмолина Е. В.",
        False,
    )
    await root.user_settings.share_services(ivanova, False, sharing.holder_id)  # "off": the old one is cleared too
    assert await stored(engine, ivanova.account_id) == (None, None)


async def test_no_setting_for_a_minor_or_without_a_holder_in_the_registry(root: Container, engine: AsyncEngine) -> None:
    son = await viewer(engine, 5007, SON)
    assert (await root.user_settings.overview(son)).sharing is None
    wife = await viewer(engine, 5005, WIFE)
    async with engine.begin() as conn:
        await conn.execute(
            update(InsuredPerson)
            .where(InsuredPerson.policy_key == canonical_policy(WIFE))
            .values(holder_policy_key=canonical_policy("АМ099999999/13"))
        )
    assert (await root.user_settings.overview(wife)).sharing is None  # that holder is not in the registry


async def test_the_details_read_the_permission_in_the_invoice_statement(
    root: Container, engine: AsyncEngine, ivanov: Viewer, ivanova: Viewer
) -> None:
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    number = await invoice_id(engine, "2026/10/2")
    await root.user_settings.share_services(ivanova, True, await person_id(engine, "123/14"))
    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        details = await root.invoices.details(ivanov, number)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    assert [line.service_name for line in details.lines] == [HER_SERVICE]
    # the invoice with her permission, his policy key, the lines, and (it is paid: by her deposit) how it was paid
    assert len(seen) == 4, seen


def test_short_name() -> None:
    person = InsuredPerson(last_name="Салтыков-Щедрин", first_name="Михаил", patronymic="")
    assert short_name(person) == "Салтыков-Щедрин М."
    assert short_name(InsuredPerson(last_name="Иванов", first_name="Иван", patronymic="Иванович")) == "Иванов И. И."
