"""Franchise activation (from the menu and the policy cards; no command of its own):
the terms, the consent button, the date it takes effect."""

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.keyboards.cabinet import FranchiseCb, FranchiseConsentCb, FranchiseListCb
from bot.keyboards.callbacks import MenuCb
from bot.middlewares.registered import registered_router
from bot.screens import refuse, show
from bot.views.franchise import activated_screen, franchise_list_screen, franchise_screen, refusal_key
from core.cabinet.franchise import ActivationRefusal
from core.calendar import Clock
from core.db.models import Account, InsuredPerson
from core.db.uow import UnitOfWork
from core.services.franchise import activate_franchise, franchise_offer, franchise_policies


async def franchise(
    callback: CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    uow: UnitOfWork,
    clock: Clock,
    person: InsuredPerson,
    callback_data: MenuCb | FranchiseListCb,
) -> None:
    """The menu button and the pager: the policies whose program has a franchise."""
    await state.set_state(None)
    page = callback_data.page if isinstance(callback_data, FranchiseListCb) else 0
    offers = await franchise_policies(uow, person, clock.today())
    await show(callback, franchise_list_screen(i18n, offers, page))


async def terms(
    callback: CallbackQuery,
    callback_data: FranchiseCb,
    i18n: I18nContext,
    uow: UnitOfWork,
    clock: Clock,
    person: InsuredPerson,
    callback_answer: CallbackAnswer,
) -> None:
    offer = await franchise_offer(uow, person, callback_data.person_id, clock.today())
    if offer is None:
        refuse(callback_answer, i18n)
    elif offer.refusal == ActivationRefusal.NOT_REQUIRED:
        refuse(callback_answer, i18n, refusal_key(offer.refusal))
    else:
        await show(callback, franchise_screen(i18n, offer))


async def consent(
    callback: CallbackQuery,
    callback_data: FranchiseConsentCb,
    i18n: I18nContext,
    uow: UnitOfWork,
    clock: Clock,
    account: Account,
    person: InsuredPerson,
    callback_answer: CallbackAnswer,
) -> None:
    activation = await activate_franchise(uow, account, person, callback_data.person_id, clock)
    if activation is None:
        refuse(callback_answer, i18n)
    elif activation.refusal is not None:
        refuse(callback_answer, i18n, refusal_key(activation.refusal))
    else:
        await show(callback, activated_screen(i18n, activation.policy))


def create_router() -> Router:
    router = registered_router("franchise")
    router.callback_query.register(franchise, MenuCb.filter(F.section == "franchise"), StateFilter("*"))
    router.callback_query.register(franchise, FranchiseListCb.filter(), StateFilter("*"))
    router.callback_query.register(terms, FranchiseCb.filter(), StateFilter("*"))
    router.callback_query.register(consent, FranchiseConsentCb.filter(), StateFilter("*"))
    return router
