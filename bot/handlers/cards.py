"""Saved cards and automatic charges (from the policy card and the deductible screen; no command of its
own): the cards, automatic charges on or off, a card added (the provider's page) or removed. The card
service decides and checks that a card is the caller's; a refusal is an alert and the screen stays."""

from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.callbacks.cards import CardAutopayCb, CardBindCb, CardRemoveCb, CardsCb
from bot.filters import in_webapp_mode
from bot.middlewares.registered import registered_router
from bot.screens import refuse, show
from bot.views.cards import bind_refusal_key, bind_refusal_values, binding_screen, cards_screen, remove_screen
from bot.views.pages import PageLinks, open_page_screen
from core.services.cards import BindRefusal, CardService
from core.services.viewers import Viewer


async def cards_page(callback: CallbackQuery, i18n: I18nContext, pages: PageLinks) -> None:
    """The Mini App mode: every cards button opens the cards page; the chat shows no card."""
    await show(callback, open_page_screen(i18n, "pages-cards", pages.cards()))


async def card_remove_page(
    callback: CallbackQuery,
    callback_data: CardRemoveCb,
    i18n: I18nContext,
    viewer: Viewer,
    cards: CardService,
    pages: PageLinks,
    callback_answer: CallbackAnswer,
) -> None:
    """The Mini App mode: a card is removed on the page; a card id not the caller's is refused as in the chat."""
    if not any(card.card_id == callback_data.card_id for card in (await cards.overview(viewer)).cards):
        refuse(callback_answer, i18n)
        return
    await cards_page(callback, i18n, pages)


async def cards_list(
    callback: CallbackQuery, callback_data: CardsCb, i18n: I18nContext, viewer: Viewer, cards: CardService
) -> None:
    await show(callback, cards_screen(i18n, await cards.overview(viewer), callback_data.back))


async def autopay(
    callback: CallbackQuery, callback_data: CardAutopayCb, i18n: I18nContext, viewer: Viewer, cards: CardService
) -> None:
    overview = await cards.set_autopay(viewer, callback_data.on)
    await show(callback, cards_screen(i18n, overview, callback_data.back))


async def bind(
    callback: CallbackQuery,
    callback_data: CardBindCb,
    i18n: I18nContext,
    viewer: Viewer,
    cards: CardService,
    callback_answer: CallbackAnswer,
) -> None:
    result = await cards.bind(viewer)
    if result.refusal is not None or result.confirmation_url is None:
        refusal = result.refusal or BindRefusal.UNREACHABLE
        refuse(callback_answer, i18n, bind_refusal_key(refusal), **bind_refusal_values(refusal))
    else:
        await show(callback, binding_screen(i18n, result, callback_data.back))


async def remove(
    callback: CallbackQuery,
    callback_data: CardRemoveCb,
    i18n: I18nContext,
    viewer: Viewer,
    cards: CardService,
    callback_answer: CallbackAnswer,
) -> None:
    """Asked first (the card must still be the caller's), then removed."""
    back = callback_data.back
    if callback_data.confirmed:
        overview = await cards.remove(viewer, callback_data.card_id)
        if overview is None:
            refuse(callback_answer, i18n)
        else:
            await show(callback, cards_screen(i18n, overview, back, note=i18n.get("cards-removed")))
        return
    overview = await cards.overview(viewer)
    card = next((card for card in overview.cards if card.card_id == callback_data.card_id), None)
    if card is None:
        refuse(callback_answer, i18n)
    else:
        await show(callback, remove_screen(i18n, overview, card, back))


def create_router() -> Router:
    router = registered_router("cards")
    for data in (CardsCb, CardAutopayCb, CardBindCb):
        router.callback_query.register(cards_page, data.filter(), in_webapp_mode)
    router.callback_query.register(card_remove_page, CardRemoveCb.filter(), in_webapp_mode)
    router.callback_query.register(cards_list, CardsCb.filter())
    router.callback_query.register(autopay, CardAutopayCb.filter())
    router.callback_query.register(bind, CardBindCb.filter())
    router.callback_query.register(remove, CardRemoveCb.filter())
    return router
