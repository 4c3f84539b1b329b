"""Last resort: the user gets a polite answer with an incident id; the log gets ids, never data.

A server away (the database, Redis: `core.infra.outages`) is no incident: the user is told to try again in
a minute, the log gets one warning line without a traceback.
"""

import logging
import secrets

from aiogram import Router
from aiogram.enums import ChatType
from aiogram.types import ErrorEvent
from aiogram_i18n import I18nMiddleware

from core.infra.outages import is_outage
from core.language import language_for
from core.services.viewers import Viewer

log = logging.getLogger(__name__)


async def on_error(event: ErrorEvent, i18n_middleware: I18nMiddleware, viewer: Viewer | None = None) -> None:
    update = event.update
    user = getattr(update.event, "from_user", None)
    if is_outage(event.exception):
        await _unavailable(event, i18n_middleware, viewer)
        return
    incident = secrets.token_hex(4)
    # The exception's type and traceback only: its message could quote user input.
    log.error(
        "incident %s: update %s from user %s failed with %s",
        incident,
        update.update_id,
        user.id if user else None,
        type(event.exception).__name__,
        exc_info=(type(event.exception), event.exception, event.exception.__traceback__),
    )
    message = update.message or (update.callback_query.message if update.callback_query else None)
    if message is None or user is None or message.chat.type != ChatType.PRIVATE:
        return  # nothing is ever said in a group
    # The failure may have come before the viewer (and so the chosen language) was known.
    locale = language_for(viewer.language if viewer else None, user.language_code)
    await message.answer(i18n_middleware.core.get("error-incident", locale, incident=incident))


async def _unavailable(event: ErrorEvent, i18n_middleware: I18nMiddleware, viewer: Viewer | None) -> None:
    update = event.update
    user = getattr(update.event, "from_user", None)
    log.warning(
        "update %s from user %s not handled: a server is away (%s)",
        update.update_id,
        user.id if user else None,
        type(event.exception).__name__,
    )
    press = update.callback_query
    message = update.message or (press.message if press else None)
    if user is None or message is None or message.chat.type != ChatType.PRIVATE:
        return
    locale = language_for(viewer.language if viewer else None, user.language_code)
    text = i18n_middleware.core.get("error-unavailable", locale)
    try:  # a message, for a press too: its answer may have been made already (CallbackAnswerMiddleware)
        await message.answer(text)
    except Exception as exc:
        log.warning("update %s: the unavailability notice was not sent (%s)", update.update_id, type(exc).__name__)


def create_router() -> Router:
    router = Router(name="errors")
    router.errors.register(on_error)
    return router
