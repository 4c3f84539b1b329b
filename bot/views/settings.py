"""Settings: language, notifications per kind, e-mail, an adult relative's service names shown to her
holder; and the steps of changing the e-mail."""

from __future__ import annotations

from html import escape

from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from bot.callbacks.cabinet import EmailCb, NotificationCb, ServicesSharingCb
from bot.callbacks.common import MenuCb
from bot.screens import Screen
from bot.views.kit import button, keyboard, lines, variant
from bot.views.navigation import menu_button
from core.services.settings import CodeSent, EmailConfirmed, ServicesSharing, SettingsOverview

TO_SETTINGS = MenuCb(section="settings")


def settings_screen(i18n: I18nContext, overview: SettingsOverview) -> Screen:
    email, notifications, sharing = overview.email, overview.notifications, overview.sharing

    def state(on: bool) -> str:
        return i18n.get("settings-on" if on else "settings-off")

    text = lines(
        i18n.get("settings-title"),
        i18n.get("settings-language", language=i18n.get(f"language-name-{i18n.locale}")),
        i18n.get("settings-email", email=escape(email)) if email else i18n.get("settings-email-none"),
        "",
        i18n.get("settings-notifications"),
        *(i18n.get(f"settings-notify-{kind}-line", state=state(on)) for kind, on in notifications.items()),
        *(_sharing_lines(i18n, sharing, state(sharing.shared)) if sharing else ()),
    )
    return text, keyboard(
        *(
            [button(i18n.get(f"settings-notify-{kind}-button", state=state(on)), NotificationCb(kind=kind))]
            for kind, on in notifications.items()
        ),
        _sharing_row(i18n, sharing, state(sharing.shared)) if sharing else [],
        [button(i18n.get("settings-language-button"), MenuCb(section="language"))],
        [button(i18n.get("settings-email-button"), EmailCb(action="change"))],
        [menu_button(i18n)],
    )


def _sharing_lines(i18n: I18nContext, sharing: ServicesSharing, state: str) -> tuple[str, ...]:
    line = i18n.get("settings-sharing-line", holder=escape(sharing.holder_name), state=state)
    return i18n.get("settings-sharing-title"), line, i18n.get("settings-sharing-note")


def _sharing_row(i18n: I18nContext, sharing: ServicesSharing, state: str) -> list:
    data = ServicesSharingCb(allow=not sharing.shared, holder_id=sharing.holder_id)
    return [button(i18n.get("settings-sharing-button", state=state), data)]


def email_prompt_screen(i18n: I18nContext) -> Screen:
    return i18n.get("settings-email-prompt"), keyboard([button(i18n.get("button-cancel"), TO_SETTINGS)])


def code_sent_screen(i18n: I18nContext, address: str, sent: CodeSent) -> Screen:
    """After an attempt to mail a code: where it went and what to do, or why it did not go."""
    if sent.refusal is None:
        text = i18n.get("settings-email-code-sent", email=escape(address))
    else:
        text = i18n.get(variant("settings-email-refused", sent.refusal), seconds=sent.retry_after)
    return text, _code_keyboard(i18n, resend=sent.awaits_code)


def code_checked_screen(i18n: I18nContext, confirmed: EmailConfirmed) -> Screen:
    if confirmed.reason == "ok":
        return i18n.get("settings-email-changed"), keyboard([button(i18n.get("settings-back-button"), TO_SETTINGS)])
    text = i18n.get(f"settings-email-code-{confirmed.reason}", tries=confirmed.tries_left)
    return text, _code_keyboard(i18n, resend=confirmed.reason != "taken")


def email_message(i18n: I18nContext, code: str) -> tuple[str, str]:
    """Subject and body of the e-mail with the code (the body's only run of six digits)."""
    return i18n.get("settings-email-subject"), i18n.get("settings-email-body", code=code)


def _code_keyboard(i18n: I18nContext, *, resend: bool) -> InlineKeyboardMarkup:
    resend_row = [button(i18n.get("settings-email-resend-button"), EmailCb(action="resend"))]
    return keyboard(resend_row if resend else [], [button(i18n.get("button-cancel"), TO_SETTINGS)])
