"""/policies: the caller's policies (own, relatives', children's), a card per policy, and its memo (PDF)."""

import asyncio
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardButton, Message
from aiogram_i18n import I18nContext

from bot.callbacks.cabinet import PoliciesCb, PolicyCb, PolicyMemoCb
from bot.callbacks.common import MenuCb
from bot.middlewares.pages import pages_instead
from bot.middlewares.registered import registered_router
from bot.screens import show
from bot.views.memo import memo_filename, memo_pdf
from bot.views.policies import add_child_row, may_add_child, policies_screen, policy_screen
from core.calendar import Clock
from core.services.cards import CardService
from core.services.clinics import ClinicService
from core.services.policies import Policy, PolicyService
from core.services.viewers import Viewer


async def policies_list(
    event: Message | CallbackQuery,
    state: FSMContext,
    i18n: I18nContext,
    viewer: Viewer,
    policies: PolicyService,
    callback_data: MenuCb | PoliciesCb | None = None,
) -> None:
    """The command, the menu button and the pager all land here; a form left open is abandoned."""
    await state.set_state(None)
    page = callback_data.page if isinstance(callback_data, PoliciesCb) else 0
    await show(event, policies_screen(i18n, await policies.linked_policies(viewer), page))


async def policy_card(callback: CallbackQuery, i18n: I18nContext, policy: Policy, cards: CardService) -> None:
    await show(callback, policy_screen(i18n, policy, cards.offered))


async def policy_memo(
    callback: CallbackQuery, i18n: I18nContext, policy: Policy, clinics: ClinicService, clock: Clock
) -> None:
    """The memo as a document under the card (the card stays as it is)."""
    listed, total = await clinics.all_clinics(policy)
    # fpdf2 is pure Python: a memo of 300 clinics takes a second, which the event loop must not wait out
    content = await asyncio.to_thread(memo_pdf, i18n, policy, listed, total, clock.today())
    await callback.message.answer_document(
        BufferedInputFile(content, filename=memo_filename(policy)),
        caption=i18n.get("memo-caption", number=escape(policy.policy_number)),
    )


async def child_form_row(data: dict[str, Any]) -> list[list[InlineKeyboardButton]]:
    """In the Mini App mode adding a child's policy stays a form in the chat: its button under the Open one."""
    if getattr(data.get("callback_data"), "person_id", None) is not None:
        return []  # a policy's card: the button is the list's
    may_add = may_add_child(await data["policies"].linked_policies(data["viewer"]))
    return [add_child_row(data["i18n"])] if may_add else []


def create_router() -> Router:
    router = registered_router("policies")
    pages_instead(
        router,
        "pages-policies",
        lambda pages, person_id, _: pages.policy(person_id) if person_id else pages.policies(),
        child_form_row,
    )
    router.message.register(policies_list, Command("policies"))
    router.callback_query.register(policies_list, MenuCb.filter(F.section == "policies"))
    router.callback_query.register(policies_list, PoliciesCb.filter())
    router.callback_query.register(policy_card, PolicyCb.filter())
    router.callback_query.register(policy_memo, PolicyMemoCb.filter())
    return router
