"""Broadcasts (/broadcast, admins): a message to a segment of the registered people, previewed, written to
the outbox a chunk at a time, counted as its rows settle, stoppable midway. Rules: `core.desk.broadcasts`.

Queuing writes `CHUNK` recipients per transaction inside the database (`BroadcastRepository.queue_chunk`),
each transaction holding the broadcast's row, so a stop waits for the chunk under way and then drops every
unsent row, that chunk's included, and the next chunk sees the stop. The outbox sender sends the rows after
every service notice and within REMINDER_HOURS (`OutboxService`), and counts them here (`settle`). The row
keeps where the queuing stands (the last account id queued, the last chunk's time): a queuing cut off by a
stop or a crash is taken up by the worker (`resume`) from there, and never queues anyone twice."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from core.actors import Capability
from core.audit import AuditAction
from core.calendar import Clock
from core.db.models import Broadcast
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.desk.broadcasts import (
    CHUNK,
    QUEUING_CUT_OFF,
    BroadcastStatus,
    Counts,
    Screen,
    Segment,
    broadcast_text,
    segment_value,
)
from core.errors import InputError
from core.notices import BroadcastReport
from core.services.roles import RoleDirectory

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BroadcastView:
    id: int
    status: BroadcastStatus
    counts: Counts
    cancelled: int
    queued: bool  # every recipient is in the outbox


@dataclass(frozen=True, slots=True)
class Draft:
    """What the admin chose, checked by `BroadcastService.check`."""

    text: str
    screen: Screen | None
    segment: Segment
    value: str | None


async def settle(uow: UnitOfWork, broadcast_id: int, outcome: str, n: int, now: datetime) -> None:
    """`n` rows of the broadcast ended as `outcome` (sent, blocked, failed), in the caller's transaction;
    when that settles the last, the broadcast is done and its report goes to the admin who sent it."""
    if await uow.broadcasts.add_settled(broadcast_id, outcome, n):
        done = await uow.broadcasts.finish_if_done(broadcast_id, now)
        if done is not None:
            _report(uow, done, now)


def _report(uow: UnitOfWork, broadcast: Broadcast, now: datetime) -> None:
    report = BroadcastReport(
        to=broadcast.created_by,
        broadcast_id=broadcast.id,
        sent=broadcast.sent,
        blocked=broadcast.blocked,
        failed=broadcast.failed,
        language=broadcast.language,
    )
    uow.outbox.add(report, now)
    uow.audit.record(
        now,
        AuditAction.BROADCAST_DONE,
        object_type="broadcast",
        object_id=broadcast.id,
        sent=broadcast.sent,
        blocked=broadcast.blocked,
        failed=broadcast.failed,
    )


def _view(broadcast: Broadcast) -> BroadcastView:
    counts = Counts(broadcast.total, broadcast.sent, broadcast.blocked, broadcast.failed)
    return BroadcastView(
        broadcast.id, BroadcastStatus(broadcast.status), counts, broadcast.cancelled, broadcast.queued_at is not None
    )


class BroadcastService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, roles: RoleDirectory, chunk: int = CHUNK) -> None:
        self.uow = uow
        self.clock = clock
        self.roles = roles
        self.chunk = chunk

    @staticmethod
    def check(text: str, screen: str | None, segment: str, value: str | None) -> Draft:
        """The admin's choices as a draft; InputError for a text or value that will not do, ValueError for a
        screen or segment that is none of ours (a forged storage)."""
        chosen = Segment(segment)
        return Draft(broadcast_text(text), Screen(screen) if screen else None, chosen, segment_value(chosen, value))

    async def recipients(self, telegram_id: int, draft: Draft) -> int:
        """How many people the draft would reach now. Raises `Forbidden` (not an admin)."""
        async with self.uow() as uow:
            await self.roles.require(uow, telegram_id, Capability.BROADCAST)
            return await uow.broadcasts.count(draft.segment, draft.value, self.clock.today())

    async def start(self, telegram_id: int, draft: Draft, language: str) -> int:
        """The broadcast recorded (running, nobody queued yet); its id. Raises `Forbidden`, InputError
        `broadcast.nobody` when the segment has no recipient."""
        now = self.clock.now()
        async with self.uow() as uow:
            await self.roles.require(uow, telegram_id, Capability.BROADCAST)
            recipients = await uow.broadcasts.count(draft.segment, draft.value, self.clock.today())
            if recipients == 0:
                raise InputError("segment", "broadcast.nobody")
            broadcast = Broadcast(
                created_by=telegram_id,
                language=language,
                text=draft.text,
                screen=draft.screen.value if draft.screen else None,
                segment=draft.segment.value,
                segment_value=draft.value,
                status=BroadcastStatus.RUNNING.value,
                queue_beat=now,
                total=0,
                sent=0,
                blocked=0,
                failed=0,
                cancelled=0,
                created_at=now,
            )
            uow.broadcasts.add(broadcast)
            await uow.flush()
            uow.audit.record(
                now,
                AuditAction.BROADCAST_STARTED,
                actor=telegram_id,
                object_type="broadcast",
                object_id=broadcast.id,
                segment=draft.segment.value,
                screen=draft.screen.value if draft.screen else None,
                recipients=recipients,
            )
            await uow.commit()
            return broadcast.id

    async def queue(self, broadcast_id: int) -> BroadcastView:
        """Writes its recipients to the outbox, `chunk` per transaction, until none is left or it was
        stopped; then it counts as queued (and is done at once if every row has settled already). Each
        chunk starts where the row says the last one ended, so a queuing cut off goes on from there."""
        while True:
            now = self.clock.now()
            async with self.uow() as uow:
                broadcast = await uow.broadcasts.get(broadcast_id, for_update=True)
                if broadcast is None or broadcast.status != BroadcastStatus.RUNNING or broadcast.queued_at:
                    return await self._view(broadcast_id)
                written, last = await uow.broadcasts.queue_chunk(
                    broadcast, broadcast.queued_through, self.chunk, now, self.clock.today()
                )
                broadcast.queue_beat = now
                if written:
                    broadcast.total += written
                    broadcast.queued_through = last
                else:
                    broadcast.queued_at = now
                    await uow.flush()
                    done = await uow.broadcasts.finish_if_done(broadcast_id, now)
                    if done is not None:
                        _report(uow, done, now)
                await uow.commit()
            if not written:
                return await self._view(broadcast_id)

    async def resume(self) -> int:
        """The worker's job: every broadcast whose queuing was cut off (`QUEUING_CUT_OFF`) queued on from
        where it stood; how many were taken up."""
        async with self.uow() as uow:
            cut_off = await uow.broadcasts.cut_off(self.clock.now() - QUEUING_CUT_OFF)
        for broadcast_id in cut_off:
            log.warning("broadcast %s: its queuing was cut off, resumed", broadcast_id)
            await self.queue(broadcast_id)
        return len(cut_off)

    async def progress(self, telegram_id: int, broadcast_id: int) -> BroadcastView | None:
        """Where it stands; None for no such broadcast. Raises `Forbidden`."""
        async with self.uow() as uow:
            await self.roles.require(uow, telegram_id, Capability.BROADCAST)
            broadcast = await uow.broadcasts.get(broadcast_id)
            return _view(broadcast) if broadcast is not None else None

    async def stop(self, telegram_id: int, broadcast_id: int) -> BroadcastView | None:
        """Stops a running broadcast: its unsent rows are dropped, nothing more goes out (a send already in
        a sender's hands at that instant may still land, uncounted). A broadcast already over is left as
        it is. None for no such broadcast. Raises `Forbidden`."""
        now = self.clock.now()
        async with self.uow() as uow:
            await self.roles.require(uow, telegram_id, Capability.BROADCAST)
            broadcast = await uow.broadcasts.get(broadcast_id, for_update=True)
            if broadcast is None:
                return None
            if broadcast.status == BroadcastStatus.RUNNING:
                broadcast.status = BroadcastStatus.STOPPED.value
                broadcast.finished_at = now
                broadcast.cancelled = await uow.broadcasts.drop_unsent(broadcast_id)
                uow.audit.record(
                    now,
                    AuditAction.BROADCAST_STOPPED,
                    actor=telegram_id,
                    object_type="broadcast",
                    object_id=broadcast_id,
                    sent=broadcast.sent,
                    cancelled=broadcast.cancelled,
                )
                await uow.commit()
            return _view(broadcast)

    async def _view(self, broadcast_id: int) -> BroadcastView:
        async with self.uow() as uow:
            broadcast = await uow.broadcasts.get(broadcast_id)
            assert broadcast is not None
            return _view(broadcast)
