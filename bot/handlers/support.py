"""A question to support, for anyone: the unregistered too (a refusal that says "contact support" offers
this button, and so does /help). The question is read like a request's text (core.cabinet.requests) and
queued for the staff desk (core.services.support)."""

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.callbacks.common import DisputeReplyCb, SupportCb, SupportReplyCb
from bot.filters import an_attachment, not_text, typed_text
from bot.handlers.unknown import STRAY_TEXT
from bot.screens import read_typed, refuse, show
from bot.states.support import SupportForm
from bot.views.support import (
    support_cancelled_screen,
    support_prompt_screen,
    support_replied_screen,
    support_reply_prompt_screen,
    support_result_screen,
    support_too_many_screen,
)
from core.cabinet.requests import request_text
from core.errors import InputError
from core.services.disputes import DisputeService
from core.services.support import SupportService
from core.services.viewers import Viewer


async def ask(
    callback: CallbackQuery, state: FSMContext, i18n: I18nContext, viewer: Viewer, support: SupportService
) -> None:
    """A new message, so that what led here (a refusal, /help) stays on the screen."""
    if not await support.may_ask(viewer):
        text, keyboard = support_too_many_screen(i18n, viewer)
    else:
        await state.set_state(SupportForm.text)
        text, keyboard = support_prompt_screen(i18n)
    await callback.message.answer(text, reply_markup=keyboard)


async def cancel(callback: CallbackQuery, state: FSMContext, i18n: I18nContext, viewer: Viewer) -> None:
    if await state.get_state() in (SupportForm.text.state, SupportForm.reply.state):
        await state.set_state(None)
    await show(callback, support_cancelled_screen(i18n, viewer))


async def question_typed(
    message: Message, state: FSMContext, i18n: I18nContext, viewer: Viewer, support: SupportService
) -> None:
    text = await read_typed(message, i18n, request_text, "cabinet-example-support")
    if text is None:
        return
    await state.set_state(None)
    await show(message, support_result_screen(i18n, viewer, await support.ask(viewer, text, i18n.locale)))


async def reply_start(
    callback: CallbackQuery,
    callback_data: SupportReplyCb,
    state: FSMContext,
    i18n: I18nContext,
    support: SupportService,
    viewer: Viewer,
    callback_answer: CallbackAnswer,
) -> None:
    """ "Reply" under support's answer: the next text goes back to that request (a new message, so the
    answer stays on the screen). Someone else's request, or one replied to already: the stale alert."""
    if not await support.may_reply(viewer, callback_data.request):
        refuse(callback_answer, i18n, "button-stale")
        return
    await state.set_state(SupportForm.reply)
    await state.update_data(reply_to=callback_data.request, reply_dispute=None)
    text, keyboard = support_reply_prompt_screen(i18n, callback_data.request)
    await callback.message.answer(text, reply_markup=keyboard)


async def dispute_reply_start(
    callback: CallbackQuery,
    callback_data: DisputeReplyCb,
    state: FSMContext,
    i18n: I18nContext,
    disputes: DisputeService,
    viewer: Viewer,
    callback_answer: CallbackAnswer,
) -> None:
    """ "Reply" under support's message about a dispute: the next message (words, a photo, a document)
    goes into the dispute's topic in the staff group. Not the caller's open dispute: the stale alert."""
    if not await disputes.may_reply(viewer, callback_data.dispute):
        refuse(callback_answer, i18n, "button-stale")
        return
    await state.set_state(SupportForm.reply)
    await state.update_data(reply_to=None, reply_dispute=callback_data.dispute)
    text, keyboard = support_reply_prompt_screen(i18n, callback_data.dispute)
    await callback.message.answer(text, reply_markup=keyboard)


async def _replied(
    message: Message,
    text: str,
    state: FSMContext,
    i18n: I18nContext,
    viewer: Viewer,
    support: SupportService,
    disputes: DisputeService,
) -> None:
    """The reply goes where its button said: a request (kept in its conversation, which reopens) or a
    dispute (copied into its topic)."""
    data = await state.get_data()
    await state.set_state(None)
    request, dispute = data.get("reply_to"), data.get("reply_dispute")
    if isinstance(dispute, int):
        await state.update_data(reply_dispute=None)
        number = dispute if await disputes.reply(viewer, dispute, text, message.message_id) else None
    else:
        done = isinstance(request, int) and await support.reply(viewer, request, text, message.message_id)
        number = request if done else None
    await show(message, support_replied_screen(i18n, viewer, number))


async def reply_typed(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    viewer: Viewer,
    support: SupportService,
    disputes: DisputeService,
) -> None:
    text = await read_typed(message, i18n, request_text, "cabinet-example-support")
    if text is None:
        return
    await _replied(message, text, state, i18n, viewer, support, disputes)


async def reply_attached(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    viewer: Viewer,
    support: SupportService,
    disputes: DisputeService,
) -> None:
    """A photo or a document as the reply: kept with its caption (or a clip), copied into the item's topic
    in the staff group."""
    try:
        text = request_text(message.caption or "📎")
    except InputError:
        text = "📎"
    await _replied(message, text, state, i18n, viewer, support, disputes)


async def send_typed(
    callback: CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    viewer: Viewer,
    support: SupportService,
    callback_answer: CallbackAnswer,
) -> None:
    """The offer under a stray text (bot/handlers/unknown.py) taken: that text is the question. Asked once:
    a second press finds nothing waiting. Within the day's limit, as any question."""
    text = (await state.get_data()).get(STRAY_TEXT)
    if not text:
        refuse(callback_answer, i18n, "support-typed-gone")
        return
    await state.update_data({STRAY_TEXT: None})
    await show(callback, support_result_screen(i18n, viewer, await support.ask(viewer, text, i18n.locale)))


async def not_a_question(message: Message, i18n: I18nContext) -> None:
    """A photo, a sticker… while the question is awaited."""
    await message.answer(i18n.get("support-text-expected"))


def create_router() -> Router:
    router = Router(name="support")
    router.callback_query.register(ask, SupportCb.filter(F.action == "ask"))
    router.callback_query.register(cancel, SupportCb.filter(F.action == "cancel"))
    router.callback_query.register(send_typed, SupportCb.filter(F.action == "send"))
    router.message.register(question_typed, StateFilter(SupportForm.text), typed_text)
    router.message.register(not_a_question, StateFilter(SupportForm.text), not_text)
    router.callback_query.register(reply_start, SupportReplyCb.filter())
    router.callback_query.register(dispute_reply_start, DisputeReplyCb.filter())
    router.message.register(reply_typed, StateFilter(SupportForm.reply), typed_text)
    router.message.register(reply_attached, StateFilter(SupportForm.reply), an_attachment)
    router.message.register(not_a_question, StateFilter(SupportForm.reply), not_text)
    return router
