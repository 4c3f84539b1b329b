"""Franchise activation (from the menu and the policy cards; no command of its own): the terms, the
consent button, the date it takes effect."""

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.callbacks.cabinet import FranchiseCb, FranchiseConsentCb, FranchiseListCb
from bot.callbacks.common import MenuCb
from bot.middlewares.pages import pages_instead
from bot.middlewares.registered import registered_router
from bot.screens import refuse, show
from bot.views.franchise import activated_screen, franchise_list_screen, franchise_screen, refusal_key
from core.cabinet.franchise import ActivationRefusal
from core.services.cards import CardService
from core.services.franchise import FranchiseService, franchise_offer
from core.services.policies import Policy
from core.services.viewers import Viewer


async def franchise_list(
    callback: CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    viewer: Viewer,
    franchise: FranchiseService,
    callback_data: MenuCb | FranchiseListCb,
) -> None:
    """The menu button and the pager: the policies whose program has a franchise."""
    await state.set_state(None)
    page = callback_data.page if isinstance(callback_data, FranchiseListCb) else 0
    await show(callback, franchise_list_screen(i18n, await franchise.franchise_policies(viewer), page))


async def terms(
    callback: CallbackQuery, i18n: I18nContext, policy: Policy, cards: CardService, callback_answer: CallbackAnswer
) -> None:
    offer = franchise_offer(policy)
    if offer.refusal == ActivationRefusal.NOT_REQUIRED:
        refuse(callback_answer, i18n, refusal_key(offer.refusal))
    else:
        await show(callback, franchise_screen(i18n, offer, cards.offered))


async def consent(
    callback: CallbackQuery,
    i18n: I18nContext,
    viewer: Viewer,
    policy: Policy,
    franchise: FranchiseService,
    cards: CardService,
    callback_answer: CallbackAnswer,
) -> None:
    activation = await franchise.activate(viewer, policy.person_id)
    if activation is None:
        refuse(callback_answer, i18n)
    elif activation.refusal is not None:
        refuse(callback_answer, i18n, refusal_key(activation.refusal))
    else:
        await show(callback, activated_screen(i18n, activation.policy, cards.offered))


def create_router() -> Router:
    router = registered_router("franchise")
    pages_instead(router, "pages-franchise", lambda pages, _, __: pages.franchise())
    router.callback_query.register(franchise_list, MenuCb.filter(F.section == "franchise"))
    router.callback_query.register(franchise_list, FranchiseListCb.filter())
    router.callback_query.register(terms, FranchiseCb.filter())
    router.callback_query.register(consent, FranchiseConsentCb.filter())
    return router
