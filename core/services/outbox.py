"""The outbox: notices written in the transaction of the change they tell about, delivered later.

A sender reads `pending` rows (oldest first), `claim`s each just before sending it (so two senders, in
one process or on two replicas, never send one row both), and then marks it `sent`, `postpone`s it (a
RetryAfter), counts a failed attempt (`mark_failed`: back-off, given up after `MAX_ATTEMPTS`) or gives it
up at once (`give_up`: a message Telegram refuses; `give_up_chat`: the user blocked the bot, so every
row to that chat goes). A given-up row stays in the table, marked, and is not
retried. A row of a broadcast counts, as it settles, on its broadcast (sent, blocked, failed), and the
row that settles the last one marks it done and writes the report to the admin who sent it. Broadcast rows
come after every service notice, and only within REMINDER_HOURS. Delivery is at least once: a sender that dies between Telegram's answer and `mark_sent` leaves
the row claimed, and it is sent again once the claim (`CLAIM`) has lapsed.

Each method is its own short unit of work; none is open while Telegram is called.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from core.billing.reminders import DAYTIME, daytime
from core.calendar import Clock
from core.db.models import OutboxMessage
from core.db.outbox import chat_due
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.language import DEFAULT_LANGUAGE, LANGUAGES
from core.notices import Notice, read_notice
from core.services.broadcasts import settle

MAX_ATTEMPTS = 5
CLAIM = timedelta(minutes=2)  # longer than a send with its timeout
BACKOFF = timedelta(seconds=30)  # after the n-th failed attempt: BACKOFF × 4^(n-1), at most MAX_BACKOFF
MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True)
class Delivery:
    """An outbox row to send: the stored notice as it is (read when sent, so one this version cannot read
    fails alone), and what its text needs besides."""

    id: int
    telegram_id: int
    kind: str
    payload: Mapping[str, Any]
    attempts: int
    language: str  # the account's chosen language, else ru
    person_name: str | None  # the insured person the notice is about (payload["person_id"]), if any
    quoted: str | None = None  # the words a notice carries by reference: support's answer, a broadcast's text
    priority: int = 0  # 0 a service notice, 1 a broadcast row: a lower one goes first
    broadcast_id: int | None = None

    def read(self) -> Notice:
        """The notice; `core.notices.UnknownNotice` when this version cannot read it."""
        return read_notice(self.kind, self.payload, self.telegram_id)


class OutboxService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, hours: tuple[int, int] = DAYTIME) -> None:
        self.uow = uow
        self.clock = clock
        self.hours = hours  # local hours in which broadcast rows are due (REMINDER_HOURS)

    async def pending(self, limit: int = 20, skip_chats: Collection[int] = ()) -> list[Delivery]:
        """Unsent rows not given up and not claimed or postponed now, service notices first, then (within
        the daytime hours) broadcast rows, each oldest first; none to `skip_chats`."""
        now = self.clock.now()
        async with self.uow() as uow:
            repo = uow.outbox
            rows = await repo.due(
                now, limit, skip_chats, broadcasts=daytime(now.astimezone(self.clock.zone), self.hours)
            )
            if any(row.blocked for row in rows):  # a user blocked by the desk gets nothing: given up, not sent
                for row in rows:
                    if row.blocked and await repo.give_up(row.OutboxMessage.id, now):
                        await _settle_row(uow, row.OutboxMessage.broadcast_id, "blocked", now)
                await uow.commit()
                rows = [row for row in rows if not row.blocked]
            names = await repo.names(_person_id(row.OutboxMessage.payload) for row in rows)
            texts = await uow.queue.message_texts(
                i for row in rows if (i := _int(row.OutboxMessage.payload, "message_id")) is not None
            )
            words = await uow.broadcasts.texts(
                row.OutboxMessage.broadcast_id for row in rows if row.OutboxMessage.broadcast_id is not None
            )
        return [_delivery(row.OutboxMessage, row.language, names, texts, words) for row in rows]

    async def claim(self, notice_id: int, for_: timedelta = CLAIM) -> bool:
        """Takes the row for `for_` (`CLAIM`) before sending it; False when it is sent, given up or taken
        already (another sender got there first)."""
        now = self.clock.now()
        async with self.uow() as uow:
            taken = await uow.outbox.claim(notice_id, now, now + for_)
            await uow.commit()
        return taken

    async def mark_sent(self, notice_id: int, broadcast_id: int | None = None) -> bool:
        """Telegram accepted it (a row of `broadcast_id`). False when it was marked sent already, or is gone
        (its broadcast was stopped)."""
        now = self.clock.now()
        async with self.uow() as uow:
            done = await uow.outbox.sent(notice_id, now)
            if done:
                await _settle_row(uow, broadcast_id, "sent", now)
            await uow.commit()
        return done

    async def postpone(self, notice_id: int, seconds: float) -> bool:
        """Not before `seconds` from now, without counting an attempt (a RetryAfter, Telegram unreachable)."""
        async with self.uow() as uow:
            done = await uow.outbox.postpone(notice_id, self.clock.now() + timedelta(seconds=seconds))
            await uow.commit()
        return done

    async def mark_failed(self, notice_id: int) -> bool:
        """One more failed attempt: retried after a back-off, given up at `MAX_ATTEMPTS`. True when given up."""
        now = self.clock.now()
        async with self.uow() as uow:
            row = await uow.outbox.get_for_update(notice_id)
            if row is None or row.sent_at is not None or row.failed_at is not None:
                return row is not None and row.failed_at is not None
            row.attempts += 1
            if row.attempts >= MAX_ATTEMPTS:
                row.failed_at, row.not_before = now, None
            else:
                row.not_before = now + min(BACKOFF * 4 ** (row.attempts - 1), MAX_BACKOFF)
            given_up = row.failed_at is not None
            if given_up:
                await _settle_row(uow, row.broadcast_id, "failed", now)
            await uow.commit()
        return given_up

    async def give_up(self, notice_id: int, broadcast_id: int | None = None) -> bool:
        """Never to be sent (Telegram refuses the message): one more attempt, marked given up, kept in the
        table."""
        now = self.clock.now()
        async with self.uow() as uow:
            done = await uow.outbox.give_up(notice_id, now)
            if done:
                await _settle_row(uow, broadcast_id, "failed", now)
            await uow.commit()
        return done

    async def give_up_chat(self, notice_id: int, telegram_id: int, broadcast_id: int | None = None) -> int:
        """The user blocked the bot (or the chat is gone): this row (of `broadcast_id`) and every other row
        to the chat not claimed by a sender are given up, in one transaction; how many. Later notices are
        tried afresh."""
        now = self.clock.now()
        async with self.uow() as uow:
            repo = uow.outbox
            this = await repo.give_up(notice_id, now)
            if this:
                await _settle_row(uow, broadcast_id, "blocked", now)
            others = await uow.broadcasts.settled_by_broadcast(chat_due(telegram_id, now))
            done = int(this) + await repo.give_up_chat(telegram_id, now)
            for other, n in others.items():
                await settle(uow, other, "blocked", n, now)
            await uow.commit()
        return done


def _int(payload: Mapping[str, Any] | None, key: str) -> int | None:
    value = (payload or {}).get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _person_id(payload: Mapping[str, Any] | None) -> int | None:
    return _int(payload, "person_id")


async def _settle_row(uow: UnitOfWork, broadcast_id: int | None, outcome: str, now: datetime) -> None:
    if broadcast_id is not None:
        await settle(uow, broadcast_id, outcome, 1, now)


def _delivery(
    row: OutboxMessage,
    language: str | None,
    names: dict[int, str],
    texts: Mapping[int, str] | None = None,
    broadcasts: Mapping[int, str] | None = None,
) -> Delivery:
    if language not in LANGUAGES:  # the account chose none: the language the notice was written for, if any
        language = (row.payload or {}).get("language")
    return Delivery(
        id=row.id,
        telegram_id=row.telegram_id,
        kind=row.kind,
        payload=MappingProxyType(dict(row.payload or {})),
        attempts=row.attempts,
        language=language if language in LANGUAGES else DEFAULT_LANGUAGE,
        person_name=names.get(_person_id(row.payload)),
        quoted=(broadcasts or {}).get(row.broadcast_id)
        if row.broadcast_id is not None
        else (texts or {}).get(_int(row.payload, "message_id")),
        priority=row.priority,
        broadcast_id=row.broadcast_id,
    )


__all__ = ["CLAIM", "MAX_ATTEMPTS", "Delivery", "OutboxService"]
