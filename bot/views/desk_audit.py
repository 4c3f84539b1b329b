"""The desk's /audit screen: a page of the audit log, newest first — when, what (in words), who, on what,
with ids — and the pager."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from aiogram_i18n import I18nContext

from bot.callbacks.desk_roles import AuditCb
from bot.screens import Screen
from bot.views.kit import clip, keyboard, lines, moment, page_line, pager
from core.audit import AuditAction
from core.services.audit_log import AuditEntry, AuditPage, AuditScope

DETAILS = 160  # characters of an entry's details (ids and codes: short; a long one is clipped)


def action_key(action: str) -> str:
    """The locale key of an action's words: `registration.key_failed` → `audit-action-registration-key-failed`."""
    return "audit-action-" + action.replace(".", "-").replace("_", "-")


def action_words(i18n: I18nContext, action: str) -> str:
    if action in AuditAction._value2member_map_:
        return i18n.get(action_key(action))
    return f"<code>{escape(action)}</code>"  # an entry older than the catalogue's present names


def _entry(i18n: I18nContext, entry: AuditEntry, zone: ZoneInfo) -> str:
    who = f"<code>{entry.actor}</code>" if entry.actor is not None else i18n.get("desk-audit-system")
    facts = [i18n.get("desk-audit-who", who=who)]
    if entry.object_type:
        facts.append(f"{escape(entry.object_type)} <code>{escape(entry.object_id or '')}</code>")
    if entry.reason:
        facts.append(escape(entry.reason))
    details = ", ".join(f"{key}={value}" for key, value in entry.details.items() if value is not None)
    if details:
        facts.append(escape(clip(details, DETAILS)))
    return f"<b>{moment(i18n, entry.at.astimezone(zone))}</b> {action_words(i18n, entry.action)}\n" + " · ".join(facts)


def _filter_line(i18n: I18nContext, page: AuditPage) -> str:
    scope, value = page.filter.scope, str(page.filter.value)
    if scope is AuditScope.TELEGRAM:
        return i18n.get("desk-audit-filter-telegram", id=value, count=page.total)
    if scope is AuditScope.PERSON:
        return i18n.get("desk-audit-filter-person", id=value, count=page.total)
    return i18n.get("desk-audit-filter-all", count=page.total)


def audit_screen(i18n: I18nContext, page: AuditPage, zone: ZoneInfo) -> Screen:
    entries = "\n\n".join(_entry(i18n, e, zone) for e in page.entries) or i18n.get("desk-audit-empty")
    head = lines(i18n.get("desk-audit-title"), _filter_line(i18n, page))
    text = "\n\n".join(part for part in (head, entries, page_line(i18n, page.page)) if part)
    scope, value = page.filter.scope, page.filter.value
    return text, keyboard(pager(i18n, page.page, lambda n: AuditCb(scope=scope, value=value, page=n)))
