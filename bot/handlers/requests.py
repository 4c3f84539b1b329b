"""/requests: the caller's requests with staff replies, and the forms of new ones (callback, curator
doctor, add a clinic, change of personal data)."""

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.callbacks.cabinet import AddClinicCb, CloseRequestCb, NewRequestCb, RequestCb, RequestsCb
from bot.callbacks.common import MenuCb
from bot.filters import in_webapp_mode, typed_text
from bot.middlewares.registered import registered_router
from bot.screens import read_typed, refuse, show
from bot.states.requests import RequestForm
from bot.views.pages import PageLinks, open_page_screen
from bot.views.requests import request_created_screen, request_prompt_screen, request_screens, requests_screen
from core.cabinet.requests import FORM_KINDS, RequestKind, preferred_time, request_text
from core.services.disputes import DisputeService
from core.services.policies import Policy
from core.services.requests import RequestService
from core.services.viewers import Viewer


async def requests_page(event: Message | CallbackQuery, state: FSMContext, i18n: I18nContext, pages: PageLinks) -> None:
    """The Mini App mode: the requests, their answers and the new request's forms are pages."""
    await state.set_state(None)
    await show(event, open_page_screen(i18n, "pages-requests", pages.requests()))


async def request_page(
    callback: CallbackQuery,
    callback_data: RequestCb | CloseRequestCb,
    i18n: I18nContext,
    viewer: Viewer,
    requests: RequestService,
    pages: PageLinks,
    callback_answer: CallbackAnswer,
) -> None:
    """The Mini App mode: the request's page; a number not the caller's is refused as in the chat."""
    if await requests.details(viewer, callback_data.number) is None:
        refuse(callback_answer, i18n)
        return
    await show(callback, open_page_screen(i18n, "pages-request", pages.request(callback_data.number)))


async def requests_list(
    event: Message | CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    viewer: Viewer,
    requests: RequestService,
    disputes: DisputeService,
    callback_data: MenuCb | RequestsCb | None = None,
) -> None:
    """The command, the menu button, the pager and the forms' Cancel all land here (with the open disputes
    over invoices, core.services.disputes)."""
    await state.set_state(None)
    page = callback_data.page if isinstance(callback_data, RequestsCb) else 0
    open_disputes = await disputes.of_viewer(viewer, open_only=True)
    await show(event, requests_screen(i18n, await requests.page(viewer, page), open_disputes))


async def open_request(
    callback: CallbackQuery,
    callback_data: RequestCb | CloseRequestCb,
    i18n: I18nContext,
    viewer: Viewer,
    requests: RequestService,
    callback_answer: CallbackAnswer,
) -> None:
    """A request's card; its Close button lands here too. Only the caller's own requests are found."""
    if isinstance(callback_data, CloseRequestCb):
        request = await requests.close(viewer, callback_data.number)
    else:
        request = await requests.details(viewer, callback_data.number)
    if request is None:
        refuse(callback_answer, i18n)
        return
    screen, rest_of_reply = request_screens(i18n, request)
    await show(callback, screen)
    for part in rest_of_reply:
        await callback.message.answer(part)


async def new_request(
    callback: CallbackQuery, callback_data: NewRequestCb, state: FSMContext, i18n: I18nContext, viewer: Viewer
) -> None:
    await _start_form(callback, state, i18n, callback_data.kind, viewer.person_id)


async def add_clinic_request(callback: CallbackQuery, state: FSMContext, i18n: I18nContext, policy: Policy) -> None:
    """From the clinics of a policy: the request is about that policy's program."""
    await _start_form(callback, state, i18n, RequestKind.ADD_CLINIC, policy.person_id)


async def request_typed(
    message: Message, state: FSMContext, i18n: I18nContext, viewer: Viewer, requests: RequestService
) -> None:
    data = await state.get_data()
    kind = RequestKind(data["request_kind"])

    def parse(text: str) -> dict[str, str]:
        if kind == RequestKind.CALLBACK:
            return {"preferred_time": preferred_time(text)}
        return {"text": request_text(text)}

    fields = await read_typed(message, i18n, parse, f"cabinet-example-{kind.value.replace('_', '-')}")
    if fields is None:
        return
    await state.set_state(None)
    request = await requests.create(viewer, data["request_person_id"], kind, language=i18n.locale, **fields)
    await show(message, request_created_screen(i18n, request))


async def _start_form(
    callback: CallbackQuery, state: FSMContext, i18n: I18nContext, kind: RequestKind, person_id: int
) -> None:
    await state.set_state(RequestForm.text)
    await state.update_data(request_kind=kind.value, request_person_id=person_id)
    await show(callback, request_prompt_screen(i18n, kind))


def create_router() -> Router:
    router = registered_router("requests")
    router.message.register(requests_page, Command("requests"), in_webapp_mode)
    for data in (MenuCb.filter(F.section == "requests"), RequestsCb.filter(), NewRequestCb.filter()):
        router.callback_query.register(requests_page, data, in_webapp_mode)
    router.callback_query.register(request_page, RequestCb.filter(), in_webapp_mode)
    router.callback_query.register(request_page, CloseRequestCb.filter(), in_webapp_mode)
    router.message.register(requests_list, Command("requests"))
    router.callback_query.register(requests_list, MenuCb.filter(F.section == "requests"))
    router.callback_query.register(requests_list, RequestsCb.filter())
    router.callback_query.register(open_request, RequestCb.filter())
    router.callback_query.register(open_request, CloseRequestCb.filter())
    router.callback_query.register(new_request, NewRequestCb.filter(F.kind.in_(FORM_KINDS)))
    router.callback_query.register(add_clinic_request, AddClinicCb.filter())
    router.message.register(request_typed, StateFilter(RequestForm.text), typed_text)
    return router
