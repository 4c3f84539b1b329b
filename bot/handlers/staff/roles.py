"""/roles (admins): who has a staff role, granting one to a Telegram id, revoking one granted in the bot.

Typed values come as the command's arguments (`/roles grant 123456789 support`, `/roles revoke 123456789`),
never through the caller's FSM state: a staff member may be in the middle of their own registration, and a
desk action neither answers nor loses it. Each change is confirmed by a button and made by the use case,
which re-reads the caller's role in its transaction; then the member's own command list follows.
"""

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.callbacks.desk_roles import RolesCb
from bot.command_lists import set_chat_list
from bot.filters import Allowed
from bot.handlers.staff.refusals import refused_command, refused_press
from bot.screens import show
from bot.views.desk_roles import confirm_grant_screen, confirm_revoke_screen, role_changed_screen, roles_screen
from bot.views.kit import input_error
from core.actors import Capability, Forbidden, Role, Viewer
from core.calendar import Clock
from core.errors import InputError
from core.services.roles import GRANTABLE
from core.services.staff import StaffService
from core.staff import parse_grant, parse_telegram_id


async def roles_command(
    message: Message,
    command: CommandObject,
    i18n: I18nContext,
    viewer: Viewer,
    staff_roles: StaffService,
    clock: Clock,
) -> None:
    words = (command.args or "").split(maxsplit=1)
    verb, rest = (words[0].casefold() if words else ""), (words[1] if len(words) > 1 else "")
    try:
        if not verb:
            await show(message, roles_screen(i18n, await staff_roles.staff(viewer.telegram_id), clock.zone))
        elif verb == "grant":
            telegram_id, role = parse_grant(rest)
            current = await staff_roles.role_of(viewer.telegram_id, telegram_id)
            await show(message, confirm_grant_screen(i18n, telegram_id, role, current))
        elif verb == "revoke":
            telegram_id = parse_telegram_id(rest)
            current = await staff_roles.role_of(viewer.telegram_id, telegram_id)
            await show(message, confirm_revoke_screen(i18n, telegram_id, current))
        else:
            raise InputError("roles", "roles.usage")
    except InputError as error:
        await message.answer(input_error(i18n, error, "desk-roles-example"))
    except Forbidden:
        await refused_command(message, i18n)


async def roles_pressed(
    callback: CallbackQuery,
    callback_data: RolesCb,
    i18n: I18nContext,
    viewer: Viewer,
    staff_roles: StaffService,
    clock: Clock,
    bot: Bot,
    callback_answer: CallbackAnswer,
) -> None:
    action, telegram_id = callback_data.action, callback_data.telegram_id
    try:
        if action == "list":
            await show(callback, roles_screen(i18n, await staff_roles.staff(viewer.telegram_id), clock.zone))
        elif action == "ask_revoke" and telegram_id:
            current = await staff_roles.role_of(viewer.telegram_id, telegram_id)
            await show(callback, confirm_revoke_screen(i18n, telegram_id, current))
        elif action == "grant" and telegram_id and callback_data.role in GRANTABLE:
            change = await staff_roles.grant(viewer.telegram_id, telegram_id, Role(callback_data.role))
            listed = not change.done or await set_chat_list(bot, i18n.core, telegram_id, change.role)
            await show(callback, role_changed_screen(i18n, change, granted=True, list_set=listed))
        elif action == "revoke" and telegram_id:
            change = await staff_roles.revoke(viewer.telegram_id, telegram_id)
            if change.done:
                await set_chat_list(bot, i18n.core, telegram_id, Role.USER)
            await show(callback, role_changed_screen(i18n, change, granted=False))
        else:
            refused_press(callback_answer, i18n)
    except Forbidden:
        refused_press(callback_answer, i18n)


def create_router() -> Router:
    router = Router(name="staff-roles")
    router.message.register(roles_command, Command("roles"), Allowed(Capability.GRANT_ROLES))
    router.callback_query.register(roles_pressed, RolesCb.filter(), Allowed(Capability.GRANT_ROLES))
    return router
