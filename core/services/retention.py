"""The retention job: what is kept past its period (RETAIN_*, `core.retention`) is deleted, a chunk per
short transaction. Idempotent: a run cut short leaves the rest to the next."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from core.audit import AuditAction
from core.calendar import Clock
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.retention import ATTEMPTS, RetentionPeriods, cutoffs
from core.services.erasure import erase

CHUNK = 500  # rows per transaction: SQLite's one writer waits at most for one chunk


@dataclass(frozen=True)
class RetentionReport:
    registrations: int  # unfinished registrations erased
    questions: int
    attempts: int  # audit entries of registration attempts
    audit: int  # other audit entries
    anonymised: int  # settled payments and refunds of people who left, their requests dropped

    def summary(self) -> str:
        return (
            f"retention: unfinished registrations {self.registrations}, questions {self.questions}, "
            f"attempts {self.attempts}, audit entries {self.audit}, payments and refunds anonymised {self.anonymised}"
        )


class RetentionService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, periods: RetentionPeriods) -> None:
        self.uow = uow
        self.clock = clock
        self.periods = periods

    async def run(self) -> RetentionReport:
        now = self.clock.now()
        due = cutoffs(self.periods, now)

        async def registrations(uow: UnitOfWork) -> int:
            accounts = await uow.retention.unfinished_registrations(due.dialog, due.questions, CHUNK)
            for account in accounts:
                uow.audit.record(
                    now,
                    AuditAction.ACCOUNT_EXPIRED,
                    object_type="account",
                    object_id=account.id,
                    telegram_id=account.telegram_id,
                )
                await erase(uow, account, now)
            return len(accounts)

        async def questions(uow: UnitOfWork) -> int:
            return await uow.retention.drop_requests(await uow.retention.unregistered_questions(due.questions, CHUNK))

        async def attempts(uow: UnitOfWork) -> int:
            return await uow.retention.drop_audit(await uow.retention.audit_before(due.attempts, CHUNK, ATTEMPTS))

        async def audit(uow: UnitOfWork) -> int:
            return await uow.retention.drop_audit(await uow.retention.audit_before(due.audit, CHUNK))

        async def anonymised(uow: UnitOfWork) -> int:
            return await uow.erasure.anonymise_settled()

        return RetentionReport(
            registrations=await self._chunked(registrations),
            questions=await self._chunked(questions),
            attempts=await self._chunked(attempts),
            audit=await self._chunked(audit),
            anonymised=await self._once(anonymised),
        )

    async def _once(self, step: Callable[[UnitOfWork], Awaitable[int]]) -> int:
        async with self.uow() as uow:
            done = await step(uow)
            await uow.commit()
        return done

    async def _chunked(self, step: Callable[[UnitOfWork], Awaitable[int]]) -> int:
        total = 0
        while True:
            done = await self._once(step)
            total += done
            if done < CHUNK:
                return total
