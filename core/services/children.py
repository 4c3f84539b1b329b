"""Adding a child's policy (core.cabinet.children): the parent types the child's policy number, full
name and birth date; on success the child's policy is linked to the parent's and, in the same
transaction, the child's invoices still waiting for a payer become the parent's (`_adopt_unpaid`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from core.audit import AuditAction
from core.billing.invoices import adopt_unpaid
from core.cabinet.children import ChildClaim, ChildRefusal, RegistryFacts, child_refusal, told
from core.calendar import Clock
from core.db.models import ChildLink, InsuredPerson
from core.db.uow import UnitOfWork, UnitOfWorkFactory
from core.limits import Counter, reached, window
from core.services.policies import full_name
from core.services.viewers import Viewer


@dataclass(frozen=True)
class ChildAdded:
    full_name: str = ""
    policy_number: str = ""
    refusal: ChildRefusal | None = None  # as the parent is told it (core.cabinet.children.told)


class ChildrenService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

    async def add_child(self, viewer: Viewer, policy_key: str, claim: ChildClaim) -> ChildAdded:
        """`policy_key`: the canonical form of the typed number; `claim`: the typed full name and birth
        date. Every attempt is audited (ids and the exact reason only) and counts towards the daily limit."""
        now, today = self.clock.now(), self.clock.today()
        async with self.uow() as uow:
            subject, day = str(viewer.telegram_id), window(today)
            if reached(Counter.CHILD_ADDS, await uow.counters.get(Counter.CHILD_ADDS, subject, day)):
                return ChildAdded(refusal=ChildRefusal.TOO_MANY_ATTEMPTS)
            await uow.counters.bump(Counter.CHILD_ADDS, subject, day)
            parent = await uow.people.get(viewer.person_id)
            child = await uow.people.by_policy_key(policy_key)
            linked_parent = await uow.people.parent_of(child.id) if child is not None else None
            refusal = child_refusal(
                _facts(parent),
                _facts(child) if child is not None else None,
                claim,
                today,
                linked_parent_id=linked_parent.id if linked_parent else None,
            )
            # For staff: the row the number names (none: an unknown number) and the exact reason.
            uow.audit.record(
                now,
                AuditAction.CHILD_ADD,
                actor=viewer.telegram_id,
                object_type="insured_person",
                object_id=child.id if child is not None else None,
                reason=refusal.value if refusal else "added",
            )
            if refusal is None:
                uow.people.add(
                    ChildLink(
                        child_person_id=child.id,
                        parent_person_id=parent.id,
                        added_by_account_id=viewer.account_id,
                        added_at=now,
                    )
                )
            try:
                if refusal is None and child.holder_policy_key is None:
                    await _adopt_unpaid(uow, viewer, child, parent, now)  # flushes the link: may raise here
                await uow.commit()
            except IntegrityError:  # another parent added the child in the same instant
                return ChildAdded(refusal=told(ChildRefusal.TAKEN))
            if refusal is not None:
                return ChildAdded(refusal=told(refusal))
            return ChildAdded(full_name(child), child.policy_number)


async def _adopt_unpaid(
    uow: UnitOfWork, viewer: Viewer, child: InsuredPerson, parent: InsuredPerson, now: datetime
) -> None:
    """The child's invoices issued with no payer (a minor waiting for a parent) and not settled are the
    parent's to pay from now on (`core.billing.invoices.adopt_unpaid`), in the transaction of the link;
    each audited."""
    waiting = {invoice.rule.number: invoice for invoice in await uow.invoices.waiting_for_payer(child.id)}
    adopted = adopt_unpaid((invoice.rule for invoice in waiting.values()), child.policy_key, parent.policy_key)
    ids = [waiting[invoice.number].id for invoice in adopted]
    await uow.invoices.set_payer(ids, parent.id, now)
    for invoice_id in ids:
        uow.audit.record(
            now,
            AuditAction.INVOICE_PAYER_ADOPTED,
            actor=viewer.telegram_id,
            object_type="invoice",
            object_id=invoice_id,
            reason="child_added",
            payer_person_id=parent.id,
        )


def _facts(person: InsuredPerson) -> RegistryFacts:
    return RegistryFacts(
        person_id=person.id,
        policy_key=person.policy_key,
        category=person.category,
        holder_policy_key=person.holder_policy_key,
        contract_number=person.contract_number,
        birth_date=person.birth_date,
        valid_from=person.valid_from,
        valid_to=person.valid_to,
        removed_on=person.removed_on,
        last_name_key=person.last_name_key,
        first_name_key=person.first_name_key,
        patronymic_key=person.patronymic_key,
    )
