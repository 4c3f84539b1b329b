"""Refunds are the admins' alone, decided in core: `PaymentService.refund` re-reads the caller's role in its own
transaction (`Capability.REFUND`), so the payer himself, another user or support is refused with `Forbidden` and
nothing is stored nor sent to the emulated YooKassa; an admin's refund goes through."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.actors import Capability, Forbidden
from core.db.models import Refund
from tests.bot.cabinet_fixtures import IVANOV, SHMOLINA
from tests.bot.test_payments import pay, select_and_pay  # noqa: F401 - the fixture

ADMIN, SUPPORT = 9001, 9002  # the harness's ADMIN_IDS and SUPPORT_IDS


async def test_a_refund_is_an_admins_only(pay) -> None:
    await select_and_pay(pay, "2026/10/1", "2026/10/3")
    await pay.kassa.pay(pay.the_payment()["id"])
    payments = pay.harness.container.payments
    for caller in (IVANOV, SHMOLINA, SUPPORT):  # the payer, another user, support
        with pytest.raises(Forbidden) as refused:
            await payments.refund(caller, 1, 10080)
        assert refused.value.capability == Capability.REFUND
    assert pay.kassa.refunds == {}
    assert not [r for r in pay.kassa.requests if r.path.endswith("/refunds")]
    async with pay.harness.engine.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(Refund))).scalar_one() == 0
    assert await pay.statuses("2026/10/1", "2026/10/3") == ["paid", "paid"]

    made = await payments.refund(ADMIN, 1, 10080)
    assert made.refusal is None and made.refund.status == "succeeded"
    assert len(pay.kassa.refunds) == 1
