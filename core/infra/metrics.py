"""The process's metrics, in the Prometheus model (`GET /metrics` serves them, bot/web/metrics.py).

One `Metrics` per container, each with its own `CollectorRegistry` (never the library's global one), so
several bots in one process (tests, benches) do not collide. Labels are bounded sets only: update
types, handler names, job names, payment statuses — never a user id, a chat id, a name or a phone.

Counted as things happen (no I/O):
- `dmsbot_updates_total{update_type, handler}`, `dmsbot_update_duration_seconds{update_type}` and
  `dmsbot_update_errors_total{update_type}`: by the dispatcher's middleware (bot/middlewares/metrics.py);
- `dmsbot_jobs_run_total{job}`, `dmsbot_jobs_failed_total{job}`: by whoever runs a scheduled job, with
  `with metrics.job("billing_daily"): ...` or `metrics.jobs_run.labels(job=...).inc()`; the job name is
  a constant of the code, never data.

Read from the database at scrape time (`await metrics.scrape()`), one cheap statement per table, within
`QUERY_TIMEOUT_SECONDS`; when the database does not answer the scrape still succeeds, without these
series and with `dmsbot_database_up 0`:
- `dmsbot_outbox_pending`, `dmsbot_outbox_oldest_pending_age_seconds` (pending: neither sent nor given up);
- `dmsbot_payments{status}`, status in pending | succeeded | canceled | failed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from core.calendar import Clock
from core.db.models import OutboxMessage, Payment

log = logging.getLogger(__name__)

QUERY_TIMEOUT_SECONDS = 2.0
PAYMENT_STATUSES = ("pending", "succeeded", "canceled", "failed")
# Seconds; a handler waits on Telegram (30 s at most) and on YooKassa (20 s by default).
UPDATE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

_PENDING = select(func.count(), func.min(OutboxMessage.created_at)).where(
    OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None)
)
_PAYMENTS = select(Payment.status, func.count()).group_by(Payment.status)


@dataclass(frozen=True)
class DatabaseSnapshot:
    outbox_pending: int
    oldest_pending: datetime | None
    payments: dict[str, int] = field(default_factory=dict)


class Metrics:
    def __init__(
        self,
        engine: AsyncEngine | None = None,
        clock: Clock | None = None,
        *,
        query_timeout: float = QUERY_TIMEOUT_SECONDS,
    ) -> None:
        self.engine = engine
        self.clock = clock or Clock("UTC")
        self.query_timeout = query_timeout
        self.registry = CollectorRegistry()
        r = self.registry
        self.updates = Counter(
            "dmsbot_updates",
            "Updates handled, by update type and handler (router.function; unhandled when none matched)",
            ("update_type", "handler"),
            registry=r,
        )
        self.update_duration = Histogram(
            "dmsbot_update_duration_seconds",
            "Time to handle an update",
            ("update_type",),
            buckets=UPDATE_BUCKETS,
            registry=r,
        )
        self.update_errors = Counter(
            "dmsbot_update_errors", "Updates whose handler raised, by update type", ("update_type",), registry=r
        )
        self.jobs_run = Counter("dmsbot_jobs_run", "Scheduled job runs, by job", ("job",), registry=r)
        self.jobs_failed = Counter("dmsbot_jobs_failed", "Scheduled job runs that raised, by job", ("job",), registry=r)

    @contextmanager
    def job(self, name: str) -> Iterator[None]:
        """Counts one run of the job `name` (a constant of the code), and a failure if it raises."""
        try:
            yield
        except Exception:
            self.jobs_failed.labels(job=name).inc()
            raise
        finally:
            self.jobs_run.labels(job=name).inc()

    async def scrape(self) -> Collector:
        """What one scrape reports: the registry's series, plus the database's read now."""
        return _Scrape(self.registry, await self.read_database(), self.clock.now())

    async def read_database(self) -> DatabaseSnapshot | None:
        """None when there is no engine or the database did not answer within the timeout (logged)."""
        if self.engine is None:
            return None
        try:
            return await asyncio.wait_for(self._read(self.engine), self.query_timeout)
        except Exception as exc:
            # The type only: a driver's message could carry the URL or a statement's parameters.
            log.warning("metrics: the database did not answer (%s)", type(exc).__name__)
            return None

    @staticmethod
    async def _read(engine: AsyncEngine) -> DatabaseSnapshot:
        async with engine.connect() as connection:
            pending, oldest = (await connection.execute(_PENDING)).one()
            payments = {status: count for status, count in await connection.execute(_PAYMENTS)}
        return DatabaseSnapshot(pending, oldest, payments)


class _Scrape(Collector):
    def __init__(self, registry: CollectorRegistry, snapshot: DatabaseSnapshot | None, now: datetime) -> None:
        self.registry, self.snapshot, self.now = registry, snapshot, now

    def collect(self) -> Iterable[Metric]:
        yield from self.registry.collect()
        snapshot = self.snapshot
        yield GaugeMetricFamily(
            "dmsbot_database_up", "1 when the scrape-time database queries answered", value=0 if snapshot is None else 1
        )
        if snapshot is None:
            return
        yield GaugeMetricFamily(
            "dmsbot_outbox_pending", "Outbox notices neither sent nor given up", value=snapshot.outbox_pending
        )
        age = 0.0 if snapshot.oldest_pending is None else (self.now - snapshot.oldest_pending).total_seconds()
        yield GaugeMetricFamily(
            "dmsbot_outbox_oldest_pending_age_seconds",
            "Age of the oldest pending outbox notice (0 when none)",
            value=max(age, 0.0),
        )
        payments = GaugeMetricFamily("dmsbot_payments", "Payments by status", labels=("status",))
        for status in PAYMENT_STATUSES:
            payments.add_metric((status,), snapshot.payments.get(status, 0))
        yield payments
