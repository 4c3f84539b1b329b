"""/policies: the caller's policies (own, relatives', children's) and a card per policy."""

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.keyboards.cabinet import PoliciesCb, PolicyCb
from bot.keyboards.callbacks import MenuCb
from bot.middlewares.registered import registered_router
from bot.screens import refuse, show
from bot.views.policies import policies_screen, policy_screen
from core.cabinet.children import may_add_children
from core.calendar import Clock
from core.db.models import InsuredPerson
from core.db.uow import UnitOfWork
from core.services.policies import linked_policies, linked_policy


async def policies(
    event: Message | CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    uow: UnitOfWork,
    clock: Clock,
    person: InsuredPerson,
    callback_data: MenuCb | PoliciesCb | None = None,
) -> None:
    """The command, the menu button and the pager all land here; a form left open is abandoned."""
    await state.set_state(None)
    page = callback_data.page if isinstance(callback_data, PoliciesCb) else 0
    found = await linked_policies(uow, person, clock.today())
    await show(event, policies_screen(i18n, found, page, may_add_children=may_add_children(person.category)))


async def policy_card(
    callback: CallbackQuery,
    callback_data: PolicyCb,
    i18n: I18nContext,
    uow: UnitOfWork,
    clock: Clock,
    person: InsuredPerson,
    callback_answer: CallbackAnswer,
) -> None:
    policy = await linked_policy(uow, person, callback_data.person_id, clock.today())
    if policy is None:
        refuse(callback_answer, i18n)
        return
    await show(callback, policy_screen(i18n, policy))


def create_router() -> Router:
    router = registered_router("policies")
    router.message.register(policies, Command("policies"), StateFilter("*"))
    router.callback_query.register(policies, MenuCb.filter(F.section == "policies"), StateFilter("*"))
    router.callback_query.register(policies, PoliciesCb.filter(), StateFilter("*"))
    router.callback_query.register(policy_card, PolicyCb.filter(), StateFilter("*"))
    return router
