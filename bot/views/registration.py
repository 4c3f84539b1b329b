"""What the registration dialog shows: prompts with their buttons, from plain data."""

from __future__ import annotations

from datetime import date
from html import escape

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    WebAppInfo,
)
from aiogram_i18n import I18nContext

from bot.callbacks.common import ConsentCb, RegCb
from bot.views.kit import day
from bot.views.navigation import support_button
from core.errors import InputError
from core.normalize.phone import mask_phone
from core.registration import OPTIONAL_STEPS, Step

Screen = tuple[str, InlineKeyboardMarkup | ReplyKeyboardMarkup | None]


def _button(i18n: I18nContext, key: str, action: str, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(text=i18n.get(key), callback_data=RegCb(action=action, value=value).pack())


def _back_cancel(i18n: I18nContext) -> list[InlineKeyboardButton]:
    return [_button(i18n, "button-back", "back"), _button(i18n, "button-cancel", "cancel")]


def consent(i18n: I18nContext, kind: str) -> Screen:
    required = kind != "notifications"
    yes, no = ("reg-consent-agree", "reg-consent-decline") if required else ("reg-consent-yes", "reg-consent-no")
    keyboard = [
        [
            InlineKeyboardButton(text=i18n.get(yes), callback_data=ConsentCb(kind=kind, granted=True).pack()),
            InlineKeyboardButton(text=i18n.get(no), callback_data=ConsentCb(kind=kind, granted=False).pack()),
        ]
    ]
    return i18n.get(f"reg-consent-{kind}"), InlineKeyboardMarkup(inline_keyboard=keyboard)


def choose_way(i18n: I18nContext) -> Screen:
    keyboard = [
        [_button(i18n, "reg-way-policy", "way", "policy")],
        [_button(i18n, "reg-way-personal", "way", "personal")],
        [_button(i18n, "button-cancel", "cancel")],
    ]
    return i18n.get("reg-way-choose"), InlineKeyboardMarkup(inline_keyboard=keyboard)


def question(i18n: I18nContext, step: Step) -> Screen:
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


def invalid(i18n: I18nContext, error: InputError, step: Step) -> Screen:
    """What was wrong with the answer, with an example; the question stays (its buttons too)."""
    problem = i18n.get(f"error-{error.code.replace('.', '-')}")
    text = i18n.get("reg-invalid", problem=problem, example=i18n.get(f"reg-example-{step.value}"))
    return text, question(i18n, step)[1] if step is not Step.PHONE else None


def code_prompt(i18n: I18nContext, text: str, *, by_email: bool, review: bool) -> Screen:
    """Waiting for a code: send it again, prove by e-mail instead (after the phone), "no code? check what
    you typed" (until a channel is proven: for everyone alike), back, cancel."""
    keyboard = [[_button(i18n, "reg-code-resend", "resend")]]
    if by_email:
        keyboard.append([_button(i18n, "reg-prove-by-email", "by_email")])
    if review:
        keyboard.append([_button(i18n, "reg-review-open", "review")])
    keyboard.append(_back_cancel(i18n))
    return text, InlineKeyboardMarkup(inline_keyboard=keyboard)


def review(
    i18n: I18nContext, answers: tuple[tuple[Step, str], ...], *, can_wait: bool, page: str | None = None
) -> Screen:
    """The user's own answers listed back (`core.registration.reviewed`), each with a button to change
    it; submit again, back to the code (when still awaited), a question to support, cancel. In the Mini App
    mode (`page`: its address) the list is that page, opened by a button: the chat shows no answer."""
    keyboard = [[_button(i18n, f"reg-change-{step.value}", "change", step.value)] for step, _ in answers]
    if page is not None:
        text = i18n.get("reg-review-page")
        keyboard.insert(0, [InlineKeyboardButton(text=i18n.get("reg-review-page-open"), web_app=WebAppInfo(url=page))])
    else:
        text = "\n".join([i18n.get("reg-review"), *(_answer(i18n, step, value) for step, value in answers)])
    keyboard.append([_button(i18n, "reg-review-submit", "resubmit")])
    if can_wait:
        keyboard.append([_button(i18n, "reg-review-wait", "wait")])
    keyboard.append([support_button(i18n)])
    keyboard.append([_button(i18n, "button-cancel", "cancel")])
    return text, InlineKeyboardMarkup(inline_keyboard=keyboard)


def _answer(i18n: I18nContext, step: Step, value: str) -> str:
    return i18n.get(f"reg-review-{step.value}", value=_shown(i18n, step, value) or i18n.get("reg-review-none"))


def _shown(i18n: I18nContext, step: Step, value: str) -> str:
    if step is Step.BIRTH_DATE and value:
        return day(i18n, date.fromisoformat(value))
    if step is Step.PHONE and value:
        return mask_phone(value)  # a phone is shown masked in every message, the user's own included
    return escape(value)


def ended(i18n: I18nContext, key: str, *, support: bool = False) -> Screen:
    """The dialog is over: the way on is to start again, or to write to support."""
    keyboard = [[_button(i18n, "reg-try-again", "restart")]]
    if support:
        keyboard.append([support_button(i18n)])
    return i18n.get(key), InlineKeyboardMarkup(inline_keyboard=keyboard)


def resume(i18n: I18nContext) -> Screen:
    """/start in the middle of the dialog: continue, or start over."""
    keyboard = [[_button(i18n, "reg-continue", "continue")], [_button(i18n, "reg-start-over", "restart")]]
    return i18n.get("reg-resume"), InlineKeyboardMarkup(inline_keyboard=keyboard)
