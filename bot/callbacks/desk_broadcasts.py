"""Callback data of the desk's /broadcast: the dialog's steps and the running broadcast's buttons. The
draft itself (text, button, segment) lives in the admin's desk storage, never in a button."""

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import Id
from core.desk.broadcasts import Screen, Segment


class DraftStep(StrEnum):
    SCREEN = "screen"  # the button chosen (`screen`; none: no button)
    SEGMENT = "segment"  # the segment chosen (`segment`)
    SEND = "send"  # confirmed: queue it
    DROP = "drop"  # cancelled


class BroadcastDraftCb(CallbackData, prefix="dbc"):
    step: DraftStep
    screen: Screen | None = None
    segment: Segment | None = None


class RunAction(StrEnum):
    REFRESH = "refresh"
    STOP = "stop"


class BroadcastRunCb(CallbackData, prefix="dbr"):
    """A button on the progress message of a broadcast (any admin may use it)."""

    broadcast_id: Id
    action: RunAction
