"""Adding a child's policy, step by step as registration asks (core.cabinet.children.CHILD_STEPS): the
child's policy number, surname, first name, patronymic (or none), birth date; each with Back and Cancel."""

from datetime import date

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.callbacks.cabinet import AddChildCb, ChildFormAction, ChildFormCb
from bot.filters import typed_text
from bot.middlewares.registered import registered_router
from bot.screens import refuse, show
from bot.states.children import AddChild
from bot.views.pages import PageLinks, open_page_screen
from bot.views.policies import child_invalid_screen, child_prompt_screen, child_result_screen, policies_screen
from core.cabinet.children import (
    CHILD_STEPS,
    ChildClaim,
    ChildStep,
    child_answer,
    child_name,
    step_after,
    step_before,
)
from core.calendar import Clock
from core.errors import InputError
from core.services.children import ChildrenService
from core.services.policies import PolicyService
from core.services.viewers import Viewer

STATES = {step: getattr(AddChild, step.value) for step in CHILD_STEPS}
PREFIX = "child_"  # the form's answers in the FSM data: `child_<step>`


async def _current(state: FSMContext) -> ChildStep | None:
    current = await state.get_state()
    return next((step for step, st in STATES.items() if st.state == current), None)


async def _ask(event: Message | CallbackQuery, state: FSMContext, i18n: I18nContext, step: ChildStep) -> None:
    await state.set_state(STATES[step])
    await show(event, child_prompt_screen(i18n, step))


async def start(callback: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await _forget(state)
    await _ask(callback, state, i18n, ChildStep.POLICY)


async def typed(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    clock: Clock,
    viewer: Viewer,
    children: ChildrenService,
    pages: PageLinks | None,
) -> None:
    step = await _current(state)
    if step is None:
        return
    try:
        value = child_answer(step, message.text, clock.today())
    except InputError as error:
        await show(message, child_invalid_screen(i18n, error, step))
        return
    await _answered(message, state, i18n, viewer, children, pages, step, value)


async def pressed(
    callback: CallbackQuery,
    callback_data: ChildFormCb,
    state: FSMContext,
    i18n: I18nContext,
    viewer: Viewer,
    children: ChildrenService,
    policies: PolicyService,
    callback_answer: CallbackAnswer,
    pages: PageLinks | None,
) -> None:
    step = await _current(state)
    if step is None or (callback_data.action is ChildFormAction.SKIP and step is not ChildStep.PATRONYMIC):
        refuse(callback_answer, i18n, "button-stale")  # the form is over, or at another step
        return
    if callback_data.action is ChildFormAction.SKIP:
        await _answered(callback, state, i18n, viewer, children, pages, step, "")
        return
    previous = step_before(step)
    if previous is None:  # Back from the first step: where the form was opened
        await _forget(state)
        await state.set_state(None)
        if pages is not None:  # the Mini App mode: the policies are a page
            await show(callback, open_page_screen(i18n, "pages-policies", pages.policies()))
        else:
            await show(callback, policies_screen(i18n, await policies.linked_policies(viewer), 0))
        return
    await _ask(callback, state, i18n, previous)


async def _answered(
    event: Message | CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    viewer: Viewer,
    children: ChildrenService,
    pages: PageLinks | None,
    step: ChildStep,
    value: str,
) -> None:
    await state.update_data({PREFIX + step.value: value})
    following = step_after(step)
    if following is not None:
        await _ask(event, state, i18n, following)
        return
    data = await state.get_data()
    answers = {s: data.get(PREFIX + s.value, "") for s in CHILD_STEPS}
    try:
        name = child_name(answers[ChildStep.LAST_NAME], answers[ChildStep.FIRST_NAME], answers[ChildStep.PATRONYMIC])
    except InputError as error:
        await show(event, child_invalid_screen(i18n, error, step))
        return
    await state.set_state(None)
    await _forget(state)  # nothing of the child stays
    claim = ChildClaim(name, date.fromisoformat(answers[ChildStep.BIRTH_DATE]))
    result = await children.add_child(viewer, answers[ChildStep.POLICY], claim)
    if pages is not None and result.refusal is None:  # the Mini App mode: the child's policy is on the page
        await show(event, open_page_screen(i18n, "pages-child-added", pages.policies()))
        return
    await show(event, child_result_screen(i18n, result))


async def _forget(state: FSMContext) -> None:
    data = await state.get_data()
    await state.set_data({k: v for k, v in data.items() if not k.startswith(PREFIX)})


def create_router() -> Router:
    router = registered_router("children")
    router.callback_query.register(start, AddChildCb.filter())
    router.callback_query.register(pressed, ChildFormCb.filter())
    router.message.register(typed, StateFilter(*STATES.values()), typed_text)
    return router
