"""The desk's screens that belong to no one area: the staff menu."""

from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from core.actors import Role, staff_commands


def admin_screen(i18n: I18nContext, role: Role) -> tuple[str, InlineKeyboardMarkup | None]:
    lines = [i18n.get("desk-admin-title", role=str(role))]
    lines += [f"/{command} — {i18n.get(f'desk-command-{command}')}" for command in staff_commands(role)[1:]]
    return "\n".join(lines), None
