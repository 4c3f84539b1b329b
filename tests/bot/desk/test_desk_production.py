"""The desk on the production tier: PostgreSQL, and Redis for the FSM (the dialog reset reaches the
user's state there) and the viewer cache; the counters' upsert and a registration lock on PostgreSQL."""

import asyncio

from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import select

from core.db.models import LimitCounter
from tests.bot.cabinet_fixtures import IVANOV, cabinet_chat, import_samples
from tests.bot.desk.test_record import ADMIN, SUPPORT, audit_rows, confirm, open_record
from tests.bot.test_registration import by_policy
from tests.harness import BotHarness


async def test_the_desk_on_postgres_and_redis(harness_pg_redis) -> None:
    h = harness_pg_redis
    await import_samples(h.engine)
    user = await cabinet_chat(h, IVANOV)
    await user.send("/requests")
    await user.press("Вопрос врачу-куратору")
    key = StorageKey(bot_id=h.bot.id, chat_id=IVANOV, user_id=IVANOV)
    assert await h.dp.storage.get_state(key) is not None
    # A staff member in the middle of her own registration
    staff = h.chat(SUPPORT)
    await by_policy(staff, "AM012345678/13", "Шмолина", "Елена", "Вениаминовна", "02.07.1979")
    own = StorageKey(bot_id=h.bot.id, chat_id=SUPPORT, user_id=SUPPORT)
    before = await h.dp.storage.get_state(own), await h.dp.storage.get_data(own)
    _, record = await open_record(h, SUPPORT, "+7 916 100-00-01")
    assert "Иванов Иван Иванович" in record.text
    assert "Диалог сброшен" in await confirm(staff, record, "Сбросить зависший диалог")
    assert await h.dp.storage.get_state(key) is None
    assert (await h.dp.storage.get_state(own), await h.dp.storage.get_data(own)) == before
    # Five failed submissions naming a number lock it; support lifts the lock
    for n in range(5):
        stranger = h.chat(3000 + n)
        await by_policy(stranger, "АМ012345679/13", "Неверов", "Иван", None, "01.01.1980")
        await stranger.send("+7 916 555-00-00")
    _, record = await open_record(h, SUPPORT, "АМ012345679/13")
    registration = (await staff.press("Регистрация", record))[0]
    assert "номер: неудачных попыток 5, 🔒 заблокирован" in registration.text
    assert "Блокировка регистрации снята" in await confirm(staff, registration, "Снять блокировку")
    async with h.engine.connect() as conn:
        number = h.container.otp.pseudonym("number", "AM01234567913")
        counts = await conn.scalars(select(LimitCounter.count).where(LimitCounter.subject == number))
        assert list(counts) == [0]  # the name typed with it is not this person's: its count stays
    # Blocked: one line, then nothing
    admin, record = await open_record(h, ADMIN, "123/14")
    await confirm(admin, record, "Заблокировать")
    assert len(await user.send("/menu")) == 1 and await user.send("/menu") == []
    assert len(await audit_rows(h, "user.blocked")) == 1


async def test_a_block_on_one_replica_holds_on_the_other_at_once(harness_pg_redis) -> None:
    first = harness_pg_redis
    second = await BotHarness.start(
        first.emulator, first.sms, first.smtp, first.settings.database_url, redis_url=first.settings.redis_url
    )
    try:
        await import_samples(first.engine)
        await cabinet_chat(first, IVANOV)
        on_second = second.chat(IVANOV)
        assert "Главное меню" in (await on_second.send("/menu"))[0].text  # cached on the second replica
        admin, record = await open_record(first, ADMIN, "123/14")
        await confirm(admin, record, "Заблокировать")
        line = "Доступ к боту приостановлен. Обратитесь в отдел кадров или в страховую компанию."
        for _ in range(40):  # the other replica hears of it a moment later
            answers = [m.text for m in await on_second.send("/menu")]
            if answers != [] and "Главное меню" not in answers[0]:
                break
            await asyncio.sleep(0.05)
        assert answers == [line]
        assert await on_second.send("/menu") == []
    finally:
        await second.close()
