"""Adding a child's policy end to end: the sample cases of docs/domain.md "Children", the privacy of
refusals, the audit, and the link lapsing at 18."""

from datetime import date

from sqlalchemy import select, update

from core.db.models import AuditEvent, ChildLink, InsuredPerson
from emulators.telegram import SentMessage
from tests.bot.cabinet_fixtures import IVANOV, SHMOLINA, cabinet_chat, import_samples, person_id

ALEXEY = ("АМ012345689/13", "Иванов Алексей Иванович", "03.03.2012")  # Иванов's son: same contract, no holder
ANNA = ("АМ012345690/13", "Петрова Анна Сергеевна", "05.05.2014")  # a child on another contract
PETR = ("АМ012345683/13", "Иванов Пётр Иванович", "12.06.2015")  # names Иванов as holder


async def add_child(chat, policy: str, name: str, birth: str) -> SentMessage:
    await chat.send("/policies")
    await chat.press("Добавить полис ребёнка" if chat.user.language_code == "ru" else "Add a child's policy")
    await chat.send(policy)
    await chat.send(name)
    return (await chat.send(birth))[-1]


def answer(message: SentMessage) -> tuple[str, list[str]]:
    """What the user sees: the text and the buttons."""
    return message.text, [b["text"] for b in message.buttons()]


async def audited(harness) -> list[tuple[int, str]]:
    async with harness.engine.connect() as conn:
        rows = await conn.execute(
            select(AuditEvent.actor_telegram_id, AuditEvent.reason)
            .where(AuditEvent.action == "child.add")
            .order_by(AuditEvent.id)
        )
        return [tuple(row) for row in rows]


async def test_ivanov_adds_alexey_and_then_sees_and_pays_for_his_policy(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    # Latin look-alikes, lower case and spaces in the number; the name in another case.
    added = await add_child(chat, "am 012345689/13", "ИВАНОВ алексей Иванович", "03.03.2012")
    assert "✅ Полис № АМ012345689/13 (Иванов Алексей Иванович) добавлен" in added.text
    assert "Когда ребёнку исполнится 18 лет" in added.text and "Главное меню" in str(added.buttons())
    listing = (await chat.send("/policies"))[0].text
    assert "АМ012345689/13 — Иванов Алексей Иванович" in listing
    assert "Полис ребёнка (добавлен вами)" in listing
    async with harness.engine.connect() as conn:
        link = (await conn.execute(select(ChildLink))).one()
    assert link.parent_person_id == await person_id(harness.engine, "123/14")
    assert link.child_person_id == await person_id(harness.engine, "АМ012345689/13")
    # The franchise of the child's policy is the parent's to activate.
    await chat.press("АМ012345689/13")
    assert "Согласен, активировать" in str((await chat.press("Франшиза"))[0].buttons())
    assert "Вы уже добавили этот полис" in (await add_child(chat, *ALEXEY)).text
    assert "уже привязан к вашему" in (await add_child(chat, *PETR)).text  # he sees Пётр already


async def test_a_latin_name_as_in_the_passport_is_read(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV, language_code="en")
    added = await add_child(chat, "АМ012345689/13", "Ivanov Aleksei Ivanovich", "03.03.2012")
    assert "Policy No. АМ012345689/13 (Иванов Алексей Иванович) is added" in added.text


async def test_the_issues_finding_a_colleague_with_a_number_and_a_birth_date_learns_nothing(harness) -> None:
    await import_samples(harness.engine)
    shmolina = await cabinet_chat(harness, SHMOLINA)
    unknown = answer(await add_child(shmolina, "АМ099999999/13", "Иванов Алексей Иванович", "03.03.2012"))
    assert "Не удалось добавить полис по этим данным" in unknown[0]
    # Алексей's number and birth date without his full name (the patronymic guessed wrong, or left out).
    assert answer(await add_child(shmolina, "АМ012345689/13", "Иванов Алексей Петрович", "03.03.2012")) == unknown
    assert answer(await add_child(shmolina, "АМ012345689/13", "Иванов Алексей", "03.03.2012")) == unknown
    # True details of children she may not add read the same: another holder's son, another contract.
    assert answer(await add_child(shmolina, *PETR)) == unknown
    assert answer(await add_child(shmolina, *ANNA)) == unknown
    async with harness.engine.connect() as conn:
        assert (await conn.execute(select(ChildLink))).all() == []
    # Each attempt is audited with the exact reason, which staff see and she does not.
    assert await audited(harness) == [
        (SHMOLINA, "not_found"),
        (SHMOLINA, "not_found"),
        (SHMOLINA, "not_found"),
        (SHMOLINA, "other_holder"),
        (SHMOLINA, "other_contract"),
    ]


async def test_refusals_that_would_tell_something_read_like_an_unknown_policy_in_english(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV, language_code="en")
    unknown = answer(await add_child(chat, "АМ099999999/13", "Petrova Anna Sergeevna", "05.05.2014"))
    assert unknown[0].startswith("We could not add a policy with these details")
    assert answer(await add_child(chat, *ANNA)) == unknown  # other contract
    assert answer(await add_child(chat, "АМ012345690/13", "Petrova Anna Sergeevna", "06.05.2014")) == unknown
    # Иванова, his wife, is his relative: her policy is in his list already, so that may be said.
    wife = await add_child(chat, "АМ012345682/13", "Ivanova Mariia Sergeevna", "04.09.1987")
    assert "already linked to yours" in wife.text
    # Another parent's child: added by Иванов, then tried by Шмолина with every detail right.
    assert "is added" in (await add_child(chat, *ALEXEY)).text
    shmolina = await cabinet_chat(harness, SHMOLINA, language_code="en")
    taken = answer(await add_child(shmolina, *ALEXEY))
    assert taken == answer(await add_child(shmolina, "АМ099999999/13", *ALEXEY[1:]))
    assert taken[0].startswith("We could not add a policy with these details")
    assert (SHMOLINA, "taken") in await audited(harness)


async def test_bad_input_keeps_the_dialog_and_shows_an_example(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/policies")
    prompt = (await chat.press("Добавить полис ребёнка"))[0]
    assert "номер полиса, ФИО и дата рождения ребёнка" in prompt.text and prompt.button("Отмена")
    reply = (await chat.send("полис?"))[0].text
    assert "В номере полиса бывают только" in reply and "Пример: АМ012345689/13" in reply
    assert "фамилию, имя и отчество ребёнка" in (await chat.send("АМ012345689/13"))[0].text
    reply = (await chat.send("Иванов"))[0].text
    assert "Нужны фамилия и имя ребёнка" in reply and "Пример: Иванов Алексей Иванович" in reply
    reply = (await chat.send("Иванов <Алексей>"))[0].text
    assert "Пример: Иванов Алексей Иванович" in reply
    assert "дату рождения" in (await chat.send("Иванов Алексей Иванович"))[0].text
    reply = (await chat.send("31.02.2012"))[0].text
    assert "Такой даты не бывает" in reply and "Пример: 03.03.2012" in reply
    assert "добавлен" in (await chat.send("3.3.2012"))[0].text


async def test_english_prompts_and_input_errors(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV, language_code="en")
    await chat.send("/policies")
    await chat.press("Add a child's policy")
    assert "surname, first name and patronymic" in (await chat.send("АМ012345689/13"))[0].text
    reply = (await chat.send("Ivanov"))[0].text
    assert "surname and first name are needed" in reply and "Example: Ivanov Aleksei Ivanovich" in reply


async def test_a_day_has_a_limited_number_of_attempts_then_support_is_offered(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    for _ in range(10):
        assert "Не удалось добавить" in (await add_child(chat, "АМ099999999/13", *ALEXEY[1:])).text
    refused = await add_child(chat, *ALEXEY)
    assert "Слишком много попыток" in refused.text
    assert refused.button("Написать в поддержку") and "Попробовать ещё раз" not in str(refused.buttons())
    assert "Вопрос в поддержку" in (await chat.press("Написать в поддержку", refused))[0].text
    assert [reason for _, reason in await audited(harness)] == ["not_found"] * 10  # the refused 11th is not one


async def test_the_link_lapses_when_the_child_turns_18(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    await add_child(chat, *ALEXEY)
    listing = (await chat.send("/policies"))[0]
    assert "АМ012345689/13" in listing.text
    # Time passes: make today (21.11.2026) his 18th birthday.
    async with harness.engine.begin() as conn:
        await conn.execute(
            update(InsuredPerson)
            .where(InsuredPerson.policy_number == "АМ012345689/13")
            .values(birth_date=date(2008, 11, 21))
        )
    assert "АМ012345689/13" not in (await chat.send("/policies"))[0].text
    child = await person_id(harness.engine, "АМ012345689/13")
    for data in (f"pol:{child}", f"cls:{child}:0:", f"fr:{child}"):  # his card, clinics, franchise
        alert = await chat.press_forged(listing, data)
        assert alert["show_alert"] is True and "недоступно" in alert["text"]
    await chat.send("/menu")
    await chat.press("Франшиза")
    assert "АМ012345689/13" not in chat.last.text
    # The day before, he was still the parent's to see.
    async with harness.engine.begin() as conn:
        await conn.execute(
            update(InsuredPerson)
            .where(InsuredPerson.policy_number == "АМ012345689/13")
            .values(birth_date=date(2008, 11, 22))
        )
    assert "АМ012345689/13" in (await chat.send("/policies"))[0].text
