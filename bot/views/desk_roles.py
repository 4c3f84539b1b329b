"""The desk's /roles screens: who has a staff role (the configuration's marked as such), granting one to a
Telegram id and revoking one granted in the bot, each confirmed by a button."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram_i18n import I18nContext

from bot.callbacks.desk_roles import RolesCb
from bot.screens import Screen
from bot.views.kit import button, fitting, keyboard, lines, moment
from core.actors import Role
from core.services.staff import RoleChange, StaffMember

LIST_BUDGET = 3500  # the members' lines; the rest of the message is the title and the help
MAX_REVOKE_BUTTONS = 50


def role_name(i18n: I18nContext, role: Role) -> str:
    return i18n.get(f"desk-role-{role}")


def _member_line(i18n: I18nContext, member: StaffMember, zone: ZoneInfo) -> str:
    if member.configured:
        return i18n.get("desk-roles-member-configured", id=str(member.telegram_id), role=role_name(i18n, member.role))
    return i18n.get(
        "desk-roles-member-granted",
        id=str(member.telegram_id),
        role=role_name(i18n, member.role),
        by=str(member.granted_by),
        at=moment(i18n, member.granted_at.astimezone(zone)),
    )


def roles_screen(i18n: I18nContext, members: list[StaffMember], zone: ZoneInfo) -> Screen:
    shown = fitting((_member_line(i18n, m, zone) for m in members), LIST_BUDGET)
    more = len(members) - len(shown)
    members_text = lines("\n".join(shown), i18n.get("desk-roles-more", count=more) if more else "")
    text = "\n\n".join((i18n.get("desk-roles-title"), members_text, i18n.get("desk-roles-help")))
    revocable = [m for m in members if not m.configured][:MAX_REVOKE_BUTTONS]
    rows = [
        [
            button(
                i18n.get("desk-roles-revoke-button", id=str(m.telegram_id)),
                RolesCb(action="ask_revoke", telegram_id=m.telegram_id),
            )
        ]
        for m in revocable
    ]
    return text, keyboard(*rows)


def confirm_grant_screen(i18n: I18nContext, telegram_id: int, role: Role, current: Role) -> Screen:
    text = i18n.get(
        "desk-roles-confirm-grant", id=str(telegram_id), role=role_name(i18n, role), current=role_name(i18n, current)
    )
    return text, keyboard(
        [
            button(i18n.get("desk-roles-grant-yes"), RolesCb(action="grant", telegram_id=telegram_id, role=str(role))),
            button(i18n.get("desk-roles-cancel"), RolesCb(action="list")),
        ]
    )


def confirm_revoke_screen(i18n: I18nContext, telegram_id: int, current: Role) -> Screen:
    text = i18n.get("desk-roles-confirm-revoke", id=str(telegram_id), role=role_name(i18n, current))
    return text, keyboard(
        [
            button(i18n.get("desk-roles-revoke-yes"), RolesCb(action="revoke", telegram_id=telegram_id)),
            button(i18n.get("desk-roles-cancel"), RolesCb(action="list")),
        ]
    )


def role_changed_screen(i18n: I18nContext, change: RoleChange, granted: bool, list_set: bool = True) -> Screen:
    """What happened (or why nothing did), and the way back to the list."""
    values = {"id": str(change.telegram_id), "role": role_name(i18n, change.role)}
    if change.refusal is not None:
        text = i18n.get(f"desk-roles-refused-{change.refusal.replace('_', '-')}", **values)
    elif granted:
        text = lines(i18n.get("desk-roles-granted", **values), "" if list_set else i18n.get("desk-roles-list-later"))
    else:
        text = i18n.get("desk-roles-revoked", **values)
    return text, keyboard([button(i18n.get("desk-roles-back"), RolesCb(action="list"))])
