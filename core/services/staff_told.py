"""Staff told of a new item in the desk's queue: written by the use case that made the item (a request, a
question, a dispute, a payment anomaly, a user's reply that reopens a request), in its own transaction."""

from __future__ import annotations

from datetime import datetime

from core.actors import can
from core.db.uow import UnitOfWork
from core.desk.queue import TOPIC_KINDS, ItemKind, needs
from core.notices import DeskTopicChanged, DeskTopicOpen, QueueItemNew
from core.services.roles import RoleDirectory


async def tell_staff(
    uow: UnitOfWork, roles: RoleDirectory, kind: ItemKind, item_id: int, now: datetime, *, reopened: bool = False
) -> int:
    """A new (or reopened) item, told in this transaction to each staff member who works on its kind
    (configured or granted in the bot) and has not muted these notices; how many were told. A new request,
    question or dispute also gets its topic in the staff group, when there is one (a reopened one: its
    topic's first message rewritten)."""
    if roles.staff_chat_id is not None and kind in TOPIC_KINDS:
        opened = DeskTopicChanged if reopened else DeskTopicOpen
        uow.outbox.add(opened(to=roles.staff_chat_id, item=kind, item_id=item_id), now)
    capability = needs(kind)
    staff = [telegram_id for telegram_id, role in await roles.staff(uow) if can(role, capability)]
    muted = await uow.queue.muted(staff)
    told = 0
    for telegram_id in dict.fromkeys(staff):
        if telegram_id in muted:
            continue
        uow.outbox.add(QueueItemNew(to=telegram_id, item=kind, item_id=item_id, reopened=reopened), now)
        told += 1
    return told


def topic_changed(uow: UnitOfWork, roles: RoleDirectory, kind: ItemKind, item_id: int, now: datetime) -> None:
    """The item's topic in the staff group (when there is a group) shows it as it is now: written in the
    transaction that took, released, answered or closed it."""
    if roles.staff_chat_id is not None and kind in TOPIC_KINDS:
        uow.outbox.add(DeskTopicChanged(to=roles.staff_chat_id, item=kind, item_id=item_id), now)
