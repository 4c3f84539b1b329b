"""Questions to support: anyone may ask, registered or not (someone the bot refused and told to contact
support has no cabinet). Each question is a request of kind "support" in the staff desk's queue, on the
asker's account (made if there is none), about no policy; at most a few a day per Telegram user."""

from __future__ import annotations

from dataclasses import dataclass

from core.audit import AuditAction
from core.cabinet.requests import SUPPORT_QUESTIONS_PER_DAY, RequestKind, RequestStatus
from core.calendar import Clock
from core.db.models import RequestMessage, UserRequest
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.desk.queue import ItemKind
from core.limits import Counter, window
from core.notices import MessageCopied
from core.services.accounts import ensure_account
from core.services.roles import RoleDirectory
from core.services.staff_told import tell_staff
from core.services.viewers import Viewer


@dataclass(frozen=True)
class SupportAsked:
    number: int | None = None  # the request's number; None when refused
    too_many: bool = False  # the day's questions are used up


class SupportService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, roles: RoleDirectory) -> None:
        self.uow = uow
        self.clock = clock
        self.roles = roles  # the staff told of a new question, or of a reply

    async def may_ask(self, viewer: Viewer) -> bool:
        """Whether a question asked now would be taken (checked before the user types it)."""
        async with self.uow() as uow:
            return await self._asked_today(uow, viewer) < SUPPORT_QUESTIONS_PER_DAY

    async def ask(self, viewer: Viewer, text: str, language: str | None = None) -> SupportAsked:
        """`text` is already checked (core.cabinet.requests.request_text). Audited with the request's id;
        staff told. `language`: the asker's now (support answers in it)."""
        now = self.clock.now()
        async with self.uow() as uow:
            if await self._asked_today(uow, viewer) >= SUPPORT_QUESTIONS_PER_DAY:
                uow.audit.record(
                    now, AuditAction.SUPPORT_REFUSED, actor=viewer.telegram_id, reason="too_many_questions"
                )
                await uow.commit()
                return SupportAsked(too_many=True)
            account = await ensure_account(uow, viewer.telegram_id, self.clock)
            request = UserRequest(
                account_id=account.id,
                person_id=None,
                kind=RequestKind.SUPPORT,
                status=RequestStatus.NEW,
                text=text,
                created_at=now,
                updated_at=now,
                language=language,
            )
            await uow.requests.insert(request)
            await tell_staff(uow, self.roles, ItemKind.QUESTION, request.id, now)
            await uow.counters.bump(Counter.SUPPORT_QUESTIONS, str(viewer.telegram_id), window(self.clock.today()))
            uow.audit.record(
                now,
                AuditAction.SUPPORT_ASKED,
                actor=viewer.telegram_id,
                object_type="request",
                object_id=request.id,
                kind=RequestKind.SUPPORT,
                registered=int(viewer.registered),
            )
            await uow.commit()
            return SupportAsked(number=request.id)

    async def may_reply(self, viewer: Viewer, request_id: int) -> bool:
        """The caller's own request, answered by support and not closed: a reply is taken."""
        async with self.uow() as uow:
            request = await self._answered(uow, viewer, request_id)
        return request is not None

    async def reply(
        self, viewer: Viewer, request_id: int, text: str, message_id: int | None = None, after: int | None = None
    ) -> bool:
        """The user's reply to support's answer (`text` already checked): kept in the request's
        conversation, the request reopened (back in the queue, waiting from now) and staff told, its topic in
        the staff group too (`message_id`: the user's message in their chat, copied there; None when typed on
        the request's page, whose topic is told one came). `after`: the conversation's last message the page
        showed (0: none), so the same form posted again is refused. False when it is not the caller's
        answered request (someone else's, closed, or reopened already), or the conversation moved on."""
        now = self.clock.now()
        async with self.uow() as uow:
            request = await self._answered(uow, viewer, request_id)  # its row locked: of two posts, one is kept
            if request is None:
                return False
            if after is not None and (await uow.queue.last_message_id(request.id) or 0) != after:
                return False
            await uow.queue.add_message(
                RequestMessage(
                    request_id=request.id, from_staff=False, telegram_id=viewer.telegram_id, text=text, at=now
                )
            )
            request.status, request.updated_at = RequestStatus.NEW, now
            kind = ItemKind.QUESTION if request.kind == RequestKind.SUPPORT else ItemKind.REQUEST
            await tell_staff(uow, self.roles, kind, request.id, now, reopened=True)
            if self.roles.staff_chat_id is not None:
                copy = MessageCopied(
                    to=self.roles.staff_chat_id,
                    from_chat=viewer.telegram_id,
                    message_id=message_id,
                    item=kind,
                    item_id=request.id,
                )
                uow.outbox.add(copy, now)
            uow.audit.record(
                now, AuditAction.REQUEST_REPLIED, actor=viewer.telegram_id, object_type="request", object_id=request.id
            )
            await uow.commit()
        return True

    async def _answered(self, uow: UnitOfWork, viewer: Viewer, request_id: int) -> UserRequest | None:
        account = await uow.accounts.by_telegram_id(viewer.telegram_id)
        if account is None:
            return None
        request = await uow.queue.request_of_account(account.id, request_id)
        return request if request is not None and request.status == RequestStatus.ANSWERED else None

    async def _asked_today(self, uow: UnitOfWork, viewer: Viewer) -> int:
        return await uow.counters.get(Counter.SUPPORT_QUESTIONS, str(viewer.telegram_id), window(self.clock.today()))
