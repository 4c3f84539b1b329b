"""Requests to the insurer: created by the user, listed with their status and the staff's reply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from core.actors import NotYours, Viewer
from core.attachments import FileKind, KeptFile
from core.audit import AuditAction
from core.cabinet.paging import Page, page_of
from core.cabinet.requests import REPEAT_WINDOW, RequestKind, RequestStatus, can_close
from core.calendar import Clock
from core.db.models import DisputeMessage, RequestMessage, UserRequest
from core.db.uow import UnitOfWorkFactory
from core.desk.queue import ItemKind
from core.services.policies import linked_policy
from core.services.roles import RoleDirectory
from core.services.staff_told import tell_staff

REQUESTS_PER_PAGE = 8


@dataclass(frozen=True)
class RequestRecord:
    number: int
    kind: RequestKind
    status: RequestStatus
    text: str
    preferred_time: str | None
    created_at: datetime  # in the operator's time zone
    reply: str | None
    replied_at: datetime | None

    @property
    def can_close(self) -> bool:
        return can_close(self.status)


@dataclass(frozen=True)
class RequestMessageRecord:
    """A message of a request's (or a dispute's) conversation after its first text: support's answer or
    message, or the user's reply."""

    from_staff: bool
    text: str  # free text (may be health data): escape before showing, never log
    at: datetime  # in the operator's time zone
    message_id: int = 0
    file: KeptFile | None = None  # support's photo or document sent with it

    @classmethod
    def of(cls, message: RequestMessage | DisputeMessage, at: datetime) -> RequestMessageRecord:
        file = None
        if message.file_id is not None and message.file_kind is not None:
            file = KeptFile(FileKind(message.file_kind), message.file_id, message.file_name)
        return cls(message.from_staff, message.text, at, message.id, file)


@dataclass(frozen=True)
class RequestPage:
    page: Page
    total: int
    requests: list[RequestRecord]


class RequestService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, roles: RoleDirectory) -> None:
        self.uow = uow
        self.clock = clock
        self.roles = roles  # the staff told of a new request

    async def create(
        self,
        viewer: Viewer,
        person_id: int,
        kind: RequestKind,
        *,
        text: str = "",
        preferred_time: str | None = None,
        language: str | None = None,
    ) -> RequestRecord:
        """`text`/`preferred_time` are already checked (core.cabinet.requests); `person_id` is the policy it
        concerns: one the caller may see, else `NotYours`. `language`: the caller's now (support answers in
        it). Staff are told (core.services.staff_told). The same request still unanswered, sent within
        REPEAT_WINDOW (a double submit or press), is answered with that one: one request, staff told once."""
        now = self.clock.now()
        async with self.uow() as uow:
            seen = viewer.person_id and await linked_policy(uow, viewer.person_id, person_id, self.clock.today())
            if not seen:
                raise NotYours("person", person_id)
            await uow.accounts.lock(viewer.account_id)
            for earlier in await uow.requests.open_since(viewer.account_id, now - REPEAT_WINDOW):
                if (earlier.person_id, earlier.kind, earlier.text, earlier.preferred_time) == (
                    person_id,
                    kind,
                    text,
                    preferred_time,
                ):
                    return _record(earlier, self.clock.zone)
            request = UserRequest(
                account_id=viewer.account_id,
                person_id=person_id,
                kind=kind,
                status=RequestStatus.NEW,
                text=text,
                preferred_time=preferred_time,
                created_at=now,
                updated_at=now,
                language=language,
            )
            await uow.requests.insert(request)
            await tell_staff(uow, self.roles, ItemKind.REQUEST, request.id, now)
            uow.audit.record(
                now,
                AuditAction.REQUEST_CREATED,
                actor=viewer.telegram_id,
                object_type="request",
                object_id=request.id,
                kind=kind,
            )
            await uow.commit()
            return _record(request, self.clock.zone)

    async def page(self, viewer: Viewer, page: int) -> RequestPage:
        """The account's requests, newest first."""
        async with self.uow() as uow:
            total = await uow.requests.count(viewer.account_id)
            shown = page_of(total, page, REQUESTS_PER_PAGE)
            rows = await uow.requests.page(viewer.account_id, shown.start, REQUESTS_PER_PAGE)
            return RequestPage(shown, total, [_record(r, self.clock.zone) for r in rows])

    async def details(self, viewer: Viewer, number: int) -> RequestRecord | None:
        """None when there is no such request of this account."""
        async with self.uow() as uow:
            request = await uow.requests.of_account(viewer.account_id, number)
            return None if request is None else _record(request, self.clock.zone)

    async def conversation(self, viewer: Viewer, number: int) -> list[RequestMessageRecord] | None:
        """The request's answers and replies, oldest first (the latest ones, as the desk shows them); None
        when there is no such request of this account."""
        async with self.uow() as uow:
            request = await uow.requests.of_account(viewer.account_id, number)
            if request is None:
                return None
            messages = await uow.queue.messages(request.id)
        return [RequestMessageRecord.of(m, local_moment(m.at, self.clock.zone)) for m in messages]

    async def file(self, viewer: Viewer, number: int, message_id: int) -> KeptFile | None:
        """The photo or document support sent with an answer to this account's request; None otherwise."""
        async with self.uow() as uow:
            request = await uow.requests.of_account(viewer.account_id, number)
            message = None if request is None else await uow.queue.message(request.id, message_id)
        if message is None or not message.from_staff or message.file_id is None:
            return None
        return RequestMessageRecord.of(message, message.at).file

    async def close(self, viewer: Viewer, number: int) -> RequestRecord | None:
        async with self.uow() as uow:
            request = await uow.requests.of_account(viewer.account_id, number)
            if request is None:
                return None
            if can_close(RequestStatus(request.status)):
                now = self.clock.now()
                request.status, request.updated_at = RequestStatus.CLOSED, now
                uow.audit.record(
                    now,
                    AuditAction.REQUEST_CLOSED,
                    actor=viewer.telegram_id,
                    object_type="request",
                    object_id=request.id,
                )
                await uow.commit()
            return _record(request, self.clock.zone)


def _record(request: UserRequest, zone: ZoneInfo) -> RequestRecord:
    return RequestRecord(
        number=request.id,
        kind=RequestKind(request.kind),
        status=RequestStatus(request.status),
        text=request.text,
        preferred_time=request.preferred_time,
        created_at=local_moment(request.created_at, zone),
        reply=request.reply,
        replied_at=local_moment(request.replied_at, zone) if request.replied_at else None,
    )


def local_moment(moment: datetime, zone: ZoneInfo) -> datetime:
    # SQLite hands back naive datetimes: they were stored in UTC.
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone)
