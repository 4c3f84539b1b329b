"""Registration's "check what you typed" list as a page (`PageLinks.registration_check`): for a session of
a person not registered yet, their own answers read from their registration dialog where the chat keeps it
(the FSM storage, by the session's Telegram user: nothing of the URL chooses whose)."""

from __future__ import annotations

from datetime import date

from aiogram.fsm.storage.base import BaseStorage, StorageKey
from aiogram_i18n import I18nContext
from aiogram_i18n.cores import FluentRuntimeCore
from aiohttp import web

from bot.states.registration import Registration
from bot.views.kit import day
from bot.web.webapp.kit import PageKit, page
from bot.web.webapp.sessions import Caller
from core import registration as dialogs
from core.registration import Dialog, Step


class TypedAnswers:
    """A user's registration dialog, read from the dispatcher's FSM storage."""

    def __init__(self, storage: BaseStorage, bot_id: int) -> None:
        self.storage = storage
        self.bot_id = bot_id

    async def under_review(self, telegram_id: int) -> tuple[tuple[Step, str], ...] | None:
        """The answers while the user's dialog shows its review (`core.registration.under_review`), else None."""
        key = StorageKey(bot_id=self.bot_id, chat_id=telegram_id, user_id=telegram_id)
        if await self.storage.get_state(key) != Registration.active.state:
            return None
        data = (await self.storage.get_data(key)).get("dialog")
        return dialogs.under_review(Dialog.from_data(data)) if data else None


class RegistrationPages(PageKit):
    def __init__(self, i18n_core: FluentRuntimeCore, answers: TypedAnswers) -> None:
        super().__init__(i18n_core)
        self.answers = answers

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_get("/registration/check", self.check_page, name="registration_check")

    @page
    async def check_page(self, request: web.Request, caller: Caller) -> web.Response:
        # A registered person has no dialog to check: the same empty page as a dialog not at its review.
        answers = None if caller.viewer.registered else await self.answers.under_review(caller.viewer.telegram_id)
        i18n = self.i18n(caller)
        rows = [
            {"label": i18n.get(f"webapp-registration-{step.value}"), "value": _shown(i18n, step, value)}
            for step, value in answers or ()
        ]
        return self.render(request, "registration_check.html", rows=rows)


def _shown(i18n: I18nContext, step: Step, value: str) -> str:
    """As typed (the page is behind the session: the phone in full, unlike the chat), the date in the
    viewer's language; plain text, the template escapes it."""
    if not value:
        return i18n.get("webapp-registration-none")
    if step is Step.BIRTH_DATE:
        return day(i18n, date.fromisoformat(value))
    return value
