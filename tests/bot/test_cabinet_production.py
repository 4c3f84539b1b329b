"""The cabinet's main flow on the production tier: PostgreSQL, and Redis for the FSM and the codes."""

from sqlalchemy import select

from core.db.models import Account, ChildLink, FranchiseActivation, UserRequest
from tests.bot.cabinet_fixtures import IVANOV, cabinet_chat, import_samples


async def test_main_flow_on_postgres_and_redis(harness_pg_redis) -> None:
    harness = harness_pg_redis
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)

    await chat.send("/policies")
    await chat.press("Добавить полис ребёнка")
    for answer in ("АМ012345689/13", "Иванов", "Алексей", "Иванович"):  # one step each, kept in Redis
        await chat.send(answer)
    assert "добавлен" in (await chat.send("03.03.2012"))[0].text

    await chat.send("/menu")
    await chat.press("Франшиза")
    await chat.press("123/14")
    assert "с 23.11.2026" in (await chat.press("Согласен, активировать"))[0].text

    await chat.send("/clinics")
    await chat.press("АМ012345689/13")
    await chat.press("Поиск")
    found = (await chat.send("москва"))[0]  # the search is kept in the Redis FSM data
    card = (await chat.press("Улыбка", found))[0]
    assert "Недоступна, пока не действует франшиза" in card.text  # the child's franchise is his own
    assert "Поиск «москва»" in (await chat.press("К списку клиник", card))[0].text

    await chat.send("/requests")
    await chat.press("Вопрос врачу-куратору")
    assert "№ 1" in (await chat.send("Нужна ли справка для бассейна?"))[0].text

    await chat.send("/settings")
    await chat.press("Сменить e-mail")
    await chat.send("ivanov.pg@example.ru")
    assert "E-mail изменён" in (await chat.send(harness.smtp.last_code("ivanov.pg@example.ru")))[0].text

    async with harness.engine.connect() as conn:
        assert len((await conn.execute(select(ChildLink))).all()) == 1
        assert len((await conn.execute(select(FranchiseActivation))).all()) == 1
        assert await conn.scalar(select(UserRequest.kind)) == "curator"
        assert await conn.scalar(select(Account.email).where(Account.telegram_id == IVANOV)) == "ivanov.pg@example.ru"
