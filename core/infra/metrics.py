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

Read from the database at scrape time (`await metrics.scrape()`): the desk's statistics
(`core.services.stats.StatsService.figures`, the same figures as /stats: aggregate statements only). One
read at a time, whatever the number of scrapers, and its figures serve the scrapes of the next
`FRESH_SECONDS`; a scrape waits for a read at most `QUERY_TIMEOUT_SECONDS`. When the read fails or is not
done by then the scrape still succeeds, without these series and with `dmsbot_database_up 0`; a read that
is slow rather than failed goes on, and the next scrape gets its figures. Amounts are in rubles (kopecks / 100). "This week" is the operator's
week (Monday to Sunday in TIMEZONE).
- `dmsbot_outbox_pending`, `dmsbot_outbox_oldest_pending_age_seconds` (pending: neither sent nor given up);
- `dmsbot_payments{status}`, status in pending | succeeded | canceled | failed (every payment, card checks too);
- `dmsbot_registered_users`; `dmsbot_registrations_week{way}`, way in policy | personal | invite;
  `dmsbot_registration_refusals_week{reason}`, every refusal reason of `core.matching` (zeros included);
- `dmsbot_invoices{group}` and `dmsbot_invoices_amount_rubles{group}`, group in issued | paid | overdue |
  cancelled (issued: all, to pay at issue; paid: what was paid; overdue, cancelled: what each carries);
- `dmsbot_payments_succeeded`, `dmsbot_payments_succeeded_amount_rubles`,
  `dmsbot_refunds_succeeded`, `dmsbot_refunds_succeeded_amount_rubles`;
- `dmsbot_disputes_open`, `dmsbot_disputes_late` (open past the answer's deadline);
  `dmsbot_requests_open{kind}`, kind in request | question (a question to support).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from core.calendar import Clock
from core.desk.stats import REFUSAL_REASONS, Figures

log = logging.getLogger(__name__)

QUERY_TIMEOUT_SECONDS = 2.0
# Figures this recent serve a scrape as they are: several scrapers (one per Prometheus replica) cost one read.
FRESH_SECONDS = 5.0
PAYMENT_STATUSES = ("pending", "succeeded", "canceled", "failed")
# Seconds; a handler waits on Telegram (30 s at most) and on YooKassa (20 s by default).
UPDATE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

ReadFigures = Callable[[], Awaitable[Figures]]


class Metrics:
    def __init__(
        self,
        figures: ReadFigures | None = None,
        clock: Clock | None = None,
        *,
        query_timeout: float = QUERY_TIMEOUT_SECONDS,
        fresh_for: float = FRESH_SECONDS,
    ) -> None:
        self.figures = figures  # None: no database series (a process without one)
        self.clock = clock or Clock("UTC")
        self.query_timeout = query_timeout
        self.fresh_for = fresh_for
        self._reading: asyncio.Task[Figures] | None = None
        self._last: tuple[float, Figures] | None = None  # (monotonic time read, figures)
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
        """What one scrape reports: the registry's series, plus the database's figures read now."""
        return _Scrape(self.registry, await self.read_database(), self.clock.now())

    async def read_database(self) -> Figures | None:
        """The figures read within the last `fresh_for` seconds, else those of the read under way (started
        when none is); None when there is no database, or the read failed or is not done in time (logged)."""
        if self.figures is None:
            return None
        if self._last is not None and time.monotonic() - self._last[0] < self.fresh_for:
            return self._last[1]
        if self._reading is None or self._reading.done():
            self._reading = asyncio.create_task(self._read(self.figures))
            self._reading.add_done_callback(_retrieved)
        try:
            return await asyncio.wait_for(asyncio.shield(self._reading), self.query_timeout)
        except Exception as exc:
            # The type only: a driver's message could carry the URL or a statement's parameters.
            log.warning("metrics: the database did not answer (%s)", type(exc).__name__)
            return None

    async def _read(self, figures: ReadFigures) -> Figures:
        read = await figures()
        self._last = (time.monotonic(), read)
        return read

    def close(self) -> None:
        """Stops a read still under way (the process is closing its database)."""
        if self._reading is not None:
            self._reading.cancel()


def _retrieved(task: asyncio.Task) -> None:
    # A read nobody waited for to the end (the scrape timed out) still has its failure collected here
    # (the scrape that waited logged it), so asyncio does not report it as never retrieved.
    if not task.cancelled():
        task.exception()


def _rubles(kopecks: int) -> float:
    return kopecks / 100


class _Scrape(Collector):
    def __init__(self, registry: CollectorRegistry, figures: Figures | None, now: datetime) -> None:
        self.registry, self.figures, self.now = registry, figures, now

    def collect(self) -> Iterable[Metric]:
        yield from self.registry.collect()
        f = self.figures
        yield GaugeMetricFamily(
            "dmsbot_database_up", "1 when the scrape-time database queries answered", value=0 if f is None else 1
        )
        if f is None:
            return
        yield GaugeMetricFamily(
            "dmsbot_outbox_pending", "Outbox notices neither sent nor given up", value=f.outbox_pending
        )
        yield GaugeMetricFamily(
            "dmsbot_outbox_oldest_pending_age_seconds",
            "Age of the oldest pending outbox notice (0 when none)",
            value=f.outbox_age_seconds(self.now),
        )
        yield _labelled(
            "dmsbot_payments",
            "Payments by status",
            "status",
            {s: f.payment_statuses.get(s, 0) for s in PAYMENT_STATUSES},
        )
        yield GaugeMetricFamily("dmsbot_registered_users", "Accounts linked to an insured person", value=f.registered)
        yield _labelled("dmsbot_registrations_week", "Registrations this week, by way in", "way", f.registrations)
        yield _labelled(
            "dmsbot_registration_refusals_week",
            "Registration attempts refused this week, by reason",
            "reason",
            {reason: f.refusals.get(reason, 0) for reason in REFUSAL_REASONS},
        )
        groups = {g.name: getattr(f.invoices, g.name) for g in fields(f.invoices)}
        yield _labelled(
            "dmsbot_invoices",
            "Invoices: all issued, paid, overdue, cancelled",
            "group",
            {g: t.count for g, t in groups.items()},
        )
        yield _labelled(
            "dmsbot_invoices_amount_rubles",
            "Invoices' amounts: to pay at issue, paid, still carried by the overdue and the cancelled",
            "group",
            {g: _rubles(t.kopecks) for g, t in groups.items()},
        )
        yield GaugeMetricFamily("dmsbot_payments_succeeded", "Payments confirmed", value=f.payments.count)
        yield GaugeMetricFamily(
            "dmsbot_payments_succeeded_amount_rubles",
            "Amount of the payments confirmed",
            value=_rubles(f.payments.kopecks),
        )
        yield GaugeMetricFamily("dmsbot_refunds_succeeded", "Refunds confirmed", value=f.refunds.count)
        yield GaugeMetricFamily(
            "dmsbot_refunds_succeeded_amount_rubles",
            "Amount of the refunds confirmed",
            value=_rubles(f.refunds.kopecks),
        )
        yield GaugeMetricFamily("dmsbot_disputes_open", "Disputes waiting for an answer", value=f.disputes_open)
        yield GaugeMetricFamily(
            "dmsbot_disputes_late", "Open disputes past their answer's deadline", value=f.disputes_late
        )
        yield _labelled(
            "dmsbot_requests_open",
            "Requests (request) and questions to support (question) waiting for an answer",
            "kind",
            {"request": f.requests_open, "question": f.questions_open},
        )


def _labelled(name: str, documentation: str, label: str, values: dict[str, float]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=(label,))
    for key, value in values.items():
        family.add_metric((key,), value)
    return family
