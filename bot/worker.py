"""The scheduled jobs and the outbox sender, run by the one active process (`core.infra.leader`).

`python -m bot worker` runs this; on the embedded default (SQLite) `run` runs it in-process. With
several workers, the others wait for the lock and take over when the active one dies. The jobs are
defined here, on APScheduler 3 (in-process, jobs in code); each is idempotent and safe to run twice:

(each also once at start, when this process becomes the active one)
- daily billing (overdue, restriction, restoration): every day at 00:05;
- reminders (invoices, disputes to staff, ended policies): every 15 minutes, in REMINDER_HOURS only;
- stale payments and refunds read back from YooKassa: every 5 minutes;
- queued automatic charges made (or read back): every 5 minutes; card expiry notices: every hour;
- expiry of codes, counters and unused invite links: every hour;
- broadcasts whose queuing was cut off (a process stopped or killed mid-queuing) queued on: every minute.
- retention (RETAIN_*: unfinished registrations, attempts, unregistered questions, audit): every day at 03:30.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.outbox_sender import OutboxSender
from core.bootstrap import Container
from core.infra.leader import Leadership

log = logging.getLogger(__name__)


class Worker:
    def __init__(self, container: Container, sender: OutboxSender, leadership: Leadership) -> None:
        self.container = container
        self.sender = sender
        self.leadership = leadership
        self.active = asyncio.Event()  # set while this process is the leader (tests and logs)
        self._task: asyncio.Task | None = None

    def jobs(self) -> dict[str, tuple[Callable[[], Awaitable[object]], object]]:
        """Name → (what it runs, when)."""
        c = self.container
        zone = c.clock.zone
        return {
            "billing_daily": (c.billing.run_daily, CronTrigger(hour=0, minute=5, timezone=zone)),
            "reminders": (c.reminders.run, IntervalTrigger(minutes=15)),
            "payments_read_back": (c.payments.read_back_stale, IntervalTrigger(minutes=5)),
            "autopay": (c.cards.charge_queued, IntervalTrigger(minutes=5)),
            "card_expiry": (c.cards.expiry_notices, IntervalTrigger(hours=1)),
            "expiry": (c.housekeeping.expire, IntervalTrigger(hours=1)),
            "broadcasts": (c.broadcasts.resume, IntervalTrigger(minutes=1)),
            "retention": (c.retention.run, CronTrigger(hour=3, minute=30, timezone=zone)),
        }

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="worker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            await self.leadership.acquire()
            log.info("worker: active, running the jobs")
            scheduler = self._scheduler()
            scheduler.start()
            self.sender.start()
            self.active.set()
            try:
                await self.leadership.lost.wait()
                log.error("worker: leadership lost, stopping the jobs")
            finally:
                self.active.clear()
                scheduler.shutdown(wait=False)
                await self.sender.stop()
                await self.leadership.release()

    def _scheduler(self) -> AsyncIOScheduler:
        scheduler = AsyncIOScheduler(timezone=self.container.clock.zone)
        for name, (job, trigger) in self.jobs().items():
            # coalesce + one instance: a job that overran or was missed runs once, never twice at a time.
            scheduler.add_job(
                _quiet_when_stopped(self._logged(name, job)),
                trigger,
                id=name,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=3600,
            )
        # At start (a new leader), every job once: the daily one catches up missed days, the others find
        # what is due; each is idempotent, so a takeover repeats nothing.
        jobs = [self._logged(name, job) for name, (job, _) in self.jobs().items()]

        async def catch_up() -> None:  # in order: the daily job's statuses first, then who is reminded
            for job in jobs:
                await job()

        scheduler.add_job(_quiet_when_stopped(catch_up), id="at_start")  # no trigger: now
        return scheduler

    def _logged(self, name: str, job: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[None]]:
        """The job counted (`dmsbot_jobs_run_total`, `…_failed_total`) and logged; a failure waits for the
        next run."""
        metrics = self.container.metrics

        async def run() -> None:
            try:
                with metrics.job(name):
                    result = await job()
            except Exception:
                log.exception("job %s failed", name)
                return
            log.info("job %s: %s", name, result)

        return run


def _quiet_when_stopped(job: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
    """A job cut short because the process stops ends quietly: the scheduler would log the cancellation as a
    failure with its traceback (every sandbox quit within a minute of its start showed one). What the job
    did not finish, its next run does: every job is idempotent."""

    async def run() -> None:
        try:
            await job()
        except asyncio.CancelledError:
            log.info("a job was stopped with the worker")

    return run
