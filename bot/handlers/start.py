"""/start: the main menu for a registered user; the greeting and registration for anyone else; in the
middle of the registration dialog, a choice between continuing and starting over.

`/start <token>` comes from the insurer's invite e-mail (t.me/<bot>?start=<token>).
"""

from html import escape

from aiogram import Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram_i18n import I18nContext

from bot.handlers.registration import Flow, FlowMiddleware
from bot.states.registration import Registration
from bot.views import registration as views
from bot.views.menu import main_menu
from core.services.invites import is_token_shaped
from core.services.viewers import Viewer


async def start(
    message: Message, command: CommandObject, state: FSMContext, i18n: I18nContext, viewer: Viewer, flow: Flow
) -> None:
    if viewer.registered:
        await state.clear()
        text, keyboard = main_menu(i18n, registered=True)
        await message.answer(text, reply_markup=keyboard)
        return
    token = command.args
    if not token and await state.get_state() == Registration.active.state and await flow.dialog() is not None:
        await flow.show(views.resume(i18n))  # the answers so far are kept until the user chooses
        return
    # The Mini App mode keeps the chat free of personal data: not even the name of the Telegram profile.
    hello = (
        i18n.get("start-hello-anonymous")
        if flow.pages is not None
        else i18n.get("start-hello", name=escape(message.from_user.first_name))
    )
    await message.answer(i18n.get("start-greeting", hello=hello))
    if token and not (is_token_shaped(token) and await flow.service.invite_valid(token)):
        await message.answer(i18n.get("reg-invite-invalid"))
        token = None
    await flow.begin(invite_token=token)


def create_router() -> Router:
    router = Router(name="start")
    router.message.middleware(FlowMiddleware())
    router.message.register(start, CommandStart())
    return router
