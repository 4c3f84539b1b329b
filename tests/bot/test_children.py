"""Adding a child's policy end to end: the sample cases of docs/domain.md "Children"."""

from sqlalchemy import select

from core.db.models import ChildLink
from tests.bot.cabinet_fixtures import IVANOV, SHMOLINA, cabinet_chat, import_samples, person_id


async def add_child(chat, policy: str, birth: str) -> str:  # noqa: ANN001
    await chat.send("/policies")
    await chat.press("Добавить полис ребёнка")
    await chat.send(policy)
    return (await chat.send(birth))[0].text


async def test_ivanov_adds_alexey_and_then_sees_and_pays_for_his_policy(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    # Latin look-alikes, lower case and spaces: the same number.
    added = await add_child(chat, "am 012345689/13", "03.03.2012")
    assert "✅ Полис № АМ012345689/13 (Иванов Алексей Иванович) добавлен" in added
    listing = (await chat.send("/policies"))[0].text
    assert "АМ012345689/13 — Иванов Алексей Иванович" in listing and "Полис ребёнка (добавлен вами)" in listing
    async with harness.engine.connect() as conn:
        link = (await conn.execute(select(ChildLink))).one()
    assert link.parent_person_id == await person_id(harness.engine, "123/14")
    assert link.child_person_id == await person_id(harness.engine, "АМ012345689/13")
    # The franchise of the child's policy is the parent's to activate.
    await chat.press("АМ012345689/13")
    assert "Согласен, активировать" in str((await chat.press("Франшиза"))[0].buttons())
    assert "Вы уже добавили этот полис" in await add_child(chat, "АМ012345689/13", "03.03.2012")


async def test_refusals_each_with_its_reason(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    assert "другому договору" in await add_child(chat, "АМ012345690/13", "05.05.2014")  # Петрова Анна
    assert "уже исполнилось 18 лет" in await add_child(chat, "АМ012345682/13", "04.09.1987")  # the wife
    assert "уже привязан к вашему" in await add_child(chat, "АМ012345683/13", "12.06.2015")  # Пётр, his already
    # A wrong birth date reads like an unknown number: the number alone reveals nothing.
    wrong_date = await add_child(chat, "АМ012345690/13", "06.05.2014")
    assert wrong_date == await add_child(chat, "АМ099999999/13", "05.05.2014")
    assert "Не нашли полис" in wrong_date

    # Шмолина, on the same contract, in English: Пётр is Иванов's relative.
    shmolina = await cabinet_chat(harness, SHMOLINA, language_code="en")
    await shmolina.send("/policies")
    await shmolina.press("Add a child's policy")
    await shmolina.send("АМ012345683/13")
    assert "linked to another employee's policy" in (await shmolina.send("12.06.2015"))[0].text
    async with harness.engine.connect() as conn:
        assert (await conn.execute(select(ChildLink))).all() == []


async def test_bad_input_keeps_the_dialog_and_shows_an_example(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/policies")
    await chat.press("Добавить полис ребёнка")
    reply = (await chat.send("полис?"))[0].text
    assert "В номере полиса бывают только" in reply and "Пример: АМ012345689/13" in reply
    await chat.send("АМ012345689/13")
    reply = (await chat.send("31.02.2012"))[0].text
    assert "Такой даты не бывает" in reply and "Пример: 03.03.2012" in reply
    assert "добавлен" in (await chat.send("3.3.2012"))[0].text


async def test_a_day_has_a_limited_number_of_attempts(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    for _ in range(10):
        assert "Не нашли полис" in await add_child(chat, "АМ099999999/13", "01.01.2015")
    assert "Слишком много попыток" in await add_child(chat, "АМ012345689/13", "03.03.2012")
