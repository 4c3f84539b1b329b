"""/audit [TEXT] (admins): the audit log, newest first, paged by buttons; TEXT filters it by a Telegram id
(digits) or a policy number (anything else; `№12314` for one made of digits), as
`core/services/audit_log.py` says."""

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.callbacks.desk_roles import AuditCb
from bot.filters import Allowed
from bot.handlers.staff.refusals import refused_command, refused_press
from bot.screens import show
from bot.views.desk_audit import audit_screen
from bot.views.kit import input_error
from core.actors import Capability, Forbidden, Viewer
from core.calendar import Clock
from core.errors import InputError
from core.services.audit_log import AuditFilter, AuditLogService, AuditScope


async def audit_command(
    message: Message,
    command: CommandObject,
    i18n: I18nContext,
    viewer: Viewer,
    audit_log: AuditLogService,
    clock: Clock,
) -> None:
    try:
        page = await audit_log.find(viewer.telegram_id, command.args or "")
    except InputError as error:
        await message.answer(input_error(i18n, error, "desk-audit-example"))
        return
    except Forbidden:
        await refused_command(message, i18n)
        return
    if page is None:
        await message.answer(i18n.get("desk-audit-no-person"))
        return
    await show(message, audit_screen(i18n, page, clock.zone))


async def audit_page(
    callback: CallbackQuery,
    callback_data: AuditCb,
    i18n: I18nContext,
    viewer: Viewer,
    audit_log: AuditLogService,
    clock: Clock,
    callback_answer: CallbackAnswer,
) -> None:
    if callback_data.scope not in AuditScope._value2member_map_:
        refused_press(callback_answer, i18n)
        return
    chosen = AuditFilter(AuditScope(callback_data.scope), callback_data.value)
    try:
        page = await audit_log.page(viewer.telegram_id, chosen, callback_data.page)
    except Forbidden:
        refused_press(callback_answer, i18n)
        return
    await show(callback, audit_screen(i18n, page, clock.zone))


def create_router() -> Router:
    router = Router(name="staff-audit")
    router.message.register(audit_command, Command("audit"), Allowed(Capability.READ_AUDIT))
    router.callback_query.register(audit_page, AuditCb.filter(), Allowed(Capability.READ_AUDIT))
    return router
