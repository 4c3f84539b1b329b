"""An item's answer, its closing and a dispute's verdict, given from the item's page: forms (their CSRF
tokens checked by the middleware) calling the same use cases as the chat's buttons, which re-read the
caller's role (403 when refused) and refuse an item that is not open any more, so a form posted twice
has one effect and the second shows why not. The person is told by the use case's notice, as from the chat."""

from __future__ import annotations

from aiohttp import web

from bot.views.desk_queue import outcome_note
from bot.web.webapp.desk import DeskPages, item_of, staff_only
from bot.web.webapp.kit import caller_of, input_problem
from core.desk.queue import ItemAction, ItemKind
from core.errors import InputError
from core.services.queue import ItemResult


class DeskAnswerPages(DeskPages):
    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_post("/desk/queue/{kind}/{item_id}/answer", self.answer, name="desk_answer")
        router.add_post("/desk/queue/{kind}/{item_id}/close", self.close, name="desk_close")
        router.add_post("/desk/queue/{kind}/{item_id}/verdict", self.verdict, name="desk_verdict")

    async def answer(self, request: web.Request) -> web.Response:
        """A request's or a question's written answer (the item closes)."""
        kind, _ = item_of(request)
        if kind not in (ItemKind.REQUEST, ItemKind.QUESTION):
            raise web.HTTPNotFound()
        return await self._written(request, ItemAction.ANSWER)

    async def verdict(self, request: web.Request) -> web.Response:
        """A dispute accepted or rejected, with the comment typed in the form."""
        kind, _ = item_of(request)
        chosen = (await request.post()).get("verdict")
        if kind is not ItemKind.DISPUTE or chosen not in (ItemAction.ACCEPT.value, ItemAction.REJECT.value):
            raise web.HTTPNotFound()
        return await self._written(request, ItemAction(chosen))

    async def close(self, request: web.Request) -> web.Response:
        """A request or a question closed without an answer (a callback made by phone)."""
        caller = caller_of(request)
        kind, item_id = item_of(request)
        with staff_only():
            result = await self.queue.act(caller.viewer.telegram_id, kind, item_id, ItemAction.CLOSE)
        return await self._outcome(request, ItemAction.CLOSE, result)

    async def _written(self, request: web.Request, action: ItemAction) -> web.Response:
        caller = caller_of(request)
        kind, item_id = item_of(request)
        text = str((await request.post()).get("text", ""))
        accepted = action is ItemAction.ACCEPT if kind is ItemKind.DISPUTE else None
        with staff_only():
            try:
                result = await self.queue.answer(caller.viewer.telegram_id, kind, item_id, text, accepted=accepted)
            except InputError as error:  # empty or too long: the page again, with the rule it broke
                item = await self.queue.item(caller.viewer.telegram_id, kind, item_id)
                if item is None:
                    raise web.HTTPNotFound() from None
                return await self.item_response(request, caller, item, error=input_problem(self.i18n(caller), error))
        return await self._outcome(request, action, result)

    async def _outcome(self, request: web.Request, action: ItemAction, result: ItemResult) -> web.Response:
        """The item's page as it is now, with what the action did (or why not) over it."""
        if result.item is None:
            raise web.HTTPNotFound()
        caller = caller_of(request)
        return await self.item_response(
            request, caller, result.item, note=outcome_note(self.i18n(caller), action, result)
        )
