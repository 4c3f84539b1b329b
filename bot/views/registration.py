"""What the registration dialog shows: prompts with their buttons, from plain data."""

from __future__ import annotations

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from aiogram_i18n import I18nContext

from bot.keyboards.callbacks import ConsentCb, RegCb
from core.registration import OPTIONAL_STEPS, Step


def _button(i18n: I18nContext, key: str, action: str, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(text=i18n.get(key), callback_data=RegCb(action=action, value=value).pack())


def _back_cancel(i18n: I18nContext) -> list[InlineKeyboardButton]:
    return [_button(i18n, "button-back", "back"), _button(i18n, "button-cancel", "cancel")]


def consent(i18n: I18nContext, kind: str) -> tuple[str, InlineKeyboardMarkup]:
    required = kind != "notifications"
    yes, no = ("reg-consent-agree", "reg-consent-decline") if required else ("reg-consent-yes", "reg-consent-no")
    keyboard = [[
        InlineKeyboardButton(text=i18n.get(yes), callback_data=ConsentCb(kind=kind, granted=True).pack()),
        InlineKeyboardButton(text=i18n.get(no), callback_data=ConsentCb(kind=kind, granted=False).pack()),
    ]]
    return i18n.get(f"reg-consent-{kind}"), InlineKeyboardMarkup(inline_keyboard=keyboard)


def choose_way(i18n: I18nContext) -> tuple[str, InlineKeyboardMarkup]:
    keyboard = [
        [_button(i18n, "reg-way-policy", "way", "policy")],
        [_button(i18n, "reg-way-personal", "way", "personal")],
        [_button(i18n, "button-cancel", "cancel")],
    ]
    return i18n.get("reg-way-choose"), InlineKeyboardMarkup(inline_keyboard=keyboard)


def question(i18n: I18nContext, step: Step) -> tuple[str, InlineKeyboardMarkup | ReplyKeyboardMarkup]:
    text = i18n.get(f"reg-ask-{step.value}")
    if step is Step.PHONE:
        # A reply keyboard: only it can ask Telegram for the user's own number.
        return text, ReplyKeyboardMarkup(
            keyboard=[
                [KeyboardButton(text=i18n.get("reg-share-phone"), request_contact=True)],
                [KeyboardButton(text=i18n.get("button-back")), KeyboardButton(text=i18n.get("button-cancel"))],
            ],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
    rows = [_back_cancel(i18n)]
    if step in OPTIONAL_STEPS:
        rows.insert(0, [_button(i18n, f"reg-skip-{step.value}", "skip")])
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def code_prompt(i18n: I18nContext, key: str, **kwargs: object) -> tuple[str, InlineKeyboardMarkup]:
    """"The code was sent", or why it was not: either way the user may ask again."""
    keyboard = [[_button(i18n, "reg-code-resend", "resend")], _back_cancel(i18n)]
    return i18n.get(key, **kwargs), InlineKeyboardMarkup(inline_keyboard=keyboard)


def try_again(i18n: I18nContext, key: str, **kwargs: object) -> tuple[str, InlineKeyboardMarkup]:
    keyboard = [[_button(i18n, "reg-try-again", "restart")]]
    return i18n.get(key, **kwargs), InlineKeyboardMarkup(inline_keyboard=keyboard)
