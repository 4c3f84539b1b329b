"""Callback data of the support desk: ids, page numbers and short codes only. The text of a /find is
kept in the staff member's desk storage (`StorageKey(destiny="desk")`), never in a button, and never in
their own dialog's state."""

from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.callbacks import Id, PageNo
from core.desk.actions import AccountAction
from core.desk.queue import ItemKind

RECORD_SECTIONS = ("person", "registration", "money", "requests")
Section = Annotated[int, Field(ge=0, le=len(RECORD_SECTIONS) - 1)]


class FindPageCb(CallbackData, prefix="dfind"):
    page: PageNo = 0


class RecordCb(CallbackData, prefix="drec"):
    """A section of a person's record; opened from a queue item (`kind`, `item_id`), its way back is to
    that item rather than to the last /find's list."""

    person_id: Id
    section: Section = 0
    kind: ItemKind | None = None
    item_id: Id = 0


class ActionCb(CallbackData, prefix="dact"):
    """An account action on a record: first the confirmation screen, then (`confirmed`) the action."""

    person_id: Id
    action: AccountAction
    confirmed: bool = False
