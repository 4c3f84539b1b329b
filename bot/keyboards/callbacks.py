"""Callback data: ids and short codes only (64 bytes at most), never names.

A modified client can send any data: integer fields are bounded (`Id`, `PageNo`), so a number no
column holds is no match for the filter (the stale-button answer), never a database error.
"""

from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

INT32_MAX = 2**31 - 1  # the largest id a database integer column holds (PostgreSQL `integer`)
Id = Annotated[int, Field(ge=0, le=INT32_MAX)]
PageNo = Annotated[int, Field(ge=0, le=INT32_MAX)]


class LanguageCb(CallbackData, prefix="lang"):
    code: str


class MenuCb(CallbackData, prefix="menu"):
    section: str


class ConsentCb(CallbackData, prefix="consent"):
    kind: str  # personal_data | rules | notifications: a stale button of another consent is refused
    granted: bool


class RegCb(CallbackData, prefix="reg"):
    """Registration buttons: way, back, cancel, skip, resend, restart; review, change (a step), resubmit, wait."""

    action: str
    value: str = ""


class DeleteMeCb(CallbackData, prefix="del"):
    confirmed: bool


class SupportCb(CallbackData, prefix="sup"):
    """A question to support, registered or not: `ask` opens the form, `cancel` leaves it."""

    action: str = "ask"
