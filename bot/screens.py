"""Putting a screen (text + inline keyboard) on the chat: a button press edits its own message in
place (always a text message: a press under any other is refused before, bot/middlewares/pressed.py), a
command or typed text gets a new message. Texts are HTML; callers escape what they insert. And the
two other answers a handler gives: an alert instead of a screen, and what was wrong with typed text."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.middlewares.held_message import hold
from bot.views.kit import input_error
from core.errors import InputError

T = TypeVar("T")
Screen = tuple[str, InlineKeyboardMarkup | None]
MESSAGE_LIMIT = 4096  # a message's text as Telegram counts it: UTF-16 units, after the HTML is parsed


class Press:
    """What a press did to its screen, for bot/middlewares/pressed.py: `unchanged` when the screen it put
    was the one already there (a double tap, data that has not moved), which the press then says in a popup."""

    __slots__ = ("unchanged",)

    def __init__(self) -> None:
        self.unchanged = False


PRESS: ContextVar[Press | None] = ContextVar("press", default=None)


async def show(event: Message | CallbackQuery, screen: Screen) -> None:
    text, keyboard = screen
    if isinstance(event, Message):
        await hold(event.answer(text, reply_markup=keyboard))  # returned for the webhook's answer to carry
        return
    try:
        await event.message.edit_text(text, reply_markup=keyboard)
    except TelegramBadRequest as exc:
        # Pressing the button of the screen already shown (a double tap) changes nothing: said in a popup.
        if "message is not modified" not in exc.message:
            raise
        if (press := PRESS.get()) is not None:
            press.unchanged = True


def refuse(
    callback_answer: CallbackAnswer, i18n: I18nContext, key: str = "cabinet-not-yours", **values: object
) -> None:
    """An alert instead of a screen: a forged or outdated id, or an action that is not allowed."""
    callback_answer.text = i18n.get(key, **values)
    callback_answer.show_alert = True


async def read_typed(message: Message, i18n: I18nContext, parse: Callable[[str], T], example_key: str) -> T | None:
    """The text of a form's answer read by `parse`; None once the user is told what was wrong with it (and
    shown `example_key`, a right value): the form stays at its step."""
    try:
        return parse(message.text)
    except InputError as error:
        await message.answer(input_error(i18n, error, example_key))
        return None
