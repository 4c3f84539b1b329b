"""People for the broadcast tests, written straight to the database (a registration each would take
minutes for thousands): an insured person, their account, and their news setting."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from core.db.models import Account, InsuredPerson, NotificationSetting, Program

FIRST_CHAT = 700_000_000


async def add_people(
    engine: AsyncEngine,
    chats: list[int],
    *,
    news: bool | None = True,
    contract: str = "C-1",
    employer: str = "ООО Ромашка",
    valid_to: date = date(2027, 12, 31),
) -> None:
    """Registered accounts for `chats` (Telegram ids), on `contract` at `employer`; `news` their setting
    (None: never chosen, so off)."""
    now = datetime(2026, 11, 1, tzinfo=UTC)
    async with engine.begin() as conn:
        if await conn.scalar(select(Program.code).where(Program.code == "BC")) is None:
            await conn.execute(insert(Program), [{"code": "BC", "name": "Broadcast test"}])
        people = [
            {
                "id": chat - FIRST_CHAT + 1_000_000,
                "policy_key": f"BC{chat}",
                "policy_number": f"BC{chat}",
                "last_name": "Тестова",
                "first_name": "Анна",
                "last_name_key": "тестова",
                "first_name_key": "анна",
                "birth_date": date(1990, 1, 1),
                "contract_number": contract,
                "employer": employer,
                "program_code": "BC",
                "valid_from": date(2026, 1, 1),
                "valid_to": valid_to,
                "row_hash": "0" * 32,
            }
            for chat in chats
        ]
        await conn.execute(insert(InsuredPerson), people)
        accounts = [
            {
                "id": chat - FIRST_CHAT + 1_000_000,
                "telegram_id": chat,
                "insured_person_id": chat - FIRST_CHAT + 1_000_000,
                "created_at": now,
                "registered_at": now,
            }
            for chat in chats
        ]
        await conn.execute(insert(Account), accounts)
        if news is not None:
            settings = [
                {"account_id": chat - FIRST_CHAT + 1_000_000, "kind": "news", "enabled": news} for chat in chats
            ]
            await conn.execute(insert(NotificationSetting), settings)
