"""Access restored at once: a payment, or a dispute's answer, that leaves an insured person with nothing
overdue lifts their restriction there and then (the daily job would only do it the next morning), with
the same `AccessRestored` notice to the payer. The rule is `core.billing.overdue.restored`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from core.billing.overdue import restored
from core.db.uow import UnitOfWork
from core.notices import AccessRestored


async def restore_paid_up(uow: UnitOfWork, person_ids: Iterable[int], today: date, now: datetime) -> list[int]:
    """In `uow`'s transaction: restore these people's restrictions when nothing of theirs is overdue any
    more; returns whom it restored."""
    repo = uow.access
    by_key = {key: restriction for restriction, key in await repo.open_restrictions(person_ids)}
    if not by_key:
        return []
    still = await repo.overdue_keys(restriction.person_id for restriction in by_key.values())
    events = restored(by_key, still, today)
    people = [by_key[event.person_key].person_id for event in events]
    payers = await uow.billing.latest_payers(people)
    accounts = await uow.accounts.of_people(payers.values())
    for event in events:
        restriction = by_key[event.person_key]
        restriction.restored_on = event.on
        found = accounts.get(payers.get(restriction.person_id))
        if found is not None:
            uow.outbox.add(AccessRestored(to=found[1], person_id=restriction.person_id, on=event.on), now)
    return people
