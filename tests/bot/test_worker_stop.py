"""A job cut short by the process stopping ends quietly: the scheduler logs no failure and no traceback
(a sandbox quit right after its start used to print one)."""

from __future__ import annotations

import asyncio
import logging

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.worker import _quiet_when_stopped


@pytest.mark.parametrize("guarded", [True, False])
async def test_a_job_cancelled_at_stop_logs_no_failure(guarded: bool, caplog: pytest.LogCaptureFixture) -> None:
    started = asyncio.Event()

    async def long_job() -> None:
        started.set()
        await asyncio.Event().wait()  # still running when the process stops

    scheduler = AsyncIOScheduler()
    scheduler.add_job(_quiet_when_stopped(long_job) if guarded else long_job, id="at_start")
    with caplog.at_level(logging.INFO):
        scheduler.start()
        await asyncio.wait_for(started.wait(), 10)
        scheduler.shutdown(wait=False)
        running = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in running:  # what asyncio.run does to the tasks left when the main coroutine ends
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
    failures = [record for record in caplog.records if record.levelno >= logging.ERROR]
    # Unguarded, the scheduler reports the cancellation as a failure: the check can tell the two apart.
    assert (failures == []) is guarded
