"""/settings: language (the /language flow), notifications per kind, the e-mail, which changes
only once the new address is proven with a code mailed to it, and, for an adult relative whose holder
pays for her, whether the holder may read the names of her services."""

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.callbacks.cabinet import EmailCb, NotificationCb, ServicesSharingCb
from bot.callbacks.common import MenuCb
from bot.filters import typed_text
from bot.middlewares.registered import registered_router
from bot.screens import read_typed, refuse, show
from bot.states.settings import EmailChange
from bot.views.settings import (
    code_checked_screen,
    code_sent_screen,
    email_message,
    email_prompt_screen,
    settings_screen,
)
from core.cabinet.codes import typed_code
from core.normalize import normalize_email
from core.services.settings import SettingsService
from core.services.viewers import Viewer


async def settings_start(
    event: Message | CallbackQuery, state: FSMContext, i18n: I18nContext, viewer: Viewer, user_settings: SettingsService
) -> None:
    await state.set_state(None)
    await show(event, settings_screen(i18n, await user_settings.overview(viewer)))


async def toggle(
    callback: CallbackQuery,
    callback_data: NotificationCb,
    i18n: I18nContext,
    viewer: Viewer,
    user_settings: SettingsService,
) -> None:
    await show(callback, settings_screen(i18n, await user_settings.toggle_notification(viewer, callback_data.kind)))


async def share_services(
    callback: CallbackQuery,
    callback_data: ServicesSharingCb,
    i18n: I18nContext,
    viewer: Viewer,
    user_settings: SettingsService,
    callback_answer: CallbackAnswer,
) -> None:
    done = await user_settings.share_services(viewer, callback_data.allow, callback_data.holder_id)
    if done is None:  # not an adult relative with a holder: a forged or outdated button
        refuse(callback_answer, i18n)
        return
    if done.refusal is not None:
        refuse(callback_answer, i18n, "settings-sharing-holder-changed")
    await show(callback, settings_screen(i18n, done.overview))


async def ask_email(callback: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(EmailChange.address)
    await show(callback, email_prompt_screen(i18n))


async def email_typed(
    message: Message, state: FSMContext, i18n: I18nContext, viewer: Viewer, user_settings: SettingsService
) -> None:
    address = await read_typed(message, i18n, normalize_email, "cabinet-example-email")
    if address is None:
        return
    sent = await user_settings.send_email_code(viewer, address, lambda code: email_message(i18n, code))
    if sent.awaits_code:
        await state.set_state(EmailChange.code)
        await state.update_data(new_email=address)
    elif not sent.address_refused:  # a daily cap: nothing more to do today
        await state.set_state(None)
    await show(message, code_sent_screen(i18n, address, sent))


async def resend(
    callback: CallbackQuery, state: FSMContext, i18n: I18nContext, viewer: Viewer, user_settings: SettingsService
) -> None:
    address = (await state.get_data())["new_email"]
    sent = await user_settings.send_email_code(viewer, address, lambda code: email_message(i18n, code))
    if not sent.awaits_code:
        await state.set_state(None)
    await show(callback, code_sent_screen(i18n, address, sent))


async def code_typed(
    message: Message, state: FSMContext, i18n: I18nContext, viewer: Viewer, user_settings: SettingsService
) -> None:
    code = await read_typed(message, i18n, typed_code, "cabinet-example-code")
    if code is None:
        return
    confirmed = await user_settings.confirm_email(viewer, (await state.get_data())["new_email"], code)
    if confirmed.reason in ("ok", "taken"):
        await state.set_state(None)
    await show(message, code_checked_screen(i18n, confirmed))


def create_router() -> Router:
    router = registered_router("settings")
    router.message.register(settings_start, Command("settings"))
    router.callback_query.register(settings_start, MenuCb.filter(F.section == "settings"))
    router.callback_query.register(toggle, NotificationCb.filter())
    router.callback_query.register(share_services, ServicesSharingCb.filter())
    router.callback_query.register(ask_email, EmailCb.filter(F.action == "change"))
    router.callback_query.register(resend, EmailCb.filter(F.action == "resend"), StateFilter(EmailChange.code))
    router.message.register(email_typed, StateFilter(EmailChange.address), typed_text)
    router.message.register(code_typed, StateFilter(EmailChange.code), typed_text)
    return router
