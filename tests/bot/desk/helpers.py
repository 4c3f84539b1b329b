"""What the desk's tests share: the harness's staff, the stored roles and the audit rows as the database has them."""

from __future__ import annotations

from sqlalchemy import select

from core.db.models import AuditEvent, StaffRole
from tests.harness import BotHarness

ADMIN, SUPPORT = 9001, 9002  # the harness's ADMIN_IDS and SUPPORT_IDS
UNKNOWN_RU = "Такой команды нет. Список команд — /help."
UNKNOWN_EN = "There is no such command. See /help for the list."
STALE_RU = "Эта кнопка устарела. Откройте /menu."


async def stored_roles(h: BotHarness) -> dict[int, str]:
    async with h.engine.connect() as conn:
        return dict((await conn.execute(select(StaffRole.telegram_id, StaffRole.role))).all())


async def audit_rows(h: BotHarness, *actions: str) -> list[tuple]:
    """(action, actor, object type, object id, details), oldest first; of `actions` when given."""
    query = select(
        AuditEvent.action,
        AuditEvent.actor_telegram_id,
        AuditEvent.object_type,
        AuditEvent.object_id,
        AuditEvent.details,
    ).order_by(AuditEvent.id)
    if actions:
        query = query.where(AuditEvent.action.in_(actions))
    async with h.engine.connect() as conn:
        return [tuple(row) for row in (await conn.execute(query)).all()]
