"""/queue: requests, questions, disputes and payment anomalies, oldest first; one item, taken by one staff
member; written answers; disputes accepted or rejected with a comment; new-item notices muted or not.

An answer is typed as the next message after its button: the draft (which item, which verdict, the text)
lives in the member's desk storage (`StorageKey(destiny="desk")`), never in their own dialog's state, so a
staff member in the middle of their own registration keeps it. While a draft waits for its text, their
typed text goes to the draft (a command does not); "Cancel" drops it.
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.callbacks.desk_queue import QueueActCb, QueueCb, QueueDraftCb, QueueItemCb, QueueMuteCb
from bot.filters import Allowed
from bot.handlers.staff.dialogs import desk_data, desk_update
from bot.handlers.staff.money import MONEY_KEY
from bot.handlers.staff.refusals import refused_command, refused_press
from bot.screens import show
from bot.views.desk_queue import gone_screen, item_screen, outcome_note, preview_screen, prompt_screen, queue_screen
from bot.views.kit import input_error
from bot.views.pages import PageLinks
from core.actors import Capability, Forbidden, Viewer, is_staff
from core.cabinet.requests import MAX_TEXT, request_text
from core.calendar import Clock
from core.desk.queue import ItemAction, ItemKind
from core.errors import InputError
from core.services.queue import QueueService

# The desk storage's entry: {"kind", "id", "action", "text" once typed}; a dispute's verdict begun in its
# topic in the staff group carries "thread" instead, its comment being the member's next reply there.
DRAFT_KEY = "answer"
WRITING = (ItemAction.ANSWER, ItemAction.ACCEPT, ItemAction.REJECT)


async def queue_command(
    message: Message, i18n: I18nContext, viewer: Viewer, queue: QueueService, pages: PageLinks | None
) -> None:
    try:
        page = await queue.page(viewer.telegram_id)
    except Forbidden:
        await refused_command(message, i18n)
        return
    await show(message, queue_screen(i18n, page, 0, pages))


async def queue_page(
    callback: CallbackQuery,
    callback_data: QueueCb | QueueMuteCb,
    i18n: I18nContext,
    viewer: Viewer,
    queue: QueueService,
    callback_answer: CallbackAnswer,
    pages: PageLinks | None,
) -> None:
    try:
        if isinstance(callback_data, QueueMuteCb):
            await queue.toggle_mute(viewer.telegram_id)
        page = await queue.page(viewer.telegram_id, callback_data.kind)
    except Forbidden:
        refused_press(callback_answer, i18n)
        return
    number = callback_data.page if isinstance(callback_data, QueueCb) else 0
    await show(callback, queue_screen(i18n, page, number, pages))


async def queue_item(
    callback: CallbackQuery,
    callback_data: QueueItemCb,
    i18n: I18nContext,
    viewer: Viewer,
    queue: QueueService,
    clock: Clock,
    callback_answer: CallbackAnswer,
    pages: PageLinks | None,
) -> None:
    try:
        item = await queue.item(viewer.telegram_id, callback_data.kind, callback_data.item_id)
    except Forbidden:
        refused_press(callback_answer, i18n)
        return
    if item is None:
        refused_press(callback_answer, i18n)
        return
    await show(callback, item_screen(i18n, item, clock.now(), pages=pages))


async def queue_act(
    callback: CallbackQuery,
    callback_data: QueueActCb,
    state: FSMContext,
    bot: Bot,
    i18n: I18nContext,
    viewer: Viewer,
    queue: QueueService,
    clock: Clock,
    callback_answer: CallbackAnswer,
    pages: PageLinks | None,
) -> None:
    kind, item_id, action = callback_data.kind, callback_data.item_id, callback_data.action
    try:
        if action in WRITING:
            if not await queue.holds(viewer.telegram_id, kind, item_id):
                item = await queue.item(viewer.telegram_id, kind, item_id)
                if item is None:
                    refused_press(callback_answer, i18n)
                    return
                await show(
                    callback, item_screen(i18n, item, clock.now(), i18n.get("desk-queue-refused-not-held"), pages)
                )
                return
            draft = {"kind": kind.value, "id": item_id, "action": action.value}
            # One draft at a time: a money action waiting for its text gives way.
            await desk_update(state.storage, bot.id, viewer.telegram_id, **{DRAFT_KEY: draft, MONEY_KEY: None})
            await show(callback, prompt_screen(i18n, kind, item_id, action))
            return
        result = await queue.act(viewer.telegram_id, kind, item_id, action, callback_data.seen or None)
    except Forbidden:
        refused_press(callback_answer, i18n)
        return
    if result.item is None:
        refused_press(callback_answer, i18n)
        return
    await show(callback, item_screen(i18n, result.item, clock.now(), outcome_note(i18n, action, result), pages))


async def drop_answer_draft(storage: BaseStorage, bot_id: int, viewer: Viewer | None) -> int | None:
    """/cancel from a staff member: their answer waiting to be sent is dropped; the item's number, or None
    when there was none."""
    if viewer is None or not is_staff(viewer.role):
        return None
    draft = (await desk_data(storage, bot_id, viewer.telegram_id)).get(DRAFT_KEY)
    if not isinstance(draft, dict):
        return None
    await desk_update(storage, bot_id, viewer.telegram_id, **{DRAFT_KEY: None})
    return draft.get("id")


async def drafting(message: Message, bot: Bot, state: FSMContext, viewer: Viewer | None = None) -> bool:
    """A staff member's typed text while an answer of theirs waits for it."""
    if viewer is None or not is_staff(viewer.role) or message.text is None or message.text.startswith("/"):
        return False
    draft = (await desk_data(state.storage, bot.id, viewer.telegram_id)).get(DRAFT_KEY)
    return isinstance(draft, dict) and "text" not in draft and "thread" not in draft  # not a topic's verdict


async def draft_typed(
    message: Message, state: FSMContext, bot: Bot, i18n: I18nContext, viewer: Viewer, pages: PageLinks | None
) -> None:
    draft = dict((await desk_data(state.storage, bot.id, viewer.telegram_id))[DRAFT_KEY])
    try:
        text = request_text(message.text, "answer", MAX_TEXT)
    except InputError as error:
        await message.answer(input_error(i18n, error, "desk-queue-example"))
        return
    draft["text"] = text
    await desk_update(state.storage, bot.id, viewer.telegram_id, **{DRAFT_KEY: draft})
    kind, action = ItemKind(draft["kind"]), ItemAction(draft["action"])
    await show(message, preview_screen(i18n, kind, draft["id"], action, text, pages))


async def draft_step(
    callback: CallbackQuery,
    callback_data: QueueDraftCb,
    state: FSMContext,
    bot: Bot,
    i18n: I18nContext,
    viewer: Viewer,
    queue: QueueService,
    clock: Clock,
    callback_answer: CallbackAnswer,
    pages: PageLinks | None,
) -> None:
    kind, item_id = callback_data.kind, callback_data.item_id
    draft = (await desk_data(state.storage, bot.id, viewer.telegram_id)).get(DRAFT_KEY)
    mine = isinstance(draft, dict) and draft.get("kind") == kind.value and draft.get("id") == item_id
    try:
        if callback_data.step == "drop" or not mine or "text" not in draft:
            if mine:
                await desk_update(state.storage, bot.id, viewer.telegram_id, **{DRAFT_KEY: None})
            item = await queue.item(viewer.telegram_id, kind, item_id)
            if item is None:
                refused_press(callback_answer, i18n)
                return
            note = i18n.get("desk-queue-draft-dropped") if mine else ""
            await show(callback, item_screen(i18n, item, clock.now(), note, pages))
            return
        action = ItemAction(draft["action"])
        accepted = None if kind is not ItemKind.DISPUTE else action is ItemAction.ACCEPT
        try:
            result = await queue.answer(viewer.telegram_id, kind, item_id, draft["text"], accepted=accepted)
        except InputError:  # the draft was checked when typed: only a forged storage gets here
            refused_press(callback_answer, i18n)
            return
    except Forbidden:
        refused_press(callback_answer, i18n)
        return
    await desk_update(state.storage, bot.id, viewer.telegram_id, **{DRAFT_KEY: None})
    if result.item is None:
        await show(callback, gone_screen(i18n, kind))
        return
    await show(callback, item_screen(i18n, result.item, clock.now(), outcome_note(i18n, action, result), pages))


def create_router() -> Router:
    router = Router(name="staff-queue")
    router.message.register(queue_command, Command("queue"), Allowed(Capability.ANSWER_REQUESTS))
    router.message.register(draft_typed, Allowed(Capability.ANSWER_REQUESTS), drafting)
    for data in (QueueCb, QueueMuteCb):
        router.callback_query.register(queue_page, data.filter(), Allowed(Capability.ANSWER_REQUESTS))
    router.callback_query.register(queue_item, QueueItemCb.filter(), Allowed(Capability.ANSWER_REQUESTS))
    router.callback_query.register(queue_act, QueueActCb.filter(), Allowed(Capability.ANSWER_REQUESTS))
    router.callback_query.register(draft_step, QueueDraftCb.filter(), Allowed(Capability.ANSWER_REQUESTS))
    return router
