"""Last resort: the user gets a polite answer with an incident id; the log gets ids, never data."""

import logging
import secrets

from aiogram import Router
from aiogram.types import ErrorEvent
from aiogram_i18n import I18nContext

router = Router(name="errors")
log = logging.getLogger(__name__)


@router.errors()
async def on_error(event: ErrorEvent, i18n: I18nContext | None = None) -> None:
    incident = secrets.token_hex(4)
    update = event.update
    user = update.event.from_user if update.event and hasattr(update.event, "from_user") else None
    # The exception's type and traceback only: its message could quote user input.
    log.error(
        "incident %s: update %s from user %s failed with %s",
        incident,
        update.update_id,
        user.id if user else None,
        type(event.exception).__name__,
        exc_info=(type(event.exception), event.exception, event.exception.__traceback__),
    )
    if i18n is None or user is None:
        return
    text = i18n.get("error-incident", incident=incident)
    if update.callback_query and update.callback_query.message:
        await update.callback_query.message.answer(text)
    elif update.message:
        await update.message.answer(text)
