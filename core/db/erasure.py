"""What erasing a person changes (`ErasureRepository`), table by table as `core.erasure.TABLES` says; the
use case is `core.services.erasure.erase`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.payments import PaymentStatus, RefundStatus
from core.db.models import (
    Consent,
    Dispute,
    DisputeMessage,
    FranchiseActivation,
    OutboxMessage,
    Payment,
    PaymentMethod,
    Refund,
    UserRequest,
)


class ErasureRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _run(self, statement) -> int:
        result = await self.session.execute(statement.execution_options(synchronize_session=False))
        return result.rowcount

    async def withdraw_consents(self, account_id: int, now: datetime) -> int:
        return await self._run(
            update(Consent)
            .where(Consent.account_id == account_id, Consent.withdrawn_at.is_(None))
            .values(withdrawn_at=now)
        )

    async def drop_requests(self, account_id: int) -> int:
        """Their requests and questions (the conversations go with them: ON DELETE CASCADE)."""
        return await self._run(delete(UserRequest).where(UserRequest.account_id == account_id))

    async def drop_cards(self, payer_person_id: int) -> int:
        return await self._run(delete(PaymentMethod).where(PaymentMethod.payer_person_id == payer_person_id))

    async def unsent_broadcast_rows(self, telegram_id: int) -> dict[int, int]:
        """broadcast id → its rows to this chat not sent yet (they settle as failed when dropped)."""
        query = (
            select(OutboxMessage.broadcast_id, func.count())
            .where(
                OutboxMessage.telegram_id == telegram_id,
                OutboxMessage.broadcast_id.is_not(None),
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.failed_at.is_(None),
            )
            .group_by(OutboxMessage.broadcast_id)
        )
        return dict((await self.session.execute(query)).all())

    async def drop_notices(self, telegram_id: int) -> int:
        return await self._run(delete(OutboxMessage).where(OutboxMessage.telegram_id == telegram_id))

    async def anonymise_payments(self, telegram_id: int, payer_person_id: int | None) -> int:
        """Who pressed Pay goes; so does what a settled payment or refund asked (the receipt's contact). A
        pending one keeps its request until it settles, since a retry must send it unchanged with its key
        (`anonymise_settled`, run by the retention job, finishes it)."""
        mine = or_(Payment.telegram_id == telegram_id, Payment.payer_person_id == payer_person_id)
        dropped = await self._drop_requests(select(Payment.id).where(mine))  # while `mine` still finds them
        return dropped + await self._run(update(Payment).where(mine).values(telegram_id=None))

    async def anonymise_settled(self) -> int:
        """The requests of settled payments and refunds whose payer left: nothing will send them again."""
        return await self._drop_requests(select(Payment.id).where(Payment.telegram_id.is_(None)))

    async def _drop_requests(self, payments) -> int:
        count = await self._run(
            update(Payment)
            .where(Payment.id.in_(payments), Payment.status != PaymentStatus.PENDING, Payment.request.is_not(None))
            .values(request=None, confirmation_url=None)
        )
        return count + await self._run(
            update(Refund)
            .where(Refund.payment_id.in_(payments), Refund.status != RefundStatus.PENDING, Refund.request.is_not(None))
            .values(request=None)
        )

    async def anonymise_disputes(self, account_id: int, telegram_id: int) -> int:
        """The reason they typed and who they were, and the dispute's conversation; the dispute's outcome on
        the invoice stays."""
        theirs = select(Dispute.id).where(
            or_(Dispute.opened_by_account_id == account_id, Dispute.opened_by_telegram_id == telegram_id)
        )
        await self._run(delete(DisputeMessage).where(DisputeMessage.dispute_id.in_(theirs)))
        return await self._run(
            update(Dispute)
            .where(or_(Dispute.opened_by_account_id == account_id, Dispute.opened_by_telegram_id == telegram_id))
            .values(reason="", opened_by_telegram_id=None, opened_by_account_id=None)
        )

    async def anonymise_franchise(self, telegram_id: int) -> int:
        return await self._run(
            update(FranchiseActivation)
            .where(FranchiseActivation.consented_by_telegram_id == telegram_id)
            .values(consented_by_telegram_id=None, consented_by_account_id=None)
        )
