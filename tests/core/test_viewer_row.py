"""The viewer cache's row read in one statement (`AccountRepository.viewer_row`): what the three lookups it
replaced read (the account, the role granted in the bot, the block), for users with and without each (hypothesis)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from core.db.engine import create_engine, create_session_factory
from core.db.models import Account, BlockedUser, StaffRole
from core.db.uow import UnitOfWorkFactory

IDS = st.integers(1, 6)
ACCOUNTS = st.dictionaries(IDS, st.tuples(st.sampled_from([None, "ru", "en"])), max_size=5)
ROLES = st.dictionaries(IDS, st.sampled_from(["support", "admin", "retired"]), max_size=3)


async def _three_lookups(uow, telegram_id: int) -> tuple:
    """The lookups as they were: the account's row, the role granted, whether blocked."""
    query = select(Account.id, Account.insured_person_id, Account.language).where(Account.telegram_id == telegram_id)
    account = (await uow.session.execute(query)).first()
    role = await uow.staff_roles.role_of(telegram_id)
    blocked = await uow.blocks.is_blocked(telegram_id)
    return (*(account or (None, None, None)), role, blocked)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ACCOUNTS, ROLES, st.sets(IDS, max_size=3), IDS)
def test_one_statement_reads_what_the_three_lookups_read(
    sqlite_url: str, accounts: dict, roles: dict[int, str], blocked: set[int], telegram_id: int
) -> None:
    async def both() -> None:
        engine = create_engine(sqlite_url)
        factory = UnitOfWorkFactory(create_session_factory(engine))
        now = datetime.now(UTC)
        try:
            async with factory() as uow:
                for table in (Account, StaffRole, BlockedUser):
                    await uow.session.execute(delete(table))
                for tid, (language,) in accounts.items():
                    uow.session.add(Account(telegram_id=tid, language=language, created_at=now))
                for tid, role in roles.items():
                    uow.session.add(StaffRole(telegram_id=tid, role=role, granted_by_telegram_id=1, granted_at=now))
                for tid in blocked:
                    uow.session.add(BlockedUser(telegram_id=tid, blocked_at=now, blocked_by=1))
                await uow.commit()
            async with factory.reading() as uow:
                slow = await _three_lookups(uow, telegram_id)
                row = await uow.accounts.viewer_row(telegram_id)
            assert (row.id, row.insured_person_id, row.language, row.role, bool(row.blocked)) == slow
        finally:
            await engine.dispose()

    asyncio.run(both())
