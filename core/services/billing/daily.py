"""The daily job (`core.billing.overdue.daily`): NEW invoices past their due date become OVERDUE, their
people restricted, people with nothing overdue any more restored, each change with its notice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.audit import AuditAction
from core.billing.facts import OverdueRule
from core.billing.overdue import daily
from core.db import models
from core.notices import AccessRestored, AccessRestricted


@dataclass(frozen=True)
class DailyReport:
    today: date
    overdue: tuple[str, ...]  # invoice numbers marked OVERDUE
    restricted: tuple[int, ...]  # person ids
    restored: tuple[int, ...]  # person ids
    notices: int  # outbox rows written

    def summary(self) -> str:
        return (
            f"{self.today.isoformat()}: overdue {len(self.overdue)}, restricted {len(self.restricted)}, "
            f"restored {len(self.restored)}, notices {self.notices}"
        )


class DailyJob:
    """A part of `BillingService` (`core.services.billing`), which holds the unit of work, the clock, the
    switches and the limits."""

    async def run_daily(self, today: date | None = None) -> DailyReport:
        """The daily job (core.billing.overdue.daily): NEW invoices past their due date become OVERDUE,
        their people restricted, people with nothing overdue any more restored; each change with its notice
        to the payer (always sent). Run twice on a day, the second run changes nothing."""
        today = today or self.clock.today()
        now = self.clock.now()
        async with self.uow() as uow:
            repo = uow.billing
            invoices, person_ids, program_of = [], {}, {}
            for stored, program_code in await repo.unsettled():
                invoices.append(stored.rule)
                person_ids[stored.rule.person_key] = stored.person_id
                program_of[stored.rule.person_key] = program_code
            programs = await repo.programs(set(program_of.values()))
            rules = {key: OverdueRule(programs[code].overdue_rule) for key, code in program_of.items()}
            open_rows = await uow.access.open_restrictions()
            restrictions = {key: restriction for restriction, key in open_rows}
            outcome = daily(today, invoices, restrictions, rules)

            overdue = tuple(event.invoice for event in outcome.overdue)
            await repo.mark_overdue(list(overdue), now)
            for event in outcome.restricted:
                uow.access.add(
                    models.AccessRestriction(
                        person_id=person_ids[event.person_key],
                        rule=str(event.rule),
                        since=event.since,
                        invoice_numbers=" ".join(event.invoices),
                    )
                )
            for event in outcome.restored:
                restrictions[event.person_key].restored_on = event.on

            restricted_ids = [person_ids[event.person_key] for event in outcome.restricted]
            restored_ids = [restrictions[event.person_key].person_id for event in outcome.restored]
            payers = await repo.latest_payers(restricted_ids + restored_ids)
            accounts = await uow.accounts.of_people(payers.values())
            # insured person → the chat of their payer (notices go to the payer, when they have an account)
            chats = {person: accounts[payer][1] for person, payer in payers.items() if payer in accounts}
            notices = [
                *(
                    AccessRestricted(to=chats[pid], person_id=pid, rule=e.rule, since=e.since, invoices=e.invoices)
                    for e in outcome.restricted
                    if (pid := person_ids[e.person_key]) in chats
                ),
                *(
                    AccessRestored(to=chats[pid], person_id=pid, on=e.on)
                    for e in outcome.restored
                    if (pid := restrictions[e.person_key].person_id) in chats
                ),
            ]
            for notice in notices:
                uow.outbox.add(notice, now)
            uow.audit.record(
                now,
                AuditAction.BILLING_DAILY,
                object_type="day",
                object_id=today.isoformat(),
                overdue=len(overdue),
                restricted=len(restricted_ids),
                restored=len(restored_ids),
            )
            await uow.commit()
        return DailyReport(today, overdue, tuple(restricted_ids), tuple(restored_ids), len(notices))

    async def overdue_people(self, person_ids: list[int]) -> set[int]:
        """Who of these has an OVERDUE invoice (access restricted)."""
        async with self.uow() as uow:
            return await uow.access.overdue_people(person_ids)
