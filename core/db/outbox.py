"""The outbox's statements (`OutboxRepository`): a notice (`core.notices`) written with the change it tells
about, the rows due for sending, and the conditional updates a sender makes (claim, sent, postponed, failed,
given up, a whole chat given up). Each update re-checks the row's state in its WHERE, so two senders racing
for one row both run it and only one changes it (`rowcount`)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Row, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import Account, BlockedUser, InsuredPerson, OutboxMessage
from core.notices import Notice


def outbox_row(notice: Notice, at: datetime) -> dict[str, Any]:
    """The outbox row's values for a notice written at `at` (also for a bulk insert)."""
    return {"telegram_id": notice.to, "kind": notice.kind, "payload": notice.payload(), "created_at": at}


def _open() -> tuple[Any, ...]:
    """Not sent, not given up."""
    return OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None)


def _due(now: datetime) -> tuple[Any, ...]:
    """Open, and neither claimed by a sender nor postponed at `now`."""
    return *_open(), or_(OutboxMessage.not_before.is_(None), OutboxMessage.not_before <= now)


def chat_due(telegram_id: int, now: datetime) -> tuple[Any, ...]:
    """The rows to a chat that are due at `now`."""
    return OutboxMessage.telegram_id == telegram_id, *_due(now)


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, notice: Notice, at: datetime) -> None:
        """A notice in the outbox, committed (or not) with the change it tells about. None when its recipient
        erased their account since (a payment's result): there is nobody to tell."""
        if notice.to is not None:
            self.session.add(OutboxMessage(**outbox_row(notice, at)))

    async def due(
        self, now: datetime, limit: int, skip_chats: Collection[int] = (), *, broadcasts: bool = True
    ) -> list[Row]:
        """(OutboxMessage, language of the recipient's account or None, whether the recipient is blocked by
        the desk): service notices first, then broadcast rows (none unless `broadcasts`), each oldest first;
        none to `skip_chats` (the chats a sender holds rows of already, or is sending to)."""
        blocked = select(BlockedUser.telegram_id).where(BlockedUser.telegram_id == OutboxMessage.telegram_id).exists()
        query = (
            select(OutboxMessage, Account.language, blocked.label("blocked"))
            .outerjoin(Account, Account.telegram_id == OutboxMessage.telegram_id)
            .where(*_due(now))
            .order_by(OutboxMessage.priority, OutboxMessage.id)
            .limit(limit)
        )
        if not broadcasts:
            query = query.where(OutboxMessage.priority == 0)
        if skip_chats:
            query = query.where(OutboxMessage.telegram_id.not_in(list(skip_chats)))
        return list((await self.session.execute(query)).all())

    async def names(self, person_ids: Iterable[int]) -> dict[int, str]:
        """person id → "Surname Name"."""
        ids = set(person_ids)
        if not ids:
            return {}
        query = select(InsuredPerson.id, InsuredPerson.last_name, InsuredPerson.first_name).where(
            InsuredPerson.id.in_(ids)
        )
        return {id_: f"{last} {first}" for id_, last, first in await self.session.execute(query)}

    async def get_for_update(self, notice_id: int) -> OutboxMessage | None:
        return await self.session.get(OutboxMessage, notice_id, with_for_update=True)

    async def claim(self, notice_id: int, now: datetime, until: datetime) -> bool:
        return await self._update(notice_id, _due(now), not_before=until)

    async def sent(self, notice_id: int, now: datetime) -> bool:
        return await self._update(notice_id, (OutboxMessage.sent_at.is_(None),), sent_at=now, not_before=None)

    async def postpone(self, notice_id: int, until: datetime) -> bool:
        return await self._update(notice_id, _open(), not_before=until)

    async def give_up(self, notice_id: int, now: datetime) -> bool:
        return await self._update(
            notice_id, _open(), attempts=OutboxMessage.attempts + 1, failed_at=now, not_before=None
        )

    async def give_up_chat(self, telegram_id: int, now: datetime) -> int:
        """Gives up every row to the chat that is due at `now` (rows claimed by a sender are left to it);
        how many."""
        statement = (
            update(OutboxMessage)
            .where(*chat_due(telegram_id, now))
            .values(attempts=OutboxMessage.attempts + 1, failed_at=now, not_before=None)
        )
        result = await self.session.execute(statement.execution_options(synchronize_session=False))
        return result.rowcount

    async def _update(self, notice_id: int, conditions: tuple[Any, ...], **values: Any) -> bool:
        statement = update(OutboxMessage).where(OutboxMessage.id == notice_id, *conditions).values(**values)
        result = await self.session.execute(statement.execution_options(synchronize_session=False))
        return result.rowcount == 1
