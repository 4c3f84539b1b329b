"""/find, a person's record, and the account actions on it. The text of a /find is kept in the staff
member's desk storage (`StorageKey(destiny="desk")`) for the pager; nothing here reads or writes their own
dialog's state, so a desk action in the middle of their own registration neither loses nor answers it."""

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.callbacks.desk import ActionCb, FindPageCb, RecordCb
from bot.filters import Allowed
from bot.handlers.staff.dialogs import FsmDialogs, desk_key, desk_update
from bot.screens import refuse, show
from bot.views.desk import (
    confirm_screen,
    find_usage,
    found_screen,
    nothing_found,
    outcome_screen,
    record_screen,
)
from bot.views.pages import PageLinks
from core.actors import Capability, Forbidden, Viewer, can
from core.desk.actions import NEEDS
from core.services.desk import DeskService
from core.services.invites import deep_link
from core.settings import Settings

FIND_KEY = "find"  # the desk storage's entry: the last /find text


async def find(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    bot: Bot,
    i18n: I18nContext,
    viewer: Viewer,
    desk: DeskService,
    pages: PageLinks | None,
) -> None:
    text = (command.args or "").strip()
    if not text:
        await message.answer(find_usage(i18n))
        return
    try:
        found = await desk.find(viewer.telegram_id, text)
    except Forbidden:  # the role was revoked since the viewer was cached: as for anyone else
        await message.answer(i18n.get("unknown-command"))
        return
    if not found.people:
        await message.answer(nothing_found(i18n))
        return
    await desk_update(state.storage, bot.id, viewer.telegram_id, **{FIND_KEY: text})
    await show(message, found_screen(i18n, found, 0, pages))


async def find_page(
    callback: CallbackQuery,
    callback_data: FindPageCb,
    state: FSMContext,
    bot: Bot,
    i18n: I18nContext,
    viewer: Viewer,
    desk: DeskService,
    callback_answer: CallbackAnswer,
    pages: PageLinks | None,
) -> None:
    text = (await state.storage.get_data(desk_key(bot.id, viewer.telegram_id))).get(FIND_KEY)
    try:
        found = await desk.find(viewer.telegram_id, text, audit=False) if text else None
    except Forbidden:
        found = None
    if found is None or not found.people:
        refuse(callback_answer, i18n, "button-stale")
        return
    await show(callback, found_screen(i18n, found, callback_data.page, pages))


async def record(
    callback: CallbackQuery,
    callback_data: RecordCb,
    i18n: I18nContext,
    viewer: Viewer,
    desk: DeskService,
    callback_answer: CallbackAnswer,
    pages: PageLinks | None,
) -> None:
    try:
        shown = await desk.record(viewer.telegram_id, callback_data.person_id)
    except Forbidden:
        shown = None
    if shown is None:
        refuse(callback_answer, i18n, "button-stale")
        return
    await show(callback, record_screen(i18n, shown, callback_data.section, callback_data, pages))


async def action_allowed(_: CallbackQuery, callback_data: ActionCb, viewer: Viewer | None = None) -> bool:
    """The role may take this action: anyone else's press (a forged button) falls through to the stale
    alert. The use case decides again with the role it re-reads."""
    return viewer is not None and can(viewer.role, NEEDS[callback_data.action])


async def action(
    callback: CallbackQuery,
    callback_data: ActionCb,
    state: FSMContext,
    bot: Bot,
    i18n: I18nContext,
    viewer: Viewer,
    desk: DeskService,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    person_id, chosen = callback_data.person_id, callback_data.action
    if not callback_data.confirmed:
        await show(callback, confirm_screen(i18n, person_id, chosen))
        return
    # The invite mail is in Russian, the registry's language (the person has no account to say otherwise).
    username = settings.bot_username or (await bot.me()).username
    try:
        outcome = await desk.perform(
            viewer.telegram_id,
            person_id,
            chosen,
            dialogs=FsmDialogs(state.storage, bot.id),
            invite_link=lambda token: deep_link(username, token),
            invite_mail=lambda link: (
                i18n.get("desk-invite-mail-subject", "ru"),
                i18n.get("desk-invite-mail-body", "ru", link=link),
            ),
        )
    except Forbidden:
        outcome = None
    if outcome is None:
        refuse(callback_answer, i18n, "button-stale")
        return
    await show(callback, outcome_screen(i18n, person_id, outcome))


def create_router() -> Router:
    router = Router(name="staff-find")
    router.message.register(find, Command("find"), Allowed(Capability.FIND_PEOPLE))
    router.callback_query.register(find_page, FindPageCb.filter(), Allowed(Capability.FIND_PEOPLE))
    router.callback_query.register(record, RecordCb.filter(), Allowed(Capability.VIEW_RECORD))
    router.callback_query.register(action, ActionCb.filter(), action_allowed)
    return router
