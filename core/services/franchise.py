"""Franchise activation: the payer consents to the terms for one insured person; it is in force from
the next working day (core.cabinet.franchise)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError

from core.cabinet.franchise import TERMS_VERSION, ActivationRefusal, activation_refusal, effective_from
from core.calendar import Clock
from core.db.models import Account, FranchiseActivation, InsuredPerson
from core.db.uow import UnitOfWork
from core.services.policies import Policy, linked_policies, linked_policy


@dataclass(frozen=True)
class FranchiseOffer:
    policy: Policy
    refusal: ActivationRefusal | None  # None: the viewer may consent now


@dataclass(frozen=True)
class Activation:
    policy: Policy | None = None  # as it stands after the activation (its franchise shows the date)
    refusal: ActivationRefusal | None = None


async def franchise_policies(uow: UnitOfWork, viewer: InsuredPerson, today: date) -> list[FranchiseOffer]:
    """The viewer's policies whose program has a franchise."""
    return [_offer(p) for p in await linked_policies(uow, viewer, today) if p.program.franchise_bp]


async def franchise_offer(uow: UnitOfWork, viewer: InsuredPerson, person_id: int, today: date) -> FranchiseOffer | None:
    policy = await linked_policy(uow, viewer, person_id, today)
    return None if policy is None else _offer(policy)


async def activate_franchise(
    uow: UnitOfWork, account: Account, viewer: InsuredPerson, person_id: int, clock: Clock
) -> Activation | None:
    """Records the consent (who, when, which terms) and the date it takes effect; None when the policy
    is not the viewer's."""
    today = clock.today()
    offer = await franchise_offer(uow, viewer, person_id, today)
    if offer is None:
        return None
    if offer.refusal is not None:
        return Activation(refusal=offer.refusal)
    starts = effective_from(today)
    uow.session.add(
        FranchiseActivation(
            person_id=person_id,
            consented_by_account_id=account.id,
            consented_by_telegram_id=account.telegram_id,
            consented_at=clock.now(),
            effective_from=starts,
            terms_version=TERMS_VERSION,
        )
    )
    uow.audit.record(
        clock.now(), "franchise.activated", actor=account.telegram_id, object_type="insured_person",
        object_id=person_id, terms_version=TERMS_VERSION, effective_from=starts.isoformat(),
    )  # fmt: skip
    try:
        await uow.commit()
    except IntegrityError:  # a double press: the first consent stands
        await uow.session.rollback()
        return Activation(refusal=ActivationRefusal.ALREADY_ACTIVATED)
    return Activation(await linked_policy(uow, viewer, person_id, today))


def _offer(policy: Policy) -> FranchiseOffer:
    return FranchiseOffer(policy, activation_refusal(policy.franchise, policy.status, is_payer=policy.is_payer))
