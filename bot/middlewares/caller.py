"""Who is asking, in which language, and whether they are served at all: one outer middleware on `dp.update`.

- **The viewer**, resolved once per update from the viewer cache (no database read on a hit). When it cannot
  be read (the database away), the one last read stays in the update's data before the failure goes on to
  the error handler, which answers in that viewer's language.
- **The language**: the viewer's choice, else Telegram's language code (`AccountLocaleManager`); the
  update's `i18n` context is aiogram-i18n's, made as its own middleware makes it.
- **The blocked gate**: a Telegram user blocked by an admin gets one line a day ("access suspended, contact
  your HR or the insurer", in their language) and nothing else, before any router. A press of theirs is
  answered silently (no spinner).

These were three outer middlewares; aiogram wraps each in a partial and awaits them one inside the other
for every update, and on a short update like `/menu` that chain was a visible part of the dispatch. It is
aiogram-i18n's `I18nMiddleware` with its `__call__` replaced, so `setup` still registers the Fluent core's
start-up and shut-down and puts it in the dispatcher's data as `i18n_middleware` (the error handler's).
"""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot
from aiogram.enums import ChatType
from aiogram.types import TelegramObject, Update, User
from aiogram_i18n import I18nContext, I18nMiddleware
from aiogram_i18n.cores import FluentRuntimeCore

from bot.i18n import AccountLocaleManager
from bot.views.desk import blocked_line
from core.language import DEFAULT_LANGUAGE
from core.services.desk import DeskService
from core.services.viewers import Viewer, ViewerDirectory


class CallerMiddleware(I18nMiddleware):
    def __init__(self, viewers: ViewerDirectory, i18n: FluentRuntimeCore, desk: DeskService) -> None:
        super().__init__(core=i18n, manager=AccountLocaleManager(), default_locale=DEFAULT_LANGUAGE)
        self.viewers = viewers
        self.desk = desk

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        try:
            viewer = await self.viewers.get(user.id) if user is not None else None
        except Exception:
            data["viewer"] = self.viewers.known(user.id)
            raise
        data["viewer"] = viewer
        locale = await self.manager.get_locale(event_from_user=user, viewer=viewer)
        with self.use_context(locale=locale, data=data) as i18n:
            if viewer is not None and viewer.blocked:
                return await self._refuse(event, data, viewer, i18n)
            return await handler(event, data)

    async def _refuse(self, event: TelegramObject, data: dict[str, Any], viewer: Viewer, i18n: I18nContext) -> None:
        bot: Bot = data["bot"]
        if isinstance(event, Update) and event.callback_query is not None:
            await bot.answer_callback_query(event.callback_query.id)
        chat = data.get("event_chat")
        if chat is not None and chat.type == ChatType.PRIVATE and await self.desk.notice_due(viewer.telegram_id):
            await bot.send_message(chat.id, blocked_line(i18n))
