"""Services rendered (SOGAZ 4.1): reached from /invoices (whose services, then the history) and from a
policy card. A button naming a person goes through the policy resolver (`OwnPolicy`): a forged
`person_id` gets the "not yours" alert before any handler runs; the use case checks it again."""

from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.callbacks.services import ServicesCb, ServicesPeopleCb
from bot.middlewares.pages import pages_instead
from bot.middlewares.registered import registered_router
from bot.screens import refuse, show
from bot.views.services import people_screen, services_screen
from core.services.invoices import InvoiceService
from core.services.policies import Policy, PolicyService
from core.services.viewers import Viewer


async def services_people(
    callback: CallbackQuery,
    i18n: I18nContext,
    viewer: Viewer,
    policies: PolicyService,
    invoices: InvoiceService,
    callback_answer: CallbackAnswer,
) -> None:
    """Whose services: straight to the history when the caller sees only their own policy."""
    linked = await policies.linked_policies(viewer)
    if len(linked) == 1:
        await _history(callback, i18n, viewer, invoices, callback_answer, ServicesCb(person_id=linked[0].person_id))
        return
    await show(callback, people_screen(i18n, linked))


async def services_history(
    callback: CallbackQuery,
    callback_data: ServicesCb,
    i18n: I18nContext,
    viewer: Viewer,
    invoices: InvoiceService,
    callback_answer: CallbackAnswer,
    policy: Policy,
) -> None:
    """`policy`: injected by `OwnPolicy`, so the person is the caller's to see."""
    await _history(callback, i18n, viewer, invoices, callback_answer, callback_data)


async def _history(
    callback: CallbackQuery,
    i18n: I18nContext,
    viewer: Viewer,
    invoices: InvoiceService,
    callback_answer: CallbackAnswer,
    data: ServicesCb,
) -> None:
    shown = await invoices.services(viewer, data.person_id, data.page)
    if shown is None:
        refuse(callback_answer, i18n)
        return
    await show(callback, services_screen(i18n, shown, data.card))


def create_router() -> Router:
    router = registered_router("services")
    pages_instead(router, "pages-services", lambda pages, _, __: pages.services())
    router.callback_query.register(services_people, ServicesPeopleCb.filter())
    router.callback_query.register(services_history, ServicesCb.filter())
    return router
