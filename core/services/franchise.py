"""Franchise activation: the payer consents to the terms for one insured person; it is in force from
the next working day (core.cabinet.franchise)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from core.audit import AuditAction
from core.cabinet.franchise import TERMS_VERSION, ActivationRefusal, activation_refusal, effective_from
from core.calendar import Clock
from core.db.models import FranchiseActivation
from core.db.uow import UnitOfWorkFactory
from core.services.policies import Policy, linked_policies, linked_policy
from core.services.viewers import Viewer


@dataclass(frozen=True)
class FranchiseOffer:
    policy: Policy
    refusal: ActivationRefusal | None  # None: the viewer may consent now


@dataclass(frozen=True)
class Activation:
    policy: Policy | None = None  # as it stands after the activation (its franchise shows the date)
    refusal: ActivationRefusal | None = None


def franchise_offer(policy: Policy) -> FranchiseOffer:
    """What the viewer may do about this policy's franchise."""
    return FranchiseOffer(policy, activation_refusal(policy.franchise, policy.status, is_payer=policy.is_payer))


class FranchiseService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

    async def franchise_policies(self, viewer: Viewer) -> list[FranchiseOffer]:
        """The viewer's policies whose program has a franchise."""
        async with self.uow() as uow:
            policies = await linked_policies(uow, viewer.person_id, self.clock.today())
        return [franchise_offer(p) for p in policies if p.program.franchise_bp]

    async def activate(self, viewer: Viewer, person_id: int) -> Activation | None:
        """Records the consent (who, when, which terms) and the date it takes effect; None when the policy
        is not the viewer's. A double press finds the first consent standing."""
        today, now = self.clock.today(), self.clock.now()
        async with self.uow() as uow:
            policy = await linked_policy(uow, viewer.person_id, person_id, today)
            if policy is None:
                return None
            refusal = franchise_offer(policy).refusal
            if refusal is not None:
                return Activation(refusal=refusal)
            starts = effective_from(today)
            uow.people.add(
                FranchiseActivation(
                    person_id=person_id,
                    consented_by_account_id=viewer.account_id,
                    consented_by_telegram_id=viewer.telegram_id,
                    consented_at=now,
                    effective_from=starts,
                    terms_version=TERMS_VERSION,
                )
            )
            uow.audit.record(
                now,
                AuditAction.FRANCHISE_ACTIVATED,
                actor=viewer.telegram_id,
                object_type="insured_person",
                object_id=person_id,
                terms_version=TERMS_VERSION,
                effective_from=starts.isoformat(),
            )
            try:
                await uow.commit()
            except IntegrityError:  # a double press: the first consent stands
                return Activation(refusal=ActivationRefusal.ALREADY_ACTIVATED)
        async with self.uow() as uow:
            return Activation(await linked_policy(uow, viewer.person_id, person_id, today))
