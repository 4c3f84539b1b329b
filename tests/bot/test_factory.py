"""The bot process's composition over the root: handlers get every use case of the container by name (not
carried through the routing), and the FSM storage shares the container's one Redis client without closing it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiogram import Router
from aiogram.types import Poll, Update

from bot.factory.telegram import create_dispatcher
from tests.harness import BotHarness


async def test_handlers_get_every_use_case_of_the_container_by_name(harness: BotHarness) -> None:
    dp = create_dispatcher(harness.container, harness.i18n)
    filtered: dict[str, Any] = {}
    handled: dict[str, Any] = {}
    probe = Router(name="probe")  # after the bot's routers, none of which takes a poll

    async def routing(_: Poll, **data: Any) -> bool:
        filtered.update(data)
        return True

    @probe.poll(routing)
    async def handler(_: Poll, **data: Any) -> None:
        handled.update(data)

    dp.include_router(probe)
    poll = {"id": "1", "question": "?", "options": [], "total_voter_count": 0, "is_closed": True}
    poll |= {"is_anonymous": True, "type": "regular", "allows_multiple_answers": False}
    poll |= {"allows_revoting": False, "members_only": False}
    await dp.feed_update(harness.bot, Update.model_validate({"update_id": 1, "poll": poll}))
    use_cases = harness.container.use_cases()
    assert use_cases and all(handled[name] is use_case for name, use_case in use_cases.items())
    assert handled["settings"] is harness.settings and handled["clock"] is harness.container.clock
    # Filters see the settings and the clock, and no use case: the routing carries none from router to router.
    assert filtered["settings"] is harness.settings and filtered["clock"] is harness.container.clock
    assert not filtered.keys() & use_cases.keys()


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
