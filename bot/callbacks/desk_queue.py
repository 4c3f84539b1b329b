"""Callback data of the desk's queue (/queue): kinds, ids, page numbers and short action codes only. An
answer's text is kept in the staff member's desk storage (`StorageKey(destiny="desk")`), never in a button
and never in their own dialog's state."""

from typing import Literal

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import Id, PageNo
from core.desk.queue import ItemAction, ItemKind


class QueueCb(CallbackData, prefix="dq"):
    """The queue, of one kind (None: all), a page of it."""

    kind: ItemKind | None = None
    page: PageNo = 0


class QueueMuteCb(CallbackData, prefix="dqm"):
    """New-item notices off / on again (the queue redrawn with this filter)."""

    kind: ItemKind | None = None


class QueueItemCb(CallbackData, prefix="dqi"):
    kind: ItemKind
    item_id: Id


class QueueActCb(CallbackData, prefix="dqa"):
    """Take, release, take over (`seen`: the taker the caller saw), set an anomaly aside; or begin an
    answer (answer, accept, reject: the text is typed next)."""

    kind: ItemKind
    item_id: Id
    action: ItemAction
    seen: Id = 0


class QueueDraftCb(CallbackData, prefix="dqd"):
    """The answer typed: send it, or drop it."""

    kind: ItemKind
    item_id: Id
    step: Literal["send", "drop"]
