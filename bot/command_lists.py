"""The command lists Telegram shows under "/" (setMyCommands): everyone's, per language, and each staff
member's own (`BotCommandScopeChat`): the user commands plus the desk commands their role allows.

Telegram picks a chat's list for the client's language first, else the one without a language; so each
list is set twice: Russian without a language (the default), English for `en`. Set once per deploy
(`run` in polling mode, `set-webhook` in webhook mode) and whenever a role is granted or revoked; a staff
member's `/admin` refreshes their own list (one whose chat Telegram did not know yet: they never wrote).
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from aiogram_i18n.cores import FluentRuntimeCore

from core.actors import Role, is_staff, staff_commands
from core.language import DEFAULT_LANGUAGE, LANGUAGES

log = logging.getLogger(__name__)

# Everyone's commands, in the order of /help.
USER_COMMANDS = (
    "start",
    "menu",
    "policies",
    "clinics",
    "invoices",
    "pay",
    "payments",
    "requests",
    "settings",
    "language",
    "help",
    "cancel",
    "delete_me",
)


def user_commands(i18n: FluentRuntimeCore, language: str) -> list[BotCommand]:
    return [BotCommand(command=c, description=i18n.get(f"command-{c}", language)) for c in USER_COMMANDS]


def staff_list(i18n: FluentRuntimeCore, language: str, role: Role) -> list[BotCommand]:
    """A staff member's list: the user commands, then the desk's their role allows."""
    desk = [BotCommand(command=c, description=i18n.get(f"desk-command-{c}", language)) for c in staff_commands(role)]
    return [*user_commands(i18n, language), *desk]


def _language_code(language: str) -> str | None:
    return None if language == DEFAULT_LANGUAGE else language


async def set_user_lists(bot: Bot, i18n: FluentRuntimeCore) -> None:
    for language in LANGUAGES:
        await bot.set_my_commands(
            user_commands(i18n, language), scope=BotCommandScopeDefault(), language_code=_language_code(language)
        )


async def set_chat_list(bot: Bot, i18n: FluentRuntimeCore, telegram_id: int, role: Role) -> bool:
    """This member's own list for `role`, or theirs reset to everyone's when `role` is no staff role. False
    (logged, by id only) when Telegram refused, e.g. a chat it does not know: the role holds regardless."""
    scope = BotCommandScopeChat(chat_id=telegram_id)
    try:
        for language in LANGUAGES:
            code = _language_code(language)
            if is_staff(role):
                await bot.set_my_commands(staff_list(i18n, language, role), scope=scope, language_code=code)
            else:
                await bot.delete_my_commands(scope=scope, language_code=code)
    except TelegramAPIError as exc:
        # A chat Telegram does not know (the member never wrote to the bot) is expected: their /admin sets it.
        level = logging.INFO if "chat not found" in exc.message else logging.WARNING
        log.log(level, "command list of chat %s not set: %s", telegram_id, exc.message)
        return False
    return True


async def set_all_lists(bot: Bot, i18n: FluentRuntimeCore, staff: list[tuple[int, Role]]) -> None:
    """Everyone's lists, then each staff member's; a failure is logged and the process goes on."""
    try:
        await set_user_lists(bot, i18n)
    except TelegramAPIError as exc:
        log.warning("the command lists were not set: %s", exc.message)
        return
    for telegram_id, role in staff:
        await set_chat_list(bot, i18n, telegram_id, role)
