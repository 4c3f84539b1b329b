"""The bot process's composition over the root: handlers get every use case of the container by name, and
the FSM storage shares the container's one Redis client without closing it."""

from __future__ import annotations

import asyncio

import pytest

from tests.harness import BotHarness


async def test_handlers_get_every_use_case_of_the_container_by_name(harness: BotHarness) -> None:
    for name, use_case in harness.container.use_cases().items():
        assert harness.dp[name] is use_case
    assert harness.dp["settings"] is harness.settings and harness.dp["clock"] is harness.container.clock


async def test_the_fsm_shares_the_one_redis_client_and_leaves_it_open(
    harness_pg_redis: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    h = harness_pg_redis
    assert h.dp.storage.redis is h.container.redis
    assert h.container.viewers.subscribed.is_set()
    await h.dp.emit_shutdown()  # what polling and the webhook application do when they stop: the FSM closes
    await asyncio.sleep(0.3)
    # The client's connections were left alone: the viewer channel (on the same client) is still heard.
    assert h.container.viewers.subscribed.is_set()
    assert "viewer invalidation channel lost" not in caplog.text
