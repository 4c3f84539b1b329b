"""Callback data of the desk's /roles and /audit: ids and short codes only. Every one is routed by
`bot.filters.Allowed` and checked again by the use case with the role it re-reads."""

from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.callbacks import PageNo
from core.staff import MAX_TELEGRAM_ID

TelegramId = Annotated[int, Field(ge=0, le=MAX_TELEGRAM_ID)]


class RolesCb(CallbackData, prefix="drl"):
    """`list`; `grant` (confirmed: `telegram_id` gets `role`); `ask_revoke` (the confirmation), `revoke`."""

    action: str
    telegram_id: TelegramId = 0
    role: str = ""


class AuditCb(CallbackData, prefix="dau"):
    """A page of the audit log: `scope` a / t / p (everyone, a Telegram id, an insured person), `value`."""

    scope: str = "a"
    value: TelegramId = 0
    page: PageNo = 0
