"""setMyCommands, getMyCommands and deleteMyCommands with scopes, as strict as the Bot API: each scope type
with the fields it takes, a chat scope for a chat the bot knows, command names and descriptions checked."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeChatAdministrators,
    BotCommandScopeChatMember,
    BotCommandScopeDefault,
)

from emulators.telegram import TelegramEmulator, TgGroup, TgUser

TOKEN = "123456:TEST-token_x"
ALICE = TgUser(id=1001, first_name="Алиса")
TEAM = TgGroup(id=-1001234567890, title="Team")
MENU = [BotCommand(command="menu", description="Главное меню")]


@pytest.fixture
async def emu() -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator() as emulator:
        yield emulator


@pytest.fixture
async def bot(emu: TelegramEmulator) -> AsyncIterator[Bot]:
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(emu.base_url)))
    yield bot
    await bot.session.close()


async def test_a_chat_scope_is_set_read_and_reset_per_language(emu: TelegramEmulator, bot: Bot) -> None:
    emu.user_message(ALICE, "/start")  # the chat exists once the user wrote
    await bot.set_my_commands(MENU, scope=BotCommandScopeDefault())
    staff = [*MENU, BotCommand(command="admin", description="Служебное меню")]
    await bot.set_my_commands(staff, scope=BotCommandScopeChat(chat_id=ALICE.id))
    await bot.set_my_commands(
        [BotCommand(command="admin", description="Staff desk")],
        scope=BotCommandScopeChat(chat_id=str(ALICE.id)),
        language_code="en",
    )
    assert [c["command"] for c in emu.chat_commands(ALICE.id)] == ["menu", "admin"]
    assert [c["command"] for c in emu.chat_commands(ALICE.id, "en")] == ["admin"]
    read = await bot.get_my_commands(scope=BotCommandScopeChat(chat_id=ALICE.id), language_code="en")
    assert [(c.command, c.description) for c in read] == [("admin", "Staff desk")]
    await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id=ALICE.id))
    assert emu.chat_commands(ALICE.id) is None and emu.chat_commands(ALICE.id, "en") is not None
    assert await bot.get_my_commands(scope=BotCommandScopeChat(chat_id=ALICE.id)) == []
    assert [c.command for c in await bot.get_my_commands()] == ["menu"]  # the default list is apart
    await bot.set_my_commands([], scope=BotCommandScopeChat(chat_id=ALICE.id), language_code="en")  # empty: reset
    assert emu.chat_commands(ALICE.id, "en") is None
    await bot.set_my_commands(MENU, scope=BotCommandScopeAllPrivateChats())
    emu.group_joined(TEAM, ALICE)
    await bot.set_my_commands(MENU, scope=BotCommandScopeChatAdministrators(chat_id=TEAM.id))
    await bot.set_my_commands(MENU, scope=BotCommandScopeChatMember(chat_id=TEAM.id, user_id=ALICE.id))


@pytest.mark.parametrize(
    ("scope", "error"),
    [
        ({"type": "everyone"}, "unsupported bot command scope type"),
        ({"chat_id": 1001}, 'Can\'t find field \\"type\\"'),
        ({"type": "chat"}, 'Can\'t find field \\"chat_id\\"'),
        ({"type": "chat", "chat_id": 4242}, "chat not found"),  # never wrote to the bot
        ({"type": "chat", "chat_id": "@alice"}, "chat not found"),
        ({"type": "chat_administrators", "chat_id": 1001}, "can't use specified scope in private chats"),
        ({"type": "chat_member", "chat_id": 1001, "user_id": 1001}, "can't use specified scope in private chats"),
        ({"type": "chat_member", "chat_id": -1001234567890}, 'Can\'t find field \\"user_id\\"'),
        ({"type": "chat_member", "chat_id": -1001234567890, "user_id": "x"}, "invalid user_id"),
        ("chat", "can't parse BotCommandScope"),
    ],
)
async def test_a_scope_telegram_would_refuse_is_400(emu: TelegramEmulator, scope: object, error: str) -> None:
    emu.user_message(ALICE, "/start")
    emu.group_joined(TEAM, ALICE)
    for method, extra in (
        ("setMyCommands", {"commands": json.dumps([{"command": "menu", "description": "Меню"}])}),
        ("deleteMyCommands", {}),
        ("getMyCommands", {}),
    ):
        data = {"scope": scope if isinstance(scope, str) else json.dumps(scope), **extra}
        async with (
            aiohttp.ClientSession() as http,
            http.post(f"{emu.base_url}/bot{TOKEN}/{method}", data=data) as response,
        ):
            body = await response.json()
        assert response.status == 400 and not body["ok"], (method, body)
        assert error.replace("\\", "") in body["description"], (method, body)
    assert emu.commands == {}


@pytest.mark.parametrize(
    ("commands", "error"),
    [
        ([BotCommand(command="Menu", description="x")], "BOT_COMMAND_INVALID"),
        ([BotCommand(command="/menu", description="x")], "BOT_COMMAND_INVALID"),
        ([BotCommand(command="m" * 33, description="x")], "BOT_COMMAND_INVALID"),
        ([BotCommand(command="меню", description="x")], "BOT_COMMAND_INVALID"),
        ([BotCommand(command="menu", description=" ")], "BOT_COMMAND_DESCRIPTION_INVALID"),
        ([BotCommand(command="menu", description="x" * 257)], "BOT_COMMAND_DESCRIPTION_INVALID"),
        ([BotCommand(command=f"c{i}", description="x") for i in range(101)], "too many commands"),
    ],
)
async def test_command_names_and_descriptions_are_checked(
    emu: TelegramEmulator, bot: Bot, commands: list[BotCommand], error: str
) -> None:
    emu.user_message(ALICE, "/start")
    with pytest.raises(TelegramBadRequest, match=error):
        await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id=ALICE.id))
    with pytest.raises(TelegramBadRequest, match="invalid language code"):
        await bot.set_my_commands(MENU, language_code="english")
    assert emu.commands == {}
