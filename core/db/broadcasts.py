"""A broadcast's statements (`BroadcastRepository`): who is in a segment, their outbox rows written a chunk
at a time inside the database (INSERT … SELECT by keyset on the account id: no recipient passes through
Python, so queuing a million takes the memory of one), the counters its rows settle, the stop.

Recipients: registered accounts whose settings turn news on, not blocked by the desk, in the segment."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ColumnElement, delete, exists, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.status import UNPAID
from core.cabinet.notifications import NotificationKind
from core.db.models import Account, BlockedUser, Broadcast, InsuredPerson, Invoice, NotificationSetting, OutboxMessage
from core.desk.broadcasts import BroadcastStatus, Counts, Screen, Segment, finished, month_of
from core.notices import BroadcastMessage

BROADCAST_PRIORITY = 1  # after every service notice (priority 0)
OUTCOMES = ("sent", "blocked", "failed")


def _recipients(segment: Segment, value: str | None, today: date) -> list[ColumnElement[bool]]:
    """The conditions on `accounts` (and, for some segments, `insured_people`) that pick the segment."""
    news_on = exists().where(
        NotificationSetting.account_id == Account.id,
        NotificationSetting.kind == NotificationKind.NEWS.value,
        NotificationSetting.enabled.is_(True),
    )
    blocked = exists().where(BlockedUser.telegram_id == Account.telegram_id)
    conditions = [Account.insured_person_id.is_not(None), news_on, ~blocked]
    person = select(InsuredPerson.id).where(InsuredPerson.id == Account.insured_person_id)
    if segment is Segment.CONTRACT:
        conditions.append(person.where(InsuredPerson.contract_number == value).exists())
    elif segment is Segment.EMPLOYER:
        conditions.append(person.where(InsuredPerson.employer == value).exists())
    elif segment is Segment.ENDING:
        first, last = month_of(today)
        conditions.append(person.where(InsuredPerson.valid_to.between(first, last)).exists())
    elif segment is Segment.UNPAID:
        statuses = [status.value for status in UNPAID]
        owes = exists().where(Invoice.payer_person_id == Account.insured_person_id, Invoice.status.in_(statuses))
        conditions.append(owes)
    return conditions


class BroadcastRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count(self, segment: Segment, value: str | None, today: date) -> int:
        query = select(func.count()).select_from(Account).where(*_recipients(segment, value, today))
        return int(await self.session.scalar(query) or 0)

    def add(self, broadcast: Broadcast) -> None:
        self.session.add(broadcast)

    async def get(self, broadcast_id: int, *, for_update: bool = False) -> Broadcast | None:
        return await self.session.get(Broadcast, broadcast_id, with_for_update=for_update, populate_existing=True)

    async def queue_chunk(
        self, broadcast: Broadcast, after: int, size: int, now: datetime, today: date
    ) -> tuple[int, int]:
        """Outbox rows for the next `size` recipients past account id `after`: (rows written, the last
        account id written; `after` when none was left)."""
        conditions = _recipients(Segment(broadcast.segment), broadcast.segment_value, today)
        page = select(Account.id).where(*conditions, Account.id > after).order_by(Account.id).limit(size).subquery()
        last = await self.session.scalar(select(func.max(page.c.id)))
        if last is None:
            return 0, after
        screen = Screen(broadcast.screen) if broadcast.screen else None
        notice = BroadcastMessage(to=0, broadcast_id=broadcast.id, screen=screen)
        rows = select(
            Account.telegram_id,
            literal(notice.kind),
            literal(notice.payload(), JSON),
            literal(now, OutboxMessage.created_at.type),
            literal(BROADCAST_PRIORITY),
            literal(broadcast.id),
        ).where(*conditions, Account.id > after, Account.id <= last)
        columns = ["telegram_id", "kind", "payload", "created_at", "priority", "broadcast_id"]
        result = await self.session.execute(insert(OutboxMessage).from_select(columns, rows))
        return result.rowcount, last

    async def cut_off(self, before: datetime) -> list[int]:
        """Running broadcasts not all queued whose last chunk was before `before` (or never came)."""
        beat = Broadcast.queue_beat
        rows = await self.session.scalars(
            select(Broadcast.id)
            .where(
                Broadcast.status == BroadcastStatus.RUNNING,
                Broadcast.queued_at.is_(None),
                (beat < before) | beat.is_(None),
            )
            .order_by(Broadcast.id)
        )
        return list(rows)

    async def texts(self, broadcast_ids: Iterable[int]) -> dict[int, str]:
        ids = set(broadcast_ids)
        if not ids:
            return {}
        query = select(Broadcast.id, Broadcast.text).where(Broadcast.id.in_(ids))
        return {key: value for key, value in await self.session.execute(query)}

    async def add_settled(self, broadcast_id: int, outcome: str, n: int = 1) -> bool:
        """`n` more of its rows ended as `outcome` (sent, blocked, failed); whether it is now finished (every
        queued row settled) and still marked running: one statement, as it runs once per send."""
        if outcome not in OUTCOMES:
            raise ValueError(outcome)
        column = getattr(Broadcast, outcome)
        statement = (
            update(Broadcast)
            .where(Broadcast.id == broadcast_id)
            .values({column: column + n})
            .returning(
                Broadcast.status,
                Broadcast.total,
                Broadcast.sent,
                Broadcast.blocked,
                Broadcast.failed,
                Broadcast.queued_at,
            )
        )
        row = (await self.session.execute(statement.execution_options(synchronize_session=False))).first()
        if row is None:
            return False
        counts = Counts(row.total, row.sent, row.blocked, row.failed)
        return row.status == BroadcastStatus.RUNNING and finished(counts, row.queued_at is not None)

    async def finish_if_done(self, broadcast_id: int, now: datetime) -> Broadcast | None:
        """Marks it done when every queued row has settled; the broadcast when this call did."""
        statement = (
            update(Broadcast)
            .where(
                Broadcast.id == broadcast_id,
                Broadcast.status == BroadcastStatus.RUNNING.value,
                Broadcast.queued_at.is_not(None),
                Broadcast.sent + Broadcast.blocked + Broadcast.failed >= Broadcast.total,
            )
            .values(status=BroadcastStatus.DONE.value, finished_at=now)
        )
        result = await self.session.execute(statement.execution_options(synchronize_session=False))
        return await self.get(broadcast_id) if result.rowcount == 1 else None

    async def drop_unsent(self, broadcast_id: int) -> int:
        """Deletes its rows not sent and not given up (claimed ones too: what a sender has in hand fails to
        mark and is not counted); how many."""
        statement = delete(OutboxMessage).where(
            OutboxMessage.broadcast_id == broadcast_id,
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.failed_at.is_(None),
        )
        result = await self.session.execute(statement.execution_options(synchronize_session=False))
        return result.rowcount

    async def settled_by_broadcast(self, conditions: Iterable[Any]) -> dict[int, int]:
        """broadcast id → how many of the outbox rows matching `conditions` belong to it."""
        query = (
            select(OutboxMessage.broadcast_id, func.count())
            .where(*conditions, OutboxMessage.broadcast_id.is_not(None))
            .group_by(OutboxMessage.broadcast_id)
        )
        return {key: value for key, value in await self.session.execute(query)}
