"""The desk's queue (/queue): requests, questions to support, open disputes and payment and refund
anomalies, oldest first; one item at a time, taken by one staff member; written answers that reach the user
through the outbox; disputes answered through `DisputeService.answer` (the billing rules apply there);
staff told of a new item unless they muted it. Every change of an item rewrites its topic's first message
in the staff group (`DeskTopicChanged`, in the change's transaction). Rules: `core.desk.queue`.

Every staff call re-reads the caller's role in its own transaction (`RoleDirectory.require`), raising
`core.actors.Forbidden` without the capability. Lists carry masked names only (`core.desk.masks`); the
user's words are returned as typed (escape them before showing) and never logged nor audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.actors import Capability, Role, can
from core.attachments import Attachment
from core.audit import AuditAction
from core.cabinet.requests import MAX_TEXT, RequestKind, RequestStatus, request_text
from core.calendar import Clock
from core.db.models import DeskClaim, RequestMessage
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.desk.masks import mask_name
from core.desk.queue import TOPIC_KINDS, ItemAction, ItemKind, allowed, item_actions, needs, visible_kinds
from core.notices import MessageCopied, SupportAnswered
from core.services.disputes import DisputeService
from core.services.roles import RoleDirectory
from core.services.staff_told import tell_staff, topic_changed

NOT_FOUND = "not_found"  # no such item, or not open any more
TAKEN = "taken"  # someone else holds it (or took it meanwhile)
NOT_HELD = "not_held"  # answering needs the item taken first

_TAKING = frozenset({ItemAction.TAKE, ItemAction.TAKE_OVER, ItemAction.RELEASE, ItemAction.CLOSE, ItemAction.CHECKED})


@dataclass(frozen=True)
class Taken:
    by: int  # the staff member's Telegram id
    at: datetime


@dataclass(frozen=True)
class QueueEntry:
    kind: ItemKind
    item_id: int
    subject: str  # a request's kind, a dispute's invoice number, an anomaly's reason
    since: datetime  # waiting since (a reopened request: since the user's reply)
    deadline: date | None  # a dispute's answer is due by then
    late: bool
    person: str | None  # masked: surname and initials; None for someone not registered
    registered: bool
    taken: Taken | None
    reopened: bool = False


@dataclass(frozen=True)
class QueuePage:
    entries: tuple[QueueEntry, ...]  # every open item of the chosen kind, oldest first (the view pages)
    kinds: tuple[ItemKind, ...]  # the kinds this member works on (the filter's buttons)
    chosen: ItemKind | None  # None: all of them
    muted: bool  # new-item notices off for this member
    now: datetime


@dataclass(frozen=True)
class ItemMessage:
    from_staff: bool
    text: str  # escape before showing
    at: datetime


@dataclass(frozen=True)
class DisputeFacts:
    invoice: str
    service_date: date
    copay: int  # kopecks: what accepting it credits
    opened_on: date


@dataclass(frozen=True)
class PaymentFacts:
    payment_id: int
    provider_id: str | None
    amount: int  # kopecks
    status: str
    anomaly: str
    invoices: tuple[str, ...]


@dataclass(frozen=True)
class RefundFacts:
    refund_id: int
    provider_id: str | None
    amount: int  # kopecks
    status: str
    anomaly: str


@dataclass(frozen=True)
class Topic:
    """An item's topic in the staff group: its thread, and its first message once posted."""

    chat_id: int
    thread_id: int
    message_id: int | None


@dataclass(frozen=True)
class QueueItem:
    entry: QueueEntry
    is_open: bool
    person_id: int | None  # whose record is a press away (masked in lists; the record in full, audited)
    text: str  # the user's words (a request's text, a dispute's reason): escape before showing
    preferred_time: str | None
    conversation: tuple[ItemMessage, ...]  # answers and replies after the first text
    dispute: DisputeFacts | None
    payment: PaymentFacts | None  # an anomaly's payment (a refund's: the payment it gives back from)
    refund: RefundFacts | None
    actions: tuple[ItemAction, ...]  # what this member may do now
    record: bool  # this member may open the person's record


@dataclass(frozen=True)
class ItemResult:
    """What an action did: `done`, or why not (`not_found`, `taken`, `not_held`, or a dispute's refusal),
    and the item as it is now (None when gone)."""

    done: bool
    item: QueueItem | None
    reason: str | None = None


class QueueService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, roles: RoleDirectory, disputes: DisputeService) -> None:
        self.uow = uow
        self.clock = clock
        self.roles = roles
        self.disputes = disputes

    # --- the queue

    async def page(self, staff_telegram_id: int, kind: ItemKind | None = None) -> QueuePage:
        async with self.uow() as uow:
            role = await self.roles.require(uow, staff_telegram_id, Capability.ANSWER_REQUESTS)
            kinds = visible_kinds(role)
            chosen = kind if kind in kinds else None
            entries: list[QueueEntry] = []
            for each in (chosen,) if chosen else kinds:
                entries += await self._entries(uow, each)
            claims = await uow.queue.claims((e.kind.value, e.item_id) for e in entries)
            entries = [_with_claim(e, claims.get((e.kind.value, e.item_id)), self.clock) for e in entries]
            entries.sort(key=lambda e: (e.since, e.kind.value, e.item_id))
            muted = staff_telegram_id in await uow.queue.muted([staff_telegram_id])
        return QueuePage(tuple(entries), kinds, chosen, muted, self.clock.now())

    async def _entries(self, uow: UnitOfWork, kind: ItemKind) -> list[QueueEntry]:
        today = self.clock.today()
        repo = uow.queue
        if kind in (ItemKind.REQUEST, ItemKind.QUESTION):
            rows = await repo.open_requests(questions=kind is ItemKind.QUESTION)
            reopened = await repo.with_messages(row.UserRequest.id for row in rows)
            return [_request_entry(row, row.UserRequest.id in reopened) for row in rows]
        if kind is ItemKind.DISPUTE:
            return [_dispute_entry(row, today) for row in await repo.open_disputes()]
        if kind is ItemKind.REFUND:
            return [_refund_entry(row) for row in await repo.refund_anomalies()]
        return [_anomaly_entry(row) for row in await repo.anomalies()]

    # --- one item

    async def item(self, staff_telegram_id: int, kind: ItemKind, item_id: int) -> QueueItem | None:
        """None when there is no such item (or the caller does not work on its kind)."""
        async with self.uow() as uow:
            role = await self.roles.require(uow, staff_telegram_id, Capability.ANSWER_REQUESTS)
            return await self._item(uow, role, staff_telegram_id, kind, item_id)

    async def _item(self, uow: UnitOfWork, role: Role, me: int, kind: ItemKind, item_id: int) -> QueueItem | None:
        if not can(role, needs(kind)):
            return None
        repo = uow.queue
        today = self.clock.today()
        claim = (await repo.claims([(kind.value, item_id)])).get((kind.value, item_id))
        dispute = payment = refund = None
        preferred = None
        conversation: tuple[ItemMessage, ...] = ()
        if kind in (ItemKind.REQUEST, ItemKind.QUESTION):
            row = await repo.request(item_id)
            if row is None or (row.UserRequest.kind == RequestKind.SUPPORT) != (kind is ItemKind.QUESTION):
                return None
            request = row.UserRequest
            messages = await repo.messages(item_id)
            conversation = tuple(ItemMessage(m.from_staff, m.text, self.clock.local(m.at)) for m in messages)
            entry = _request_entry(row, bool(messages))
            is_open, text, preferred = request.status == RequestStatus.NEW, request.text, request.preferred_time
            person_id = row.person_id
        elif kind is ItemKind.DISPUTE:
            row = await repo.dispute(item_id)
            if row is None:
                return None
            entry = _dispute_entry(row, today)
            is_open, text, person_id = row.Dispute.status == "open", row.Dispute.reason, row.person_id
            dispute = DisputeFacts(row.invoice_number, row.service_date, row.copay_kopecks, row.Dispute.opened_on)
        else:
            row = await (repo.refund_anomaly(item_id) if kind is ItemKind.REFUND else repo.anomaly(item_id))
            if row is None:
                return None
            entry = _refund_entry(row) if kind is ItemKind.REFUND else _anomaly_entry(row)
            p = row.Payment
            is_open, text, person_id = not row.checked, "", row.person_id
            numbers = tuple(item.number for item in await uow.payments.items([p.id]))
            payment = PaymentFacts(p.id, p.provider_id, p.amount_kopecks, p.status, p.anomaly or "", numbers)
            if kind is ItemKind.REFUND:
                r = row.Refund
                refund = RefundFacts(r.id, r.provider_id, r.amount_kopecks, r.status, r.anomaly)
        entry = _with_claim(entry, claim if is_open else None, self.clock)
        taker = entry.taken.by if entry.taken else None
        return QueueItem(
            entry=entry,
            is_open=is_open,
            person_id=person_id,
            text=text,
            preferred_time=preferred,
            conversation=conversation,
            dispute=dispute,
            payment=payment,
            refund=refund,
            actions=item_actions(role, kind, taker, me, is_open),
            record=person_id is not None and can(role, Capability.VIEW_RECORD),
        )

    # --- taking

    async def act(
        self, staff_telegram_id: int, kind: ItemKind, item_id: int, action: ItemAction, seen_taker: int | None = None
    ) -> ItemResult:
        """Take, release, take over (from `seen_taker`, the one the caller saw), close a request or a
        question without an answer, or set an anomaly aside. Refused when the item changed meanwhile
        (`taken`: someone else got there first)."""
        if action not in _TAKING:
            raise ValueError(f"not a taking action: {action}")
        now = self.clock.now()
        async with self.uow() as uow:
            role = await self.roles.require(uow, staff_telegram_id, Capability.ANSWER_REQUESTS)
            me = staff_telegram_id
            item = await self._item(uow, role, me, kind, item_id)
            if item is None or not item.is_open:
                return ItemResult(False, item, NOT_FOUND)
            taker = item.entry.taken.by if item.entry.taken else None
            if not allowed(role, kind, taker, me, item.is_open, action) or (
                action is ItemAction.TAKE_OVER and taker != seen_taker
            ):
                return ItemResult(False, item, TAKEN)
            repo = uow.queue
            about = {"object_type": kind.value, "object_id": item_id}
            if action is ItemAction.TAKE:
                done = await repo.take(kind.value, item_id, me, now)
                audit = AuditAction.DESK_TAKEN, {}
            elif action is ItemAction.TAKE_OVER:
                done = await repo.take(kind.value, item_id, me, now, from_=taker)
                audit = AuditAction.DESK_TAKEN_OVER, {"from": taker}
            elif action is ItemAction.RELEASE:
                done = await repo.release(kind.value, item_id, me)
                audit = AuditAction.DESK_RELEASED, {}
            elif action is ItemAction.CLOSE:
                done, audit = await self._close_request(uow, kind, item_id, now), (AuditAction.DESK_CLOSED, {})
            else:
                await repo.close(kind.value, item_id, now)
                done, audit = True, (AuditAction.ANOMALY_CHECKED, {})
            if not done:
                await uow.rollback()
                return ItemResult(False, await self._item(uow, role, me, kind, item_id), TAKEN)
            uow.audit.record(now, audit[0], actor=me, **about, **audit[1])
            topic_changed(uow, self.roles, kind, item_id, now)
            await uow.commit()
            return ItemResult(True, await self._item(uow, role, me, kind, item_id))

    async def _close_request(self, uow: UnitOfWork, kind: ItemKind, request_id: int, now: datetime) -> bool:
        found = await uow.queue.request(request_id)
        request = (
            None if found is None else await uow.queue.request_of_account(found.UserRequest.account_id, request_id)
        )
        if request is None or request.status != RequestStatus.NEW:
            return False
        request.status, request.updated_at = RequestStatus.CLOSED, now
        await uow.queue.free(kind.value, request_id)
        return True

    async def hold(self, staff_telegram_id: int, kind: ItemKind, item_id: int) -> ItemResult:
        """The caller holds the open item, taking it when nobody does (audited): before a verdict or an
        answer given from its topic in the staff group, where there is no separate Take step. `taken` when
        someone else holds it; Forbidden without the capability."""
        item = await self.item(staff_telegram_id, kind, item_id)
        if item is None or not item.is_open:
            return ItemResult(False, item, NOT_FOUND)
        if item.entry.taken is None:
            return await self.act(staff_telegram_id, kind, item_id, ItemAction.TAKE)
        mine = item.entry.taken.by == staff_telegram_id
        return ItemResult(mine, item, None if mine else TAKEN)

    async def holds(self, staff_telegram_id: int, kind: ItemKind, item_id: int) -> bool:
        """The caller holds this open item (and may answer it): checked before asking for the answer's text."""
        item = await self.item(staff_telegram_id, kind, item_id)
        return item is not None and item.is_open and bool(item.entry.taken) and item.entry.taken.by == staff_telegram_id

    # --- answers

    async def answer(
        self,
        staff_telegram_id: int,
        kind: ItemKind,
        item_id: int,
        text: str,
        *,
        accepted: bool | None = None,
        attachment: Attachment | None = None,
    ) -> ItemResult:
        """A written answer to a request or a question (to the user through the outbox, marked as from
        support, in their language; the item closes), or a dispute accepted / rejected with this comment
        (`accepted`; through `DisputeService.answer`, the billing rules and the user's notice there).
        `attachment`: a staff member's photo or document, kept with the answer (the person's page serves it)
        and copied to the user after it.
        Only by the member holding the item. `text`: InputError when empty or too long."""
        text = request_text(text, "answer", MAX_TEXT)
        if kind is ItemKind.DISPUTE:
            return await self._answer_dispute(staff_telegram_id, item_id, text, bool(accepted))
        if kind not in (ItemKind.REQUEST, ItemKind.QUESTION):
            return ItemResult(False, None, NOT_FOUND)
        now = self.clock.now()
        async with self.uow() as uow:
            role = await self.roles.require(uow, staff_telegram_id, Capability.ANSWER_REQUESTS)
            me = staff_telegram_id
            found = await uow.queue.request(item_id)
            request = (
                None if found is None else await uow.queue.request_of_account(found.UserRequest.account_id, item_id)
            )
            item = await self._item(uow, role, me, kind, item_id)
            if request is None or item is None or request.status != RequestStatus.NEW:
                return ItemResult(False, item, NOT_FOUND)
            if ItemAction.ANSWER not in item.actions:
                return ItemResult(False, item, NOT_HELD if item.entry.taken is None else TAKEN)
            message = RequestMessage(request_id=item_id, from_staff=True, telegram_id=me, text=text, at=now)
            if attachment is not None:
                message.file_kind, message.file_id = attachment.kind.value, attachment.file_id
                message.file_name = attachment.name
            await uow.queue.add_message(message)
            request.status, request.updated_at = RequestStatus.ANSWERED, now
            request.reply, request.replied_at, request.replied_by_telegram_id = text, now, me
            await uow.queue.free(kind.value, item_id)
            notice = SupportAnswered(
                to=found.telegram_id,
                request=item_id,
                request_kind=RequestKind(request.kind),
                message_id=message.id,
                language=request.language,
            )
            uow.outbox.add(notice, now)
            if attachment is not None:
                copy = MessageCopied(
                    to=found.telegram_id,
                    from_chat=attachment.chat_id,
                    message_id=attachment.message_id,
                    about=kind,
                    about_id=item_id,
                )
                uow.outbox.add(copy, now)
            uow.audit.record(
                now, AuditAction.REQUEST_ANSWERED, actor=me, object_type="request", object_id=item_id, kind=request.kind
            )
            topic_changed(uow, self.roles, kind, item_id, now)
            await uow.commit()
            return ItemResult(True, await self._item(uow, role, me, kind, item_id))

    async def _answer_dispute(self, staff_telegram_id: int, dispute_id: int, text: str, accepted: bool) -> ItemResult:
        action = ItemAction.ACCEPT if accepted else ItemAction.REJECT
        item = await self.item(staff_telegram_id, ItemKind.DISPUTE, dispute_id)
        if item is None or not item.is_open:
            return ItemResult(False, item, NOT_FOUND)
        if action not in item.actions:
            return ItemResult(False, item, NOT_HELD if item.entry.taken is None else TAKEN)
        result = await self.disputes.answer(staff_telegram_id, dispute_id, accepted, text)
        if result.refusal is not None:
            return ItemResult(False, await self.item(staff_telegram_id, ItemKind.DISPUTE, dispute_id), result.refusal)
        async with self.uow() as uow:
            await uow.queue.free(ItemKind.DISPUTE.value, dispute_id)
            topic_changed(uow, self.roles, ItemKind.DISPUTE, dispute_id, self.clock.now())
            await uow.commit()
        return ItemResult(True, await self.item(staff_telegram_id, ItemKind.DISPUTE, dispute_id))

    # --- topics in the staff group

    async def topic_item(self, kind: ItemKind, item_id: int) -> QueueItem | None:
        """The item as its topic in the staff group shows it (to no one member: the actions are a member's
        who holds nothing); None when gone. Read by the sender, not by a caller with a role."""
        async with self.uow() as uow:
            return await self._item(uow, Role.ADMIN, 0, kind, item_id)

    async def topic(self, kind: ItemKind, item_id: int) -> Topic | None:
        """The item's topic in the staff group, once opened."""
        async with self.uow() as uow:
            row = await uow.queue.topic(kind.value, item_id)
        return None if row is None else Topic(row.chat_id, row.thread_id, row.message_id)

    async def topic_reply(
        self,
        staff_telegram_id: int,
        chat_id: int,
        thread_id: int,
        text: str,
        message_id: int,
        attachment: Attachment | None = None,
    ) -> ItemResult:
        """A staff member's reply in an item's topic in the staff group (`message_id` there), the item taken
        first when nobody holds it (audited): a request's or a question's answer (a photo or a document
        kept with it and copied to the user after it, `attachment`); to a dispute's user, a message from
        support kept in the dispute's conversation and copied as it is, the dispute still open (its verdict is given with the topic's buttons). Forbidden for anyone
        without the capability (re-read in the transaction); `not_found` for a topic that is no item's."""
        async with self.uow() as uow:
            await self.roles.require(uow, staff_telegram_id, Capability.ANSWER_REQUESTS)
            topic = await uow.queue.topic_item(chat_id, thread_id)
        if topic is None or topic.kind not in {kind.value for kind in TOPIC_KINDS}:
            return ItemResult(False, None, NOT_FOUND)
        kind = ItemKind(topic.kind)
        held = await self.hold(staff_telegram_id, kind, topic.item_id)
        if not held.done:
            return held
        if kind is ItemKind.DISPUTE:
            written = await self.disputes.write(staff_telegram_id, topic.item_id, chat_id, message_id, text, attachment)
            return ItemResult(
                written, await self.item(staff_telegram_id, kind, topic.item_id), None if written else NOT_FOUND
            )
        return await self.answer(staff_telegram_id, kind, topic.item_id, text, attachment=attachment)

    async def topic_of(self, chat_id: int, thread_id: int) -> tuple[ItemKind, int] | None:
        """The item whose topic this is, if any."""
        async with self.uow() as uow:
            topic = await uow.queue.topic_item(chat_id, thread_id)
        return None if topic is None else (ItemKind(topic.kind), topic.item_id)

    async def save_topic(self, kind: ItemKind, item_id: int, chat_id: int, thread_id: int) -> None:
        async with self.uow() as uow:
            await uow.queue.add_topic(kind.value, item_id, chat_id, thread_id, self.clock.now())
            await uow.commit()

    async def save_topic_message(self, kind: ItemKind, item_id: int, message_id: int) -> None:
        async with self.uow() as uow:
            await uow.queue.set_topic_message(kind.value, item_id, message_id)
            await uow.commit()

    # --- new-item notices

    async def toggle_mute(self, staff_telegram_id: int) -> bool:
        """New-item notices off (True) or on again for this member; audited."""
        now = self.clock.now()
        async with self.uow() as uow:
            await self.roles.require(uow, staff_telegram_id, Capability.ANSWER_REQUESTS)
            muted = staff_telegram_id not in await uow.queue.muted([staff_telegram_id])
            await uow.queue.set_muted(staff_telegram_id, muted, now)
            uow.audit.record(now, AuditAction.DESK_MUTED, actor=staff_telegram_id, reason="on" if muted else "off")
            await uow.commit()
        return muted


def _name(row) -> str | None:
    if row.person_id is None:
        return None
    return mask_name(row.last_name, row.first_name, row.patronymic or "")


def _request_entry(row, reopened: bool) -> QueueEntry:
    request = row.UserRequest
    return QueueEntry(
        kind=ItemKind.QUESTION if request.kind == RequestKind.SUPPORT else ItemKind.REQUEST,
        item_id=request.id,
        subject=request.kind,
        since=request.updated_at if reopened else request.created_at,
        deadline=None,
        late=False,
        person=_name(row),
        registered=row.registered_as is not None,
        taken=None,
        reopened=reopened,
    )


def _dispute_entry(row, today: date) -> QueueEntry:
    dispute = row.Dispute
    return QueueEntry(
        kind=ItemKind.DISPUTE,
        item_id=dispute.id,
        subject=row.invoice_number,
        since=dispute.opened_at,
        deadline=dispute.deadline,
        late=dispute.status == "open" and today > dispute.deadline,
        person=_name(row),
        registered=True,
        taken=None,
    )


def _anomaly_entry(row) -> QueueEntry:
    return _money_anomaly(ItemKind.ANOMALY, row.Payment, row)


def _refund_entry(row) -> QueueEntry:
    return _money_anomaly(ItemKind.REFUND, row.Refund, row)


def _money_anomaly(kind: ItemKind, record, row) -> QueueEntry:
    """A payment or a refund flagged by the checks: no deadline, listed since it was last changed."""
    return QueueEntry(
        kind=kind,
        item_id=record.id,
        subject=record.anomaly or "",
        since=record.updated_at,
        deadline=None,
        late=False,
        person=_name(row),
        registered=True,
        taken=None,
    )


def _with_claim(entry: QueueEntry, claim: DeskClaim | None, clock: Clock) -> QueueEntry:
    """The entry with who holds it, its moments as the operator's clock shows them."""
    taken = None
    if claim is not None and claim.taken_by is not None and claim.taken_at is not None:
        taken = Taken(claim.taken_by, clock.local(claim.taken_at))
    return QueueEntry(**{**entry.__dict__, "since": clock.local(entry.since), "taken": taken})


__all__ = [
    "NOT_FOUND",
    "NOT_HELD",
    "TAKEN",
    "ItemResult",
    "QueueEntry",
    "QueueItem",
    "QueuePage",
    "QueueService",
    "Topic",
    "tell_staff",
]
