"""A handler's call put in the webhook's answer is prepared as aiogram prepares it for a request: bot
defaults resolved (and dropped when unset), None left out, dates as Unix time, enums as their values, a
file set aside for an upload (then the call cannot go in the answer)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode
from aiogram.methods import BanChatMember, SendDocument, SendMessage, TelegramMethod
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters

from bot.web.telegram_webhook import webhook_values

KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[[InlineKeyboardButton(text="Полисы", callback_data="menu:policies")]] * 3
)
METHODS: list[TelegramMethod[Any]] = [
    SendMessage(chat_id=5, text="<b>Меню</b>", reply_markup=KEYBOARD),
    SendMessage(chat_id=5, text="x", parse_mode=ParseMode.MARKDOWN_V2, reply_parameters=ReplyParameters(message_id=1)),
    BanChatMember(chat_id=-100, user_id=5, until_date=datetime(2026, 12, 1, tzinfo=UTC), revoke_messages=False),
]


@pytest.fixture
def bot() -> Bot:
    return Bot("42:REPLY", default=DefaultBotProperties(parse_mode=ParseMode.HTML))  # no request is made


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.__api_method__)
def test_a_reply_is_prepared_as_aiogram_prepares_a_request(bot: Bot, method: TelegramMethod[Any]) -> None:
    dumped = method.model_dump(warnings=False, exclude_none=True)
    ours: dict[str, Any] = {}
    values = webhook_values(dumped, bot, ours)
    assert values == bot.session.prepare_value(dumped, bot=bot, files={}, _dumps_json=False) and not ours
    assert None not in values.values()


def test_the_defaults_dates_and_enums_come_out_as_telegram_reads_them(bot: Bot) -> None:
    menu, quoted, ban = (webhook_values(m.model_dump(warnings=False, exclude_none=True), bot, {}) for m in METHODS)
    assert menu["parse_mode"] == "HTML" and "link_preview_options" not in menu  # a default set, one unset
    assert menu["reply_markup"]["inline_keyboard"][2] == [{"text": "Полисы", "callback_data": "menu:policies"}]
    assert quoted["parse_mode"] == "MarkdownV2"
    assert quoted["reply_parameters"] == {"message_id": 1, "quote_parse_mode": "HTML"}  # a nested default
    assert ban["until_date"] == str(round(datetime(2026, 12, 1, tzinfo=UTC).timestamp()))


def test_a_file_is_set_aside(bot: Bot) -> None:
    method = SendDocument(chat_id=5, document=BufferedInputFile(b"%PDF", filename="memo.pdf"))
    files: dict[str, Any] = {}
    values = webhook_values(method.model_dump(warnings=False, exclude_none=True), bot, files)
    [(key, document)] = files.items()
    assert values["document"] == f"attach://{key}" and document is method.document
