"""Roles on the production tier (PostgreSQL, Redis, two replicas): a role granted on one replica holds on the
other at once, and a revocation too — the staff-only use case re-reads the role in its transaction, so it
refuses even where the other replica's cache still has the old role."""

from __future__ import annotations

import asyncio

from sqlalchemy import delete

from bot.callbacks.desk_roles import AuditCb, RolesCb
from core.db.models import StaffRole
from tests.bot.desk.helpers import ADMIN, STALE_RU, UNKNOWN_RU, audit_rows, stored_roles
from tests.harness import BotHarness, Chat

NEW = 7301


async def eventually(chat: Chat, command: str, expected: str) -> str:
    """The other replica hears of the change a moment later (Redis pub/sub): ask again for up to two seconds."""
    for _ in range(40):
        text = (await chat.send(command))[0].text
        if expected in text:
            return text
        await asyncio.sleep(0.05)
    raise AssertionError(f"still {text!r}")


async def test_a_role_granted_and_revoked_on_one_replica_holds_on_the_other_at_once(
    harness_pg_redis: BotHarness,
) -> None:
    first = harness_pg_redis
    second = await BotHarness.start(
        first.emulator, first.sms, first.smtp, first.settings.database_url, redis_url=first.settings.redis_url
    )
    try:
        admin, new = first.chat(ADMIN), second.chat(NEW)
        assert (await new.send("/admin"))[0].text == UNKNOWN_RU  # the second replica caches them as a user
        await admin.send(f"/roles grant {NEW} admin")
        await admin.press("Выдать")
        await eventually(new, "/admin", "администратор")
        assert "Сотрудники" in (await new.send("/roles"))[0].text
        assert [c["command"] for c in first.emulator.chat_commands(NEW)][-4:] == [
            "import",
            "export",
            "broadcast",
            "roles",
        ]

        # Revoked behind the second replica's cache (no announcement): its viewer still says admin, the
        # use case re-reads the role and refuses, as for anyone else.
        async with first.engine.begin() as conn:
            await conn.execute(delete(StaffRole).where(StaffRole.telegram_id == NEW))
        assert (await new.send("/roles"))[0].text == UNKNOWN_RU
        assert (await new.send("/audit"))[0].text == UNKNOWN_RU
        for forged in (RolesCb(action="list"), RolesCb(action="grant", telegram_id=7302, role="admin"), AuditCb()):
            answer = await new.press_forged(new.last, forged.pack())
            assert (answer["text"], answer["show_alert"]) == (STALE_RU, True)
        assert await stored_roles(first) == {}

        # Granted again, then revoked by the admin on the first replica: refused on the second at once.
        await admin.send(f"/roles grant {NEW} admin")
        await admin.press("Выдать")
        await eventually(new, "/roles", "Сотрудники")
        await admin.send(f"/roles revoke {NEW}")
        await admin.press("Отозвать")
        assert (await new.send("/roles"))[0].text == UNKNOWN_RU  # no waiting: whatever the cache says
        await eventually(new, "/admin", UNKNOWN_RU)
        assert first.emulator.chat_commands(NEW) is None
        actions = [row[0] for row in await audit_rows(first, "role.granted", "role.revoked")]
        assert actions == ["role.granted", "role.granted", "role.revoked"]
    finally:
        await second.close()


async def test_roles_and_the_log_on_postgres(harness_pg_redis: BotHarness) -> None:
    h = harness_pg_redis
    admin = h.chat(ADMIN, language_code="en")
    await admin.send(f"/roles grant {NEW} support")
    await admin.press("Grant")
    await admin.send(f"/roles grant {NEW} admin")
    await admin.press("Grant")
    assert await stored_roles(h) == {NEW: "admin"}
    text = (await admin.send(f"/audit {NEW}"))[0].text
    assert "— 2, newest first" in text and text.index("role=admin") < text.index("role=support")
