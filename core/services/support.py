"""Questions to support: anyone may ask, registered or not (someone the bot refused and told to contact
support has no cabinet). Each question is a request of kind "support" in the staff desk's queue, on the
asker's account (made if there is none), about no policy; at most a few a day per Telegram user."""

from __future__ import annotations

from dataclasses import dataclass

from core.audit import AuditAction
from core.cabinet.requests import SUPPORT_QUESTIONS_PER_DAY, RequestKind, RequestStatus
from core.calendar import Clock
from core.db.models import UserRequest
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.limits import Counter, window
from core.services.accounts import ensure_account
from core.services.viewers import Viewer


@dataclass(frozen=True)
class SupportAsked:
    number: int | None = None  # the request's number; None when refused
    too_many: bool = False  # the day's questions are used up


class SupportService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

    async def may_ask(self, viewer: Viewer) -> bool:
        """Whether a question asked now would be taken (checked before the user types it)."""
        async with self.uow() as uow:
            return await self._asked_today(uow, viewer) < SUPPORT_QUESTIONS_PER_DAY

    async def ask(self, viewer: Viewer, text: str) -> SupportAsked:
        """`text` is already checked (core.cabinet.requests.request_text). Audited with the request's id."""
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
            )
            await uow.requests.insert(request)
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

    async def _asked_today(self, uow: UnitOfWork, viewer: Viewer) -> int:
        return await uow.counters.get(Counter.SUPPORT_QUESTIONS, str(viewer.telegram_id), window(self.clock.today()))
