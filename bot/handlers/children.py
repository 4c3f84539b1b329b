"""Adding a child's policy: the child's policy number, full name, then birth date (core.cabinet.children)."""

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from bot.callbacks.cabinet import AddChildCb
from bot.filters import typed_text
from bot.middlewares.registered import registered_router
from bot.screens import read_typed, show
from bot.states.children import AddChild
from bot.views.policies import child_prompt_screen, child_result_screen
from core.cabinet.children import ChildClaim, typed_full_name
from core.calendar import Clock
from core.normalize import canonical_policy, read_birth_date
from core.services.children import ChildrenService
from core.services.viewers import Viewer


async def start(callback: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(AddChild.policy_number)
    await show(callback, child_prompt_screen(i18n, "children-ask-policy"))


async def policy_number_typed(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    policy_key = await read_typed(message, i18n, canonical_policy, "cabinet-example-policy")
    if policy_key is None:
        return
    await state.update_data(child_policy_key=policy_key)
    await state.set_state(AddChild.full_name)
    await show(message, child_prompt_screen(i18n, "children-ask-full-name"))


async def full_name_typed(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    name = await read_typed(message, i18n, typed_full_name, "cabinet-example-child-name")
    if name is None:
        return
    await state.update_data(child_name=list(name))
    await state.set_state(AddChild.birth_date)
    await show(message, child_prompt_screen(i18n, "children-ask-birth-date"))


async def birth_date_typed(
    message: Message, state: FSMContext, i18n: I18nContext, clock: Clock, viewer: Viewer, children: ChildrenService
) -> None:
    today = clock.today()
    born = await read_typed(message, i18n, lambda text: read_birth_date(text, today), "cabinet-example-birth-date")
    if born is None:
        return
    data = await state.get_data()
    await state.set_state(None)
    await state.set_data({k: v for k, v in data.items() if not k.startswith("child_")})  # nothing of the child stays
    claim = ChildClaim(tuple(data["child_name"]), born)
    await show(message, child_result_screen(i18n, await children.add_child(viewer, data["child_policy_key"], claim)))


def create_router() -> Router:
    router = registered_router("children")
    router.callback_query.register(start, AddChildCb.filter())
    router.message.register(policy_number_typed, StateFilter(AddChild.policy_number), typed_text)
    router.message.register(full_name_typed, StateFilter(AddChild.full_name), typed_text)
    router.message.register(birth_date_typed, StateFilter(AddChild.birth_date), typed_text)
    return router
