"""A message update's last message returned for the webhook's answer (bot/middlewares/held_message.py): the
screens of /policies and /invoices come back from the dispatcher instead of being sent, and whatever else
the update sends still reaches the chat in the order it was made."""

from __future__ import annotations

import asyncio

import pytest
from aiogram import Dispatcher
from aiogram.filters import Command
from aiogram.methods import SendMessage
from aiogram.types import Message

from bot.middlewares.held_message import ReturnedMessage, hold
from tests.bot.cabinet_fixtures import IVANOV, cabinet_chat, import_samples


@pytest.mark.parametrize("command", ["/policies", "/invoices"])
async def test_a_screen_answering_a_command_is_returned_not_sent(harness, command: str) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    calls = len(harness.emulator.calls)
    result = await harness.dp.feed_raw_update(harness.bot, harness.emulator.user_message(chat.user, command))
    assert isinstance(result, SendMessage) and result.chat_id == chat.user.id
    assert "sendMessage" not in [method for method, _ in harness.emulator.calls[calls:]]
    await harness.bot(result)  # as Telegram makes the webhook's answer
    assert harness.emulator.last(chat.user.id).html == result.text


def _dispatcher(handler) -> Dispatcher:
    dp = Dispatcher()
    dp.message.middleware(ReturnedMessage())
    dp.message.register(handler, Command("go"))
    return dp


async def test_the_held_message_goes_before_any_other_request_of_the_update(harness) -> None:
    async def handler(message: Message) -> None:
        await hold(message.answer("one"))
        await message.answer("two")  # not held: the one held goes first
        await hold(message.answer("three"))
        await hold(message.answer("four"))  # the one held before is sent now

    user = harness.chat().user
    result = await _dispatcher(handler).feed_raw_update(harness.bot, harness.emulator.user_message(user, "/go"))
    assert [m.text for m in harness.emulator.messages(user.id)] == ["one", "two", "three"]
    assert isinstance(result, SendMessage) and result.text == "four"


async def test_after_a_failure_or_beside_a_returned_call_the_held_message_is_sent(harness) -> None:
    async def failing(message: Message) -> None:
        await hold(message.answer("before the failure"))
        raise RuntimeError("boom")

    async def returning(message: Message) -> SendMessage:
        await hold(message.answer("held"))
        return message.answer("returned")

    user = harness.chat().user
    with pytest.raises(RuntimeError):
        await _dispatcher(failing).feed_raw_update(harness.bot, harness.emulator.user_message(user, "/go"))
    result = await _dispatcher(returning).feed_raw_update(harness.bot, harness.emulator.user_message(user, "/go"))
    assert [m.text for m in harness.emulator.messages(user.id)] == ["before the failure", "held"]
    assert isinstance(result, SendMessage) and result.text == "returned"


async def test_a_task_the_handler_started_sends_at_once_and_the_returned_message_goes_once(harness) -> None:
    later: list[asyncio.Task] = []

    async def handler(message: Message) -> None:
        await hold(message.answer("screen"))

        async def after() -> None:
            await message.answer("progress")  # the screen is the webhook's answer now: not sent from here
            await hold(message.answer("done"))  # the update is over: sent at once

        later.append(asyncio.create_task(after()))

    user = harness.chat().user
    result = await _dispatcher(handler).feed_raw_update(harness.bot, harness.emulator.user_message(user, "/go"))
    await later[0]
    assert isinstance(result, SendMessage) and result.text == "screen"
    assert [m.text for m in harness.emulator.messages(user.id)] == ["progress", "done"]


async def test_outside_a_message_update_a_held_message_is_sent_at_once(harness) -> None:
    user = harness.chat().user
    harness.emulator.user_message(user, "hello")  # the chat, as the emulator knows it once the user wrote
    await hold(SendMessage(chat_id=user.id, text="at once").as_(harness.bot))
    assert [m.text for m in harness.emulator.messages(user.id)] == ["at once"]
