"""An adult relative's permission for her holder to read the names of her services
(`core.billing.invoices.service_names_visible`, its `allowed_by_person`).

- Who gives it: an adult whose registry row names a holder (the holder pays her invoices), from her own
  account, in /settings. A minor's names are always the payer's to see: nothing to give.
- To whom: the holder named at the time, by policy key (`Account.services_shared_with`). It counts only
  while that holder is still hers and for the invoices that holder pays: a new holder in the registry
  inherits nothing, and a former one sees the names no more.
- It lives on her account: /delete_me takes it away, and a relative without an account has given none.
"""

from __future__ import annotations

from datetime import date

from core.matching import ADULT_AGE
from core.normalize import age_on


def may_share(policy_key: str, holder_policy_key: str | None, birth_date: date, today: date) -> bool:
    """Does the setting apply to this person: an adult with a holder (someone else) who pays for her?"""
    return holder_policy_key is not None and holder_policy_key != policy_key and age_on(birth_date, today) >= ADULT_AGE


def shared_with_payer(shared_with: str | None, holder_policy_key: str | None, payer_key: str | None) -> bool:
    """`allowed_by_person`: she has allowed the holder the registry names now, and that holder is the payer."""
    return shared_with is not None and shared_with == holder_policy_key and shared_with == payer_key


__all__ = ["may_share", "shared_with_payer"]
