"""/clinics: the clinics of a policy's program, searched and paged, a card per clinic, the map, and the
clinics nearest a location the user shares.

A search is kept in the FSM data under a short random token that the page buttons carry, so the
buttons stay ids only; an old token (after /menu, or many searches later) gets a "search again" alert.
"""

import secrets

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.callbacks.cabinet import ClinicCb, ClinicMapCb, ClinicsCb, ClinicSearchCb, ClinicsNearCb
from bot.callbacks.common import MenuCb
from bot.filters import shared_location, typed_text
from bot.middlewares.pages import pages_instead
from bot.middlewares.registered import registered_router
from bot.screens import read_typed, refuse, show
from bot.states.clinics import ClinicSearch, ClinicsNear
from bot.views.clinics import (
    choose_policy_screen,
    clinic_list_screen,
    clinic_screen,
    location_prompt,
    nearest_screen,
    search_prompt_screen,
)
from core.cabinet.clinics import search_needle, search_query
from core.cabinet.nearby import Point
from core.errors import InputError
from core.services.clinics import ClinicService
from core.services.policies import Policy, PolicyService
from core.services.viewers import Viewer

SEARCHES = "clinic_searches"  # FSM data: token → {"person_id": …, "query": …}
SEARCHES_KEPT = 5
NEAR = "clinics_near_person_id"  # FSM data while the location is asked for: the policy, never the place


async def clinics_start(
    event: Message | CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    viewer: Viewer,
    policies: PolicyService,
    clinics: ClinicService,
) -> None:
    """The command and the menu button: the list at once for one policy, else a choice."""
    await state.set_state(None)
    linked = await policies.linked_policies(viewer)
    if len(linked) > 1:
        await show(event, choose_policy_screen(i18n, linked))
        return
    found = await clinics.clinic_page(linked[0], needle=None, page=0)
    await show(event, clinic_list_screen(i18n, found, None, ""))


async def clinic_list(
    callback: CallbackQuery,
    callback_data: ClinicsCb,
    state: FSMContext,
    i18n: I18nContext,
    policy: Policy,
    clinics: ClinicService,
    callback_answer: CallbackAnswer,
) -> None:
    """A page of the list, whole or searched; the search prompt's Cancel lands here too."""
    await state.set_state(None)
    query = await _recall_search(state, callback_data.search, policy.person_id)
    if callback_data.search and query is None:
        refuse(callback_answer, i18n, "clinics-search-stale")
        return
    needle = search_needle(query) if query else None
    found = await clinics.clinic_page(policy, needle=needle, page=callback_data.page)
    await show(callback, clinic_list_screen(i18n, found, query, callback_data.search))


async def clinic_card(
    callback: CallbackQuery,
    callback_data: ClinicCb,
    i18n: I18nContext,
    policy: Policy,
    clinics: ClinicService,
    callback_answer: CallbackAnswer,
) -> None:
    clinic = await clinics.clinic_details(policy, callback_data.clinic_id)
    if clinic is None:
        refuse(callback_answer, i18n)
        return
    back = ClinicsCb(person_id=policy.person_id, page=callback_data.page, search=callback_data.search)
    await show(callback, clinic_screen(i18n, policy, clinic, back))


async def clinic_on_map(
    callback: CallbackQuery,
    callback_data: ClinicMapCb,
    i18n: I18nContext,
    policy: Policy,
    clinics: ClinicService,
    callback_answer: CallbackAnswer,
) -> None:
    clinic = await clinics.clinic_details(policy, callback_data.clinic_id)
    if clinic is None or not clinic.on_map:
        refuse(callback_answer, i18n)
        return
    address = f"{clinic.city}, {clinic.address}"
    await callback.message.answer_venue(clinic.latitude, clinic.longitude, title=clinic.name, address=address)


async def ask_search(callback: CallbackQuery, state: FSMContext, i18n: I18nContext, policy: Policy) -> None:
    await state.set_state(ClinicSearch.query)
    await state.update_data(search_person_id=policy.person_id)
    await show(callback, search_prompt_screen(i18n, policy.person_id))


async def search_typed(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    viewer: Viewer,
    policies: PolicyService,
    clinics: ClinicService,
) -> None:
    query = await read_typed(message, i18n, search_query, "cabinet-example-search")
    if query is None:
        return
    await state.set_state(None)
    # The policy was checked when the search was asked for; it may have left the viewer's since.
    policy = await policies.linked_policy(viewer, (await state.get_data())["search_person_id"])
    if policy is None:
        await message.answer(i18n.get("cabinet-not-yours"))
        return
    token = await _remember_search(state, policy.person_id, query)
    found = await clinics.clinic_page(policy, needle=search_needle(query), page=0)
    await show(message, clinic_list_screen(i18n, found, query, token))


async def ask_location(callback: CallbackQuery, state: FSMContext, i18n: I18nContext, policy: Policy) -> None:
    """Telegram's location button is a reply keyboard: it comes in a message of its own."""
    await state.set_state(ClinicsNear.location)
    await state.update_data({NEAR: policy.person_id})
    text, reply_keyboard = location_prompt(i18n)
    await callback.message.answer(text, reply_markup=reply_keyboard)


async def location_shared(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    viewer: Viewer,
    policies: PolicyService,
    clinics: ClinicService,
) -> None:
    """The clinics nearest the shared point. The point is used for this answer only: not in the FSM, the
    database or a log line."""
    person_id = (await state.get_data()).get(NEAR)
    await state.set_state(None)
    await state.update_data({NEAR: None})
    policy = await policies.linked_policy(viewer, person_id) if person_id else None
    if policy is None:  # it may have left the viewer's since the button was pressed
        await message.answer(i18n.get("cabinet-not-yours"), reply_markup=ReplyKeyboardRemove())
        return
    try:
        origin = Point.of(message.location.latitude, message.location.longitude)
    except InputError:
        await message.answer(i18n.get("error-location-invalid"), reply_markup=ReplyKeyboardRemove())
        return
    found = await clinics.nearest(policy, origin)
    await message.answer(i18n.get("clinics-near-received"), reply_markup=ReplyKeyboardRemove())
    await show(message, nearest_screen(i18n, policy, found))


async def location_not_shared(
    message: Message,
    state: FSMContext,
    i18n: I18nContext,
    viewer: Viewer,
    policies: PolicyService,
    clinics: ClinicService,
) -> None:
    """Typed text instead of the location: Cancel goes back to the list; anything else asks again."""
    if message.text and message.text.strip() == i18n.get("button-cancel"):
        person_id = (await state.get_data()).get(NEAR)
        await state.set_state(None)
        await message.answer(i18n.get("clinics-near-cancelled"), reply_markup=ReplyKeyboardRemove())
        policy = await policies.linked_policy(viewer, person_id) if person_id else None
        if policy is not None:
            await show(
                message, clinic_list_screen(i18n, await clinics.clinic_page(policy, needle=None, page=0), None, "")
            )
        return
    text, reply_keyboard = location_prompt(i18n)
    await message.answer(text, reply_markup=reply_keyboard)


async def _remember_search(state: FSMContext, person_id: int, query: str) -> str:
    """Keeps the search (and the few before it) for the page buttons; returns its token."""
    token = secrets.token_hex(2)
    kept = list((await state.get_data()).get(SEARCHES, {}).items())[-(SEARCHES_KEPT - 1) :]
    await state.update_data({SEARCHES: {**dict(kept), token: {"person_id": person_id, "query": query}}})
    return token


async def _recall_search(state: FSMContext, token: str, person_id: int) -> str | None:
    """The query a page button's token stands for, if it is still kept and was made for this policy."""
    search = (await state.get_data()).get(SEARCHES, {}).get(token) if token else None
    return search["query"] if search and search["person_id"] == person_id else None


def create_router() -> Router:
    router = registered_router("clinics")
    pages_instead(
        router, "pages-clinics", lambda pages, person_id, viewer: pages.clinics(person_id or viewer.person_id)
    )
    router.message.register(clinics_start, Command("clinics"))
    router.callback_query.register(clinics_start, MenuCb.filter(F.section == "clinics"))
    router.callback_query.register(clinic_list, ClinicsCb.filter())
    router.callback_query.register(clinic_card, ClinicCb.filter())
    router.callback_query.register(clinic_on_map, ClinicMapCb.filter())
    router.callback_query.register(ask_search, ClinicSearchCb.filter())
    router.message.register(search_typed, StateFilter(ClinicSearch.query), typed_text)
    router.callback_query.register(ask_location, ClinicsNearCb.filter())
    router.message.register(location_shared, StateFilter(ClinicsNear.location), shared_location)
    router.message.register(location_not_shared, StateFilter(ClinicsNear.location), typed_text)
    return router
