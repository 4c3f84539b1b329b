"""Billing use cases: the bills import that issues invoices, and the daily overdue job.

The rules are `core.billing`; this package reads, stores and writes notices. Each call is one unit of
work: the lines, the invoices, the deposit uses, the counter and the outbox notices of one import
commit together or not at all, and so do the daily job's status changes, restrictions and notices.

Bills are a kind of `ImportService` (core/services/importing/service.py), read with the importer's reader
(`open_table`, the same limits, report and progress), but stored through the unit of work: issuing needs
the counter's row lock and the outbox in that transaction. A file of a million lines is read, checked and stored `CHUNK` rows at a time: what stays in memory
is the co-pay sum of each insured person met (the invoices need no more: `issue_totals`), the people
and clinics looked up, and the ids of new lines not stored (rejected) in case they come again.

`BillingService` is put together from one module per concern: `bills` (the file, read and checked),
`issuing`, `autopay` (the queue of automatic charges) and `daily` (the overdue job).
"""

from __future__ import annotations

from core.billing.lines import AmountLimits
from core.calendar import Clock
from core.db.uow import UnitOfWorkFactory
from core.services.billing.bills import CHUNK
from core.services.billing.daily import ACCESS_RESTORED, ACCESS_RESTRICTED, DailyJob, DailyReport
from core.services.billing.issuing import INVOICE_ISSUED, Issuing


class BillingService(Issuing, DailyJob):
    """The billing use cases, one concern per module of this package."""

    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, *, autopay: bool = False, limits: AmountLimits = AmountLimits()
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.autopay = autopay  # automatic charges offered (YOOKASSA_AUTOPAY and a provider)
        self.limits = limits  # BILL_LINE_MAX, INVOICE_MAX
        self.chunk = CHUNK  # rows read at a time: this package's `CHUNK` when the service is built


__all__ = [
    "ACCESS_RESTORED",
    "ACCESS_RESTRICTED",
    "CHUNK",
    "INVOICE_ISSUED",
    "BillingService",
    "DailyReport",
]
