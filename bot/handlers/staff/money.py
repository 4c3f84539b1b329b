"""An invoice's and a payment's details on the desk, and the admin's money actions on them: mark paid
offline, cancel, refund (in full, or an amount typed in roubles), settle or dismiss a payment anomaly.

Each action: its button, then what it needs typed as the next message (a reference, a reason, an amount, a
comment), then the plan to confirm, then the action, which refuses when the invoices changed since the plan
was shown. The draft (the action, its target, what was typed and the plan shown) lives in the member's desk
storage (`StorageKey(destiny="desk")`), never in their own dialog's state; it is dropped before the action
runs, so a second press on Confirm finds nothing to do.
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.callbacks.desk_money import InvoiceCardCb, MoneyCb, MoneyStepCb, PaymentCardCb
from bot.filters import Allowed
from bot.handlers.staff.dialogs import desk_data, desk_update
from bot.handlers.staff.refusals import refused_press
from bot.screens import Screen, show
from bot.views.desk_money import (
    confirm_screen,
    dropped_note,
    invoice_screen,
    outcome_note,
    payment_screen,
    prompt_screen,
    refusal_note,
)
from bot.views.kit import input_error, variant
from bot.views.pages import PageLinks, open_page_screen
from core.actors import Capability, Forbidden, Viewer
from core.desk.money import MoneyAction, MoneyRefused, may, read_amount, read_reason, read_reference
from core.errors import InputError
from core.services.money import MoneyService

MONEY_KEY = "money"  # the desk storage's entry: {"action", "on", "id", "full"; "text", "amount", "plan" once typed}
ON = {MoneyAction.CANCEL: "i", MoneyAction.REFUND: "p", MoneyAction.DISMISS: "p"}  # MARK_PAID: either
READERS = {MoneyAction.MARK_PAID: read_reference, MoneyAction.CANCEL: read_reason, MoneyAction.DISMISS: read_reason}


async def detail(
    money: MoneyService,
    i18n: I18nContext,
    staff: int,
    on: str,
    item_id: int,
    note: str = "",
    pages: PageLinks | None = None,
) -> Screen | None:
    """The invoice's or the payment's details, with a line over them; None when there is no such one. In the
    Mini App mode (`pages`) a button to its page instead: the card shows amounts, its actions are there."""
    card = await (money.invoice if on == "i" else money.payment)(staff, item_id)
    if card is None:
        return None
    if pages is not None:
        url = pages.desk_invoice(item_id) if on == "i" else pages.desk_payment(item_id)
        return open_page_screen(i18n, "pages-desk-money", url)
    return invoice_screen(i18n, card, note) if on == "i" else payment_screen(i18n, card, note)


async def open_card(
    callback: CallbackQuery,
    callback_data: InvoiceCardCb | PaymentCardCb,
    i18n: I18nContext,
    viewer: Viewer,
    money: MoneyService,
    callback_answer: CallbackAnswer,
    pages: PageLinks | None,
) -> None:
    on, item_id = (
        ("i", callback_data.invoice_id) if isinstance(callback_data, InvoiceCardCb) else ("p", callback_data.payment_id)
    )
    await _show_detail(callback, money, i18n, viewer, on, item_id, callback_answer, pages)


async def _show_detail(
    callback: CallbackQuery,
    money: MoneyService,
    i18n: I18nContext,
    viewer: Viewer,
    on: str,
    item_id: int,
    callback_answer: CallbackAnswer,
    pages: PageLinks | None,
) -> None:
    try:
        screen = await detail(money, i18n, viewer.telegram_id, on, item_id, pages=pages)
    except Forbidden:
        screen = None
    if screen is None:
        refused_press(callback_answer, i18n)
        return
    await show(callback, screen)


async def money_allowed(_: CallbackQuery, callback_data: MoneyCb, viewer: Viewer | None = None) -> bool:
    """The role may take this action on this kind of target: anyone else's press (a forged button) falls
    through to the stale alert. The use case decides again with the role it re-reads."""
    target_fits = ON.get(callback_data.action, callback_data.on) == callback_data.on
    return viewer is not None and target_fits and may(viewer.role, callback_data.action)


def _target(draft: dict) -> dict:
    return {"invoice_id": draft["id"]} if draft["on"] == "i" else {"payment_id": draft["id"]}


async def start(
    callback: CallbackQuery,
    callback_data: MoneyCb,
    state: FSMContext,
    bot: Bot,
    i18n: I18nContext,
    viewer: Viewer,
    money: MoneyService,
    callback_answer: CallbackAnswer,
    pages: PageLinks | None,
) -> None:
    action, on, item_id = callback_data.action, callback_data.on, callback_data.item_id
    if pages is not None:  # a card's button from before the Mini App mode: its plan would show amounts
        await _show_detail(callback, money, i18n, viewer, on, item_id, callback_answer, pages)
        return
    draft = {"action": action.value, "on": on, "id": item_id, "full": callback_data.full}
    try:
        try:  # possible now at all (a refund: all that is left, until an amount is typed)
            plan = await money.plan(viewer.telegram_id, action, **_target(draft))
        except MoneyRefused as refused:
            screen = await detail(money, i18n, viewer.telegram_id, on, item_id, refusal_note(i18n, refused.refusal))
            if screen is None:
                refused_press(callback_answer, i18n)
                return
            await show(callback, screen)
            return
    except Forbidden:
        refused_press(callback_answer, i18n)
        return
    needs_text = action is not MoneyAction.REFUND or not callback_data.full
    if not needs_text:
        draft["plan"] = plan.stored()
    # One draft at a time: an answer of the queue's waiting for its text gives way.
    await desk_update(state.storage, bot.id, viewer.telegram_id, **{MONEY_KEY: draft, "answer": None})
    if needs_text:
        left = plan.amount if action is MoneyAction.REFUND else None
        await show(callback, prompt_screen(i18n, action, left))
        return
    await show(callback, confirm_screen(i18n, plan, None))


async def drafting(message: Message, bot: Bot, state: FSMContext, viewer: Viewer | None = None) -> bool:
    """A staff member's typed text while a money action of theirs waits for it."""
    if viewer is None or not _any_money(viewer) or message.text is None or message.text.startswith("/"):
        return False
    draft = (await desk_data(state.storage, bot.id, viewer.telegram_id)).get(MONEY_KEY)
    return isinstance(draft, dict) and "plan" not in draft


async def typed(
    message: Message, state: FSMContext, bot: Bot, i18n: I18nContext, viewer: Viewer, money: MoneyService
) -> None:
    draft = dict((await desk_data(state.storage, bot.id, viewer.telegram_id))[MONEY_KEY])
    action = MoneyAction(draft["action"])
    try:
        if action is MoneyAction.REFUND:
            draft["amount"] = read_amount(message.text)
        else:
            draft["text"] = READERS[action](message.text)
    except InputError as error:
        await message.answer(input_error(i18n, error, variant("desk-money-example", action)))
        return
    try:
        plan = await money.plan(viewer.telegram_id, action, amount=draft.get("amount"), **_target(draft))
    except Forbidden:
        await desk_update(state.storage, bot.id, viewer.telegram_id, **{MONEY_KEY: None})
        await message.answer(i18n.get("unknown-command"))
        return
    except MoneyRefused as refused:
        if action is MoneyAction.REFUND:  # another amount may do: the draft waits for it
            await message.answer(refusal_note(i18n, refused.refusal))
            return
        await desk_update(state.storage, bot.id, viewer.telegram_id, **{MONEY_KEY: None})
        await message.answer(refusal_note(i18n, refused.refusal))
        return
    draft["plan"] = plan.stored()
    await desk_update(state.storage, bot.id, viewer.telegram_id, **{MONEY_KEY: draft})
    await show(message, confirm_screen(i18n, plan, draft.get("text")))


async def step(
    callback: CallbackQuery,
    callback_data: MoneyStepCb,
    state: FSMContext,
    bot: Bot,
    i18n: I18nContext,
    viewer: Viewer,
    money: MoneyService,
    callback_answer: CallbackAnswer,
) -> None:
    draft = (await desk_data(state.storage, bot.id, viewer.telegram_id)).get(MONEY_KEY)
    ready = isinstance(draft, dict) and (callback_data.step == "drop" or "plan" in draft)
    if not ready:  # nothing waiting (done or dropped already: a second press)
        refused_press(callback_answer, i18n)
        return
    await desk_update(state.storage, bot.id, viewer.telegram_id, **{MONEY_KEY: None})
    on, item_id = draft["on"], draft["id"]
    try:
        if callback_data.step == "drop":
            note = dropped_note(i18n)
        else:
            outcome = await money.apply(
                viewer.telegram_id,
                MoneyAction(draft["action"]),
                draft["plan"],
                amount=draft.get("amount"),
                text=draft.get("text"),
                **_target(draft),
            )
            note = outcome_note(i18n, outcome)
        screen = await detail(money, i18n, viewer.telegram_id, on, item_id, note)
    except Forbidden:
        screen = None
    if screen is None:
        refused_press(callback_answer, i18n)
        return
    await show(callback, screen)


def _any_money(viewer: Viewer) -> bool:
    return any(may(viewer.role, action) for action in MoneyAction)


async def money_staff(_: object, viewer: Viewer | None = None) -> bool:
    return viewer is not None and _any_money(viewer)


def create_router() -> Router:
    router = Router(name="staff-money")
    for data in (InvoiceCardCb, PaymentCardCb):
        router.callback_query.register(open_card, data.filter(), Allowed(Capability.VIEW_RECORD))
    router.callback_query.register(start, MoneyCb.filter(), money_allowed)
    router.message.register(typed, drafting)
    router.callback_query.register(step, MoneyStepCb.filter(), money_staff)
    return router
