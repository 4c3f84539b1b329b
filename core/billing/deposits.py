"""Guarantee deposits: paid by a holder (an employee) for the relatives' policies.

A holder's deposits are consumed by the invoices of that holder's relatives (the invoices the holder
pays for someone else, never the holder's own), in order of issue date, then invoice number; several
deposits of one holder are used oldest first (`paid_on`, then reference). A deposit is never used
twice nor beyond its amount, and an invoice never takes more than its co-pay. Invoices already issued
are never revisited: a deposit imported later applies to invoices issued later.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Deposit:
    reference: str
    holder_key: str  # the canonical policy number of the employee who paid
    amount: int  # kopecks
    paid_on: date

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError("a deposit amount must not be negative")


@dataclass(frozen=True)
class DepositClaim:
    """What an invoice may take from deposits: its payer, its insured person and the amount it owes."""

    invoice: str  # the invoice number
    issued_on: date
    sequence: int  # N of YYYY/MM/N: orders invoices issued the same day
    payer_key: str | None
    person_key: str
    amount: int  # kopecks still owed


@dataclass(frozen=True)
class DepositUse:
    reference: str
    invoice: str
    amount: int  # kopecks, > 0


def balances(deposits: Iterable[Deposit], used: Mapping[str, int]) -> dict[str, int]:
    """What is left of each deposit after the uses already recorded (`used`: reference → kopecks)."""
    left = {}
    for deposit in deposits:
        spent = used.get(deposit.reference, 0)
        if not 0 <= spent <= deposit.amount:
            raise ValueError("a deposit is used beyond its amount")
        left[deposit.reference] = deposit.amount - spent
    return left


def consume(
    claims: Iterable[DepositClaim], deposits: Iterable[Deposit], used: Mapping[str, int] | None = None
) -> list[DepositUse]:
    """The uses of deposits by these invoices, in order. Only a relative's invoice (payer ≠ insured
    person) takes from its payer's deposits."""
    by_holder: dict[str, list[Deposit]] = {}
    for deposit in sorted(deposits, key=lambda d: (d.paid_on, d.reference)):
        by_holder.setdefault(deposit.holder_key, []).append(deposit)
    left = balances((d for ds in by_holder.values() for d in ds), used or {})
    uses = []
    for claim in sorted(claims, key=lambda c: (c.issued_on, c.sequence)):
        if claim.payer_key is None or claim.payer_key == claim.person_key:
            continue
        owed = claim.amount
        for deposit in by_holder.get(claim.payer_key, ()):
            if owed == 0:
                break
            take = min(owed, left[deposit.reference])
            if take > 0:
                left[deposit.reference] -= take
                owed -= take
                uses.append(DepositUse(deposit.reference, claim.invoice, take))
    return uses
