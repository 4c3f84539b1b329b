"""/settings: language (the /language flow), notifications per kind, and the e-mail, which changes
only once the new address is proven with a code mailed to it."""

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from bot.keyboards.cabinet import EmailCb, NotificationCb
from bot.keyboards.callbacks import MenuCb
from bot.middlewares.registered import registered_router
from bot.screens import show
from bot.states.settings import EmailChange
from bot.views.cabinet import input_error
from bot.views.settings import (
    code_checked_screen,
    code_sent_screen,
    email_message,
    email_prompt_screen,
    settings_screen,
)
from core.cabinet.codes import typed_code
from core.calendar import Clock
from core.db.models import Account
from core.db.uow import UnitOfWork
from core.errors import InputError
from core.gateways.email import EmailSender
from core.normalize import normalize_email
from core.services.otp import OtpService
from core.services.settings import confirm_email, notifications_of, send_email_code, toggle_notification


async def settings(
    event: Message | CallbackQuery, state: FSMContext, i18n: I18nContext, uow: UnitOfWork, account: Account
) -> None:
    await state.set_state(None)
    await show(event, settings_screen(i18n, account.email, await notifications_of(uow, account)))


async def toggle(
    callback: CallbackQuery,
    callback_data: NotificationCb,
    i18n: I18nContext,
    uow: UnitOfWork,
    clock: Clock,
    account: Account,
) -> None:
    notifications = await toggle_notification(uow, account, callback_data.kind, clock)
    await show(callback, settings_screen(i18n, account.email, notifications))


async def ask_email(callback: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(EmailChange.address)
    await show(callback, email_prompt_screen(i18n))


async def email_typed(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    uow: UnitOfWork,
    account: Account,
    otp: OtpService,
    email_sender: EmailSender,
) -> None:
    try:
        address = normalize_email(message.text)
    except InputError as error:
        await message.answer(input_error(i18n, error, "cabinet-example-email"))
        return
    sent = await send_email_code(uow, otp, email_sender, account, address, lambda code: email_message(i18n, code))
    if sent.awaits_code:
        await state.set_state(EmailChange.code)
        await state.update_data(new_email=address)
    elif not sent.address_refused:  # a daily cap: nothing more to do today
        await state.set_state(None)
    await show(message, code_sent_screen(i18n, address, sent))


async def resend(
    callback: CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    uow: UnitOfWork,
    account: Account,
    otp: OtpService,
    email_sender: EmailSender,
) -> None:
    address = (await state.get_data())["new_email"]
    sent = await send_email_code(uow, otp, email_sender, account, address, lambda code: email_message(i18n, code))
    if not sent.awaits_code:
        await state.set_state(None)
    await show(callback, code_sent_screen(i18n, address, sent))


async def code_typed(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    uow: UnitOfWork,
    clock: Clock,
    account: Account,
    otp: OtpService,
) -> None:
    try:
        code = typed_code(message.text)
    except InputError as error:
        await message.answer(input_error(i18n, error, "cabinet-example-code"))
        return
    confirmed = await confirm_email(uow, otp, account, (await state.get_data())["new_email"], code, clock)
    if confirmed.reason in ("ok", "taken"):
        await state.set_state(None)
    await show(message, code_checked_screen(i18n, confirmed))


def create_router() -> Router:
    router = registered_router("settings")
    router.message.register(settings, Command("settings"), StateFilter("*"))
    router.callback_query.register(settings, MenuCb.filter(F.section == "settings"), StateFilter("*"))
    router.callback_query.register(toggle, NotificationCb.filter(), StateFilter("*"))
    router.callback_query.register(ask_email, EmailCb.filter(F.action == "change"), StateFilter("*"))
    router.callback_query.register(resend, EmailCb.filter(F.action == "resend"), EmailChange.code)
    router.message.register(email_typed, EmailChange.address, F.text, ~F.text.startswith("/"))
    router.message.register(code_typed, EmailChange.code, F.text, ~F.text.startswith("/"))
    return router
