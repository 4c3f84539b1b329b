"""A strict Telegram Bot API emulator on loopback, for tests, the chat sandbox and benchmarks.

A real aiogram ``Bot`` talks to it through
``AiohttpSession(api=TelegramAPIServer.from_base(emulator.base_url))``. The emulator plays
Telegram and every user: ``user_message`` / ``user_press`` / ... build the updates a user's
actions would produce, ``deliver`` hands them to the bot (getUpdates or webhook), and
``messages`` / ``last`` show what the bot put into each chat.

It refuses what real Telegram refuses, with the same HTTP codes and descriptions (taken from
tdlib/telegram-bot-api and tdlib's HTML parser), so that a flow which passes here does not fail
against the real server. Where it is stricter than Telegram it says so in the description.
Only aiohttp and the standard library are used.

The package, by job: ``protocol`` (limits, error answers, request arguments), ``entities``
(the HTML parse mode and UTF-16 lengths), ``markup`` (reply markup validation), ``models``
(users, the transcript of what the bot sent, stored files), ``flood`` (Telegram's flood limits, off
unless turned on), and the emulator itself in
``server`` (HTTP server, lifecycle, inspection), put together from ``users``
(what users do), ``updates`` (getUpdates and the webhook) and ``methods`` (the other Bot API
methods).
"""

from emulators.telegram.entities import parse_html
from emulators.telegram.flood import FloodStats
from emulators.telegram.models import SentMessage, TgGroup, TgUser
from emulators.telegram.protocol import MAX_CAPTION, MAX_TEXT, ApiError
from emulators.telegram.server import TelegramEmulator

__all__ = [
    "MAX_CAPTION",
    "MAX_TEXT",
    "ApiError",
    "FloodStats",
    "SentMessage",
    "TelegramEmulator",
    "TgGroup",
    "TgUser",
    "parse_html",
]
