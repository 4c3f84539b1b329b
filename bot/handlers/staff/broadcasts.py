"""/broadcast (admins): a message to a segment of the registered people. The dialog: the text (typed),
a button to a bot screen or none, the segment (and, for one contract or one employer, its value, typed),
then a preview — the sample exactly as recipients get it, and how many they are — and Send. The draft
lives in the admin's desk storage (`StorageKey(destiny="desk")`), never in their own dialog's state.

Send records the broadcast and writes its recipients to the outbox a chunk at a time (the handler waits
for that: a webhook update is answered within a second and the rest goes on in the background); the
message then shows its progress, with Refresh and Stop. The worker's sender delivers the rows after every
service notice, within REMINDER_HOURS, and the admin gets a report when the last one has settled. Anyone
else's /broadcast gets the unknown-command answer, their presses the stale-button alert."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.callbacks.desk_broadcasts import BroadcastDraftCb, BroadcastRunCb, DraftStep, RunAction
from bot.filters import Allowed
from bot.handlers.staff.dialogs import desk_data, desk_update
from bot.handlers.staff.refusals import refused_press
from bot.screens import show
from bot.views import desk_broadcasts as views
from bot.views.kit import input_error
from core.actors import Capability, Forbidden, Viewer, is_staff
from core.desk.broadcasts import Segment, broadcast_text, segment_value
from core.errors import InputError
from core.services.broadcasts import BroadcastService
from core.settings import Settings

DRAFT_KEY = "broadcast"  # the desk storage's entry: {"waiting": "text" | "value", "text", "screen", "segment", "value"}


async def broadcast_command(message: Message, state: FSMContext, bot: Bot, i18n: I18nContext, viewer: Viewer) -> None:
    """A new draft (replacing any): the role is read again by the preview and by Send."""
    await desk_update(state.storage, bot.id, viewer.telegram_id, **{DRAFT_KEY: {"waiting": "text"}})
    await show(message, views.ask_text(i18n))


async def waiting_for_text(message: Message, bot: Bot, state: FSMContext, viewer: Viewer | None = None) -> bool:
    """An admin's typed text while their broadcast draft waits for its text or a segment's value."""
    if viewer is None or not is_staff(viewer.role) or message.text is None or message.text.startswith("/"):
        return False
    draft = (await desk_data(state.storage, bot.id, viewer.telegram_id)).get(DRAFT_KEY)
    return isinstance(draft, dict) and draft.get("waiting") in ("text", "value")


async def typed(
    message: Message,
    state: FSMContext,
    bot: Bot,
    i18n: I18nContext,
    viewer: Viewer,
    broadcasts: BroadcastService,
    settings: Settings,
) -> None:
    draft = dict((await desk_data(state.storage, bot.id, viewer.telegram_id))[DRAFT_KEY])
    try:
        if draft["waiting"] == "text":
            draft["text"] = broadcast_text(message.text)
        else:
            draft["value"] = segment_value(Segment(draft["segment"]), message.text)
    except InputError as error:
        example = "desk-broadcast-example" if draft["waiting"] == "text" else "desk-broadcast-value-example"
        await message.answer(input_error(i18n, error, example))
        return
    waiting, draft["waiting"] = draft["waiting"], None
    await desk_update(state.storage, bot.id, viewer.telegram_id, **{DRAFT_KEY: draft})
    if waiting == "text":
        await show(message, views.ask_screen(i18n))
    else:
        await _preview(message, i18n, viewer, broadcasts, settings, draft)


async def draft_step(
    callback: CallbackQuery,
    callback_data: BroadcastDraftCb,
    state: FSMContext,
    bot: Bot,
    i18n: I18nContext,
    viewer: Viewer,
    broadcasts: BroadcastService,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    draft = (await desk_data(state.storage, bot.id, viewer.telegram_id)).get(DRAFT_KEY)
    step = callback_data.step
    if step is DraftStep.DROP:
        await desk_update(state.storage, bot.id, viewer.telegram_id, **{DRAFT_KEY: None})
        await show(callback, (i18n.get("desk-broadcast-dropped"), None))
        return
    if not isinstance(draft, dict) or "text" not in draft:  # an old screen's button: the draft is gone
        refused_press(callback_answer, i18n)
        return
    draft = dict(draft)
    try:
        if step is DraftStep.SCREEN:
            draft.update(
                screen=callback_data.screen and callback_data.screen.value, segment=None, value=None, waiting=None
            )
            await desk_update(state.storage, bot.id, viewer.telegram_id, **{DRAFT_KEY: draft})
            await show(callback, views.ask_segment(i18n))
        elif step is DraftStep.SEGMENT and callback_data.segment is not None:
            segment = callback_data.segment
            draft.update(segment=segment.value, value=None, waiting="value" if segment.needs_value else None)
            await desk_update(state.storage, bot.id, viewer.telegram_id, **{DRAFT_KEY: draft})
            if segment.needs_value:
                await show(callback, views.ask_value(i18n, segment))
            else:
                await _preview(callback, i18n, viewer, broadcasts, settings, draft)
        elif step is DraftStep.SEND and draft.get("segment") and not draft.get("waiting"):
            await _send(callback, state, bot, i18n, viewer, broadcasts, draft)
        else:
            refused_press(callback_answer, i18n)
    except Forbidden:
        refused_press(callback_answer, i18n)


async def _preview(
    event: Message | CallbackQuery,
    i18n: I18nContext,
    viewer: Viewer,
    broadcasts: BroadcastService,
    settings: Settings,
    stored: dict,
) -> None:
    """The sample as a message of its own (with its button), then the count and Send under it."""
    draft = BroadcastService.check(stored["text"], stored.get("screen"), stored["segment"], stored.get("value"))
    recipients = await broadcasts.recipients(viewer.telegram_id, draft)
    message = event if isinstance(event, Message) else event.message
    if isinstance(event, CallbackQuery):
        await show(event, (i18n.get("desk-broadcast-sample"), None))
    else:
        await message.answer(i18n.get("desk-broadcast-sample"))
    sample = views.sample(i18n, draft)
    await message.answer(sample.text, reply_markup=sample.reply_markup)
    text, keyboard = views.preview(i18n, draft, recipients, settings.reminder_window)
    await message.answer(text, reply_markup=keyboard)


async def _send(
    callback: CallbackQuery,
    state: FSMContext,
    bot: Bot,
    i18n: I18nContext,
    viewer: Viewer,
    broadcasts: BroadcastService,
    stored: dict,
) -> None:
    draft = BroadcastService.check(stored["text"], stored.get("screen"), stored["segment"], stored.get("value"))
    try:
        broadcast_id = await broadcasts.start(viewer.telegram_id, draft, i18n.locale)
    except InputError:  # nobody in the segment any more
        await show(callback, (i18n.get("desk-broadcast-nobody"), None))
        return
    await desk_update(state.storage, bot.id, viewer.telegram_id, **{DRAFT_KEY: None})
    await show(callback, (i18n.get("desk-broadcast-queuing-number", number=broadcast_id), None))
    view = await broadcasts.queue(broadcast_id)
    await show(callback, views.progress(i18n, view))


async def run_button(
    callback: CallbackQuery,
    callback_data: BroadcastRunCb,
    i18n: I18nContext,
    viewer: Viewer,
    broadcasts: BroadcastService,
    callback_answer: CallbackAnswer,
) -> None:
    try:
        if callback_data.action is RunAction.STOP:
            view = await broadcasts.stop(viewer.telegram_id, callback_data.broadcast_id)
        else:
            view = await broadcasts.progress(viewer.telegram_id, callback_data.broadcast_id)
    except Forbidden:
        view = None
    if view is None:
        refused_press(callback_answer, i18n)
        return
    await show(callback, views.progress(i18n, view))


def create_router() -> Router:
    router = Router(name="staff-broadcasts")
    router.message.register(broadcast_command, Command("broadcast"), Allowed(Capability.BROADCAST))
    router.message.register(typed, Allowed(Capability.BROADCAST), waiting_for_text)
    router.callback_query.register(draft_step, BroadcastDraftCb.filter(), Allowed(Capability.BROADCAST))
    router.callback_query.register(run_button, BroadcastRunCb.filter(), Allowed(Capability.BROADCAST))
    return router
