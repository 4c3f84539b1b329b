"""What the desk's queue reads and writes (`QueueRepository`): the open items of each kind with the person
they concern, who took each, staff who muted new-item notices, and a request's conversation. Lists are
bounded; a take is a conditional update, so two racing takes give one taker."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Row, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import (
    Account,
    BillLine,
    DeskClaim,
    DeskMute,
    DeskTopic,
    Dispute,
    InsuredPerson,
    Invoice,
    Payment,
    Refund,
    RequestMessage,
    UserRequest,
)

QUEUE_MAX = 500  # open items of one kind read at most (oldest first)
CONVERSATION_MAX = 20  # the newest messages of a request shown


def _person():
    return (
        InsuredPerson.id.label("person_id"),
        InsuredPerson.last_name,
        InsuredPerson.first_name,
        InsuredPerson.patronymic,
    )


class QueueRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- the open items, oldest first

    def _requests(self):
        person = func.coalesce(UserRequest.person_id, Account.insured_person_id)
        return (
            select(UserRequest, Account.telegram_id, Account.insured_person_id.label("registered_as"), *_person())
            .join(Account, Account.id == UserRequest.account_id)
            .outerjoin(InsuredPerson, InsuredPerson.id == person)
        )

    async def open_requests(self, *, questions: bool | None = None) -> list[Row]:
        """(UserRequest, the asker's Telegram id, their own person id or None, the person it concerns).
        `questions`: only questions to support (True), only the other kinds (False), both (None)."""
        query = self._requests().where(UserRequest.status == "new")
        if questions is True:
            query = query.where(UserRequest.kind == "support")
        elif questions is False:
            query = query.where(UserRequest.kind != "support")
        query = query.order_by(UserRequest.updated_at, UserRequest.id).limit(QUEUE_MAX)
        return list(await self.session.execute(query))

    async def request(self, request_id: int) -> Row | None:
        return (await self.session.execute(self._requests().where(UserRequest.id == request_id))).first()

    def _disputes(self):
        return (
            select(
                Dispute,
                Invoice.number.label("invoice_number"),
                BillLine.service_date,
                BillLine.copay_kopecks,
                *_person(),
            )
            .join(Invoice, Invoice.id == Dispute.invoice_id)
            .join(BillLine, BillLine.id == Dispute.bill_line_id)
            .join(InsuredPerson, InsuredPerson.id == Invoice.person_id)
        )

    async def open_disputes(self) -> list[Row]:
        query = self._disputes().where(Dispute.status == "open").order_by(Dispute.opened_at, Dispute.id)
        return list(await self.session.execute(query.limit(QUEUE_MAX)))

    async def dispute(self, dispute_id: int) -> Row | None:
        return (await self.session.execute(self._disputes().where(Dispute.id == dispute_id))).first()

    def _anomalies(self, *, unchecked: bool = False):
        checked = (
            select(DeskClaim.item_id)
            .where(DeskClaim.kind == "anomaly", DeskClaim.item_id == Payment.id, DeskClaim.closed_at.is_not(None))
            .exists()
        )
        query = (
            select(Payment, checked.label("checked"), *_person())
            .join(InsuredPerson, InsuredPerson.id == Payment.payer_person_id)
            .where(Payment.anomaly.is_not(None))
        )
        return query.where(~checked) if unchecked else query

    async def anomalies(self) -> list[Row]:
        """Payments set aside for staff and not yet checked."""
        query = self._anomalies(unchecked=True).order_by(Payment.updated_at, Payment.id)
        return list(await self.session.execute(query.limit(QUEUE_MAX)))

    async def anomaly(self, payment_id: int) -> Row | None:
        return (await self.session.execute(self._anomalies().where(Payment.id == payment_id))).first()

    def _refund_anomalies(self, *, unchecked: bool = False):
        checked = (
            select(DeskClaim.item_id)
            .where(DeskClaim.kind == "refund", DeskClaim.item_id == Refund.id, DeskClaim.closed_at.is_not(None))
            .exists()
        )
        query = (
            select(Refund, Payment, checked.label("checked"), *_person())
            .join(Payment, Payment.id == Refund.payment_id)
            .join(InsuredPerson, InsuredPerson.id == Payment.payer_person_id)
            .where(Refund.anomaly.is_not(None))
        )
        return query.where(~checked) if unchecked else query

    async def refund_anomalies(self) -> list[Row]:
        """Refunds set aside for staff and not yet checked, with the payment they give back from."""
        query = self._refund_anomalies(unchecked=True).order_by(Refund.updated_at, Refund.id)
        return list(await self.session.execute(query.limit(QUEUE_MAX)))

    async def refund_anomaly(self, refund_id: int) -> Row | None:
        return (await self.session.execute(self._refund_anomalies().where(Refund.id == refund_id))).first()

    # --- who took what

    async def claims(self, items: Iterable[tuple[str, int]]) -> dict[tuple[str, int], DeskClaim]:
        items = list(items)
        if not items:
            return {}
        kinds = {kind for kind, _ in items}
        ids = {item_id for _, item_id in items}
        query = select(DeskClaim).where(DeskClaim.kind.in_(kinds), DeskClaim.item_id.in_(ids))
        query = query.execution_options(populate_existing=True)  # re-read after a conditional update
        wanted = set(items)
        return {(c.kind, c.item_id): c for c in await self.session.scalars(query) if (c.kind, c.item_id) in wanted}

    async def _ensure(self, kind: str, item_id: int) -> None:
        insert = pg_insert if self.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        statement = insert(DeskClaim).values(kind=kind, item_id=item_id).on_conflict_do_nothing()
        await self.session.execute(statement)

    async def take(self, kind: str, item_id: int, me: int, now: datetime, *, from_: int | None = None) -> bool:
        """Taken by `me` if nobody holds it (`from_` None), or if `from_` still does (a take-over of what
        the caller saw); False when someone got there first."""
        await self._ensure(kind, item_id)
        holder = DeskClaim.taken_by.is_(None) if from_ is None else DeskClaim.taken_by == from_
        statement = (
            update(DeskClaim)
            .where(DeskClaim.kind == kind, DeskClaim.item_id == item_id, holder)
            .values(taken_by=me, taken_at=now)
        )
        result = await self.session.execute(statement.execution_options(synchronize_session=False))
        return result.rowcount == 1

    async def release(self, kind: str, item_id: int, me: int) -> bool:
        statement = (
            update(DeskClaim)
            .where(DeskClaim.kind == kind, DeskClaim.item_id == item_id, DeskClaim.taken_by == me)
            .values(taken_by=None, taken_at=None)
        )
        result = await self.session.execute(statement.execution_options(synchronize_session=False))
        return result.rowcount == 1

    async def close(self, kind: str, item_id: int, now: datetime, comment: str | None = None) -> None:
        """Done with (an anomaly checked, settled or dismissed with `comment`), and nobody holds it any more."""
        await self._ensure(kind, item_id)
        statement = (
            update(DeskClaim)
            .where(DeskClaim.kind == kind, DeskClaim.item_id == item_id)
            .values(taken_by=None, taken_at=None, closed_at=now, comment=comment)
        )
        await self.session.execute(statement.execution_options(synchronize_session=False))

    async def free(self, kind: str, item_id: int) -> None:
        """Nobody holds it (answered: a reopened item waits for whoever takes it next)."""
        statement = (
            update(DeskClaim)
            .where(DeskClaim.kind == kind, DeskClaim.item_id == item_id)
            .values(taken_by=None, taken_at=None)
        )
        await self.session.execute(statement.execution_options(synchronize_session=False))

    # --- muted staff

    async def muted(self, telegram_ids: Iterable[int]) -> set[int]:
        ids = list(telegram_ids)
        if not ids:
            return set()
        return set(await self.session.scalars(select(DeskMute.telegram_id).where(DeskMute.telegram_id.in_(ids))))

    async def set_muted(self, telegram_id: int, muted: bool, now: datetime) -> None:
        await self.session.execute(delete(DeskMute).where(DeskMute.telegram_id == telegram_id))
        if muted:
            self.session.add(DeskMute(telegram_id=telegram_id, muted_at=now))
            await self.session.flush()

    # --- topics in the staff group

    async def topic(self, kind: str, item_id: int) -> DeskTopic | None:
        return await self.session.get(DeskTopic, (kind, item_id))

    async def topic_item(self, chat_id: int, thread_id: int) -> DeskTopic | None:
        query = select(DeskTopic).where(DeskTopic.chat_id == chat_id, DeskTopic.thread_id == thread_id)
        return await self.session.scalar(query)

    async def add_topic(self, kind: str, item_id: int, chat_id: int, thread_id: int, now: datetime) -> None:
        self.session.add(DeskTopic(kind=kind, item_id=item_id, chat_id=chat_id, thread_id=thread_id, opened_at=now))
        await self.session.flush()

    async def set_topic_message(self, kind: str, item_id: int, message_id: int) -> None:
        statement = (
            update(DeskTopic).where(DeskTopic.kind == kind, DeskTopic.item_id == item_id).values(message_id=message_id)
        )
        await self.session.execute(statement.execution_options(synchronize_session=False))

    # --- a request's conversation

    async def messages(self, request_id: int) -> list[RequestMessage]:
        query = (
            select(RequestMessage)
            .where(RequestMessage.request_id == request_id)
            .order_by(RequestMessage.at.desc(), RequestMessage.id.desc())
            .limit(CONVERSATION_MAX)
        )
        return list(reversed(list(await self.session.scalars(query))))

    async def with_messages(self, request_ids: Iterable[int]) -> set[int]:
        """Those of these requests that have a conversation (answered once and reopened by a reply)."""
        ids = list(request_ids)
        if not ids:
            return set()
        query = select(RequestMessage.request_id).where(RequestMessage.request_id.in_(ids)).distinct()
        return set(await self.session.scalars(query))

    async def message(self, request_id: int, message_id: int) -> RequestMessage | None:
        query = select(RequestMessage).where(RequestMessage.request_id == request_id, RequestMessage.id == message_id)
        return await self.session.scalar(query)

    async def last_message_id(self, request_id: int) -> int | None:
        return await self.session.scalar(
            select(func.max(RequestMessage.id)).where(RequestMessage.request_id == request_id)
        )

    async def add_message(self, message: RequestMessage) -> None:
        self.session.add(message)
        await self.session.flush()

    async def message_texts(self, ids: Iterable[int]) -> dict[int, str]:
        ids = list(set(ids))
        if not ids:
            return {}
        query = select(RequestMessage.id, RequestMessage.text).where(RequestMessage.id.in_(ids))
        return dict((await self.session.execute(query)).all())

    async def request_of_account(self, account_id: int, request_id: int) -> UserRequest | None:
        query = select(UserRequest).where(UserRequest.id == request_id, UserRequest.account_id == account_id)
        return await self.session.scalar(query.with_for_update())
