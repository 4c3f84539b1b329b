"""Updates per second through the full pipeline versus a bare aiogram echo dispatcher.

Both are fed the same `/menu` updates in this process, with no network: an offline Bot API
session answers every call with a well-formed Message (validated by aiogram as usual), so the
ratio measures what the project adds per update (middlewares, the DB session and account
lookup, i18n, the real /menu handler of a registered user).

    python bench/updates.py [--updates N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Bot, Dispatcher, Router  # noqa: E402
from aiogram.client.session.base import BaseSession  # noqa: E402
from aiogram.filters import Command  # noqa: E402
from aiogram.types import Message, Update  # noqa: E402

from bot.config import load_settings  # noqa: E402
from bot.factory.services import create_services  # noqa: E402
from bot.factory.telegram import create_dispatcher  # noqa: E402
from core.db.engine import create_engine, create_session_factory  # noqa: E402
from core.db.migrate import upgrade  # noqa: E402
from core.db.models import Account, InsuredPerson, Program  # noqa: E402

TOKEN = "123456:BENCH"
USER_ID = 555


class OfflineSession(BaseSession):
    """Answers every method with the same sent message, through aiogram's own response checks."""

    def __init__(self) -> None:
        super().__init__()
        self._reply = json.dumps({
            "ok": True,
            "result": {
                "message_id": 1, "date": 0, "chat": {"id": USER_ID, "type": "private"},
                "from": {"id": 123456, "is_bot": True, "first_name": "Bench"}, "text": "ok",
            },
        })

    async def make_request(self, bot, method, timeout=None):  # noqa: ANN001, ANN201
        return self.check_response(bot, method, 200, self._reply).result

    async def stream_content(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        raise NotImplementedError

    async def close(self) -> None:
        return None


def menu_update(update_id: int) -> Update:
    return Update.model_validate({
        "update_id": update_id,
        "message": {
            "message_id": update_id, "date": 0, "chat": {"id": USER_ID, "type": "private"},
            "from": {"id": USER_ID, "is_bot": False, "first_name": "Bench", "language_code": "ru"},
            "text": "/menu", "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    })


def bare_dispatcher() -> Dispatcher:
    router = Router()

    @router.message(Command("menu"))
    async def echo(message: Message) -> None:
        await message.answer(message.text)

    dp = Dispatcher()
    dp.include_router(router)
    return dp


async def registered_user(session_factory) -> None:  # noqa: ANN001
    async with session_factory() as session:
        session.add(Program(code="STD", name="Standard"))
        await session.flush()
        person = InsuredPerson(
            policy_key="B1", policy_number="B-1", last_name="Bench", first_name="Bench", last_name_key="bench",
            first_name_key="bench", birth_date=date(1980, 1, 1), program_code="STD",
            valid_from=date(2026, 1, 1), valid_to=date(2027, 12, 31), row_hash="-",
        )
        session.add(person)
        await session.flush()
        now = datetime.now(timezone.utc)
        session.add(Account(telegram_id=USER_ID, insured_person_id=person.id, created_at=now, registered_at=now))
        await session.commit()


async def rate(dp: Dispatcher, bot: Bot, count: int) -> float:
    updates = [menu_update(i) for i in range(1, count + 1)]
    for update in updates[: min(200, count)]:  # warm-up
        await dp.feed_update(bot, update)
    started = time.perf_counter()
    for update in updates:
        await dp.feed_update(bot, update)
    return count / (time.perf_counter() - started)


async def main(count: int) -> None:
    bot = Bot(TOKEN, session=OfflineSession())
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/bench.sqlite3"
        await upgrade(url)
        engine = create_engine(url)
        session_factory = create_session_factory(engine)
        await registered_user(session_factory)
        settings = load_settings(database_url=url, bot_token=TOKEN, redis_url=None, otp_secret="bench")
        services = create_services(settings, session_factory, None)
        full = create_dispatcher(settings, session_factory, services)
        bare_rate = await rate(bare_dispatcher(), bot, count)
        full_rate = await rate(full, bot, count)
        await services.close()
        await engine.dispose()
    print(f"bare aiogram: {bare_rate:,.0f} updates/s")
    print(f"full pipeline: {full_rate:,.0f} updates/s")
    print(f"ratio: {full_rate / bare_rate:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=5000)
    asyncio.run(main(parser.parse_args().updates))
