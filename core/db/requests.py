"""Requests to the insurer (`RequestRepository`): an account's requests, one page at a time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import UserRequest


class RequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert(self, request: UserRequest) -> None:
        """Stored now, within the transaction: its id (the number the user is told) is known."""
        self.session.add(request)
        await self.session.flush()

    async def open_since(self, account_id: int, since: datetime) -> list[UserRequest]:
        """The account's requests still NEW created at `since` or later, newest first."""
        query = (
            select(UserRequest)
            .where(UserRequest.account_id == account_id, UserRequest.status == "new", UserRequest.created_at >= since)
            .order_by(UserRequest.id.desc())
        )
        return list(await self.session.scalars(query))

    async def count(self, account_id: int) -> int:
        query = select(func.count()).select_from(UserRequest).where(UserRequest.account_id == account_id)
        return await self.session.scalar(query) or 0

    async def page(self, account_id: int, offset: int, limit: int) -> list[UserRequest]:
        query = (
            select(UserRequest)
            .where(UserRequest.account_id == account_id)
            .order_by(UserRequest.created_at.desc(), UserRequest.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return list(await self.session.scalars(query))

    async def of_account(self, account_id: int, request_id: int) -> UserRequest | None:
        """The request, only when it is this account's."""
        query = select(UserRequest).where(UserRequest.id == request_id, UserRequest.account_id == account_id)
        return await self.session.scalar(query)
