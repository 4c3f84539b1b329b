"""The reminders job: unpaid invoices near and past their due date (to the payer, when their settings
want reminders), disputes near and past their deadline (to staff), and a policy an import ended (to the
insured person). Rules: `core.billing.reminders`. Each reminder is recorded (`sent_reminders`) in the
transaction that writes its outbox row, so a rerun, a restart or another worker taking over sends
nothing twice. Outside the daytime of the operator's time zone (REMINDER_HOURS) it does nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.actors import Capability, can
from core.billing.reminders import (
    DAYTIME,
    DEADLINE_SOON_DAYS,
    OVERDUE_AFTER_DAYS,
    daytime,
    dispute_reminder,
    invoice_reminder,
)
from core.billing.status import InvoiceStatus
from core.cabinet.notifications import NotificationKind, notification_choices
from core.calendar import Clock
from core.db.reminders import ReminderRepository
from core.db.uow import UnitOfWorkFactory
from core.notices import DisputeDeadline, InvoiceReminder, PolicyEnded
from core.services.invoices import total_to_pay
from core.services.roles import RoleDirectory

WINDOW_DAYS = 15  # NEW invoices due within this many calendar days are looked at (5 working days fit)
ENDED_LOOKBACK_DAYS = 7  # older removals are not announced any more
BATCH = 5000


@dataclass(frozen=True)
class ReminderReport:
    invoices: int = 0
    disputes: int = 0
    policies: int = 0
    skipped_night: bool = False


class ReminderService:
    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, roles: RoleDirectory, hours: tuple[int, int] = DAYTIME
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.roles = roles  # the staff who answer disputes: the configuration's and those granted in the bot
        self.hours = hours

    async def run(self) -> ReminderReport:
        now = self.clock.now()
        if not daytime(now.astimezone(self.clock.zone), self.hours):
            return ReminderReport(skipped_night=True)
        today = self.clock.today()
        async with self.uow() as uow:
            repo = uow.reminders
            invoices = await self._invoices(uow, repo, today, now)
            disputes = await self._disputes(uow, repo, today, now)
            policies = await self._policies(uow, repo, today, now)
            await uow.commit()
        return ReminderReport(invoices, disputes, policies)

    async def _invoices(self, uow, repo: ReminderRepository, today, now: datetime) -> int:
        rows = await repo.invoices(today, WINDOW_DAYS, OVERDUE_AFTER_DAYS, BATCH)
        due = [(row, kind) for row in rows if (kind := invoice_reminder(InvoiceStatus(row.status), row.due_on, today))]
        sent = await repo.sent("invoice", (row.id for row, _ in due))
        due = [(row, kind) for row, kind in due if (row.id, str(kind)) not in sent]
        accounts = await uow.accounts.of_people(row.payer_person_id for row, _ in due)
        stored, consent = await uow.accounts.notification_choices(
            (account for account, _ in accounts.values()), NotificationKind.REMINDERS
        )
        told = 0
        for row, kind in due:
            repo.mark("invoice", row.id, str(kind), now)  # also when nobody can be told: it is done
            found = accounts.get(row.payer_person_id)
            if found is None:
                continue
            account_id, telegram_id = found
            choices = notification_choices(
                {NotificationKind.REMINDERS: stored[account_id]} if account_id in stored else {},
                consented=consent.get(account_id, True),
            )
            if not choices[NotificationKind.REMINDERS]:
                continue
            notice = InvoiceReminder(
                to=telegram_id,
                invoice=row.number,
                person_id=row.person_id,
                reminder=kind,
                total=total_to_pay(row.copay_kopecks, row.deposit_used_kopecks, row.credited_kopecks),
                due_on=row.due_on,
                invoice_id=row.id,
            )
            uow.outbox.add(notice, now)
            told += 1
        return told

    async def _disputes(self, uow, repo: ReminderRepository, today, now: datetime) -> int:
        rows = await repo.open_disputes(today + timedelta(days=DEADLINE_SOON_DAYS), BATCH)
        staff_ids = sorted(
            {telegram_id for telegram_id, role in await self.roles.staff(uow) if can(role, Capability.ANSWER_DISPUTES)}
        )
        sent = await repo.sent("dispute", (row.id for row in rows))
        told = 0
        for row in rows:
            kind = dispute_reminder(row.deadline, today)
            if kind is None or (row.id, str(kind)) in sent:
                continue
            repo.mark("dispute", row.id, str(kind), now)
            for staff_id in staff_ids:
                notice = DisputeDeadline(
                    to=staff_id, dispute_id=row.id, invoice=row.number, deadline=row.deadline, reminder=kind
                )
                uow.outbox.add(notice, now)
            told += 1
        return told

    async def _policies(self, uow, repo: ReminderRepository, today, now: datetime) -> int:
        rows = await repo.ended_policies(today - timedelta(days=ENDED_LOOKBACK_DAYS), BATCH)
        for row in rows:
            repo.mark("person", row.id, "policy_ended", now)
            uow.outbox.add(PolicyEnded(to=row.telegram_id, person_id=row.id, on=row.removed_on), now)
        return len(rows)
