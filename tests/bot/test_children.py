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
    """The form as a parent fills it: the number, the surname, the first name, the patronymic ("no
    patronymic" pressed when the name has two words), the birth date."""
    ru = chat.user.language_code == "ru"
    await chat.send("/policies")
    await chat.press("Добавить полис ребёнка" if ru else "Add a child's policy")
    await chat.send(policy)
    last, first, *patronymic = name.split()
    await chat.send(last)
    await chat.send(first)
    if patronymic:
        await chat.send(" ".join(patronymic))
    else:
        await chat.press("Отчества нет" if ru else "No patronymic")
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


async def test_the_form_asks_as_registration_does_with_back_and_cancel_at_every_step(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/policies")
    prompt = (await chat.press("Добавить полис ребёнка"))[-1]
    assert "Введите номер полиса ребёнка" in prompt.text
    assert answer(prompt)[1] == ["‹ Назад", "Отмена"]
    bad = (await chat.send("№"))[-1]  # an error reply keeps the step's buttons
    assert "Пример: АБ246813579/20" in bad.text and answer(bad)[1] == ["‹ Назад", "Отмена"]
    steps = [
        ("АМ012345689/13", "Введите фамилию ребёнка"),
        ("Иванов", "Введите имя ребёнка"),
        ("Алексей", "Введите отчество ребёнка"),
    ]
    for typed, asked in steps:
        reply = (await chat.send(typed))[-1]
        assert asked in reply.text and "Отмена" in answer(reply)[1] and "‹ Назад" in answer(reply)[1]
    assert answer(chat.last)[1] == ["Отчества нет", "‹ Назад", "Отмена"]
    wrong = (await chat.send("Иванович2"))[-1]
    assert "только буквы" in wrong.text and answer(wrong)[1] == ["Отчества нет", "‹ Назад", "Отмена"]
    back = (await chat.press("‹ Назад", wrong))[-1]  # back to the first name, then on again
    assert "Введите имя ребёнка" in back.text
    await chat.send("Алексей")
    await chat.send("Иванович")
    bad_date = (await chat.send("31.02.2012"))[-1]
    assert (
        "Такой даты не бывает" in bad_date.text
        and "Пример: 21.06.2016" in bad_date.text
        and answer(bad_date)[1] == ["‹ Назад", "Отмена"]
    )
    added = (await chat.send("03.03.2012"))[-1]
    assert "✅ Полис № АМ012345689/13 (Иванов Алексей Иванович) добавлен" in added.text
    # Cancel leaves the form: the policy list, and typed text is no answer any more.
    await chat.send("/policies")
    await chat.press("Добавить полис ребёнка")
    listing = (await chat.press("Отмена"))[-1]
    assert "Мои полисы" in listing.text
    # Back from the first step: the policy list too.
    await chat.press("Добавить полис ребёнка")
    assert "Мои полисы" in (await chat.press("‹ Назад"))[-1].text


async def test_the_form_in_english(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV, language_code="en")
    await chat.send("/policies")
    prompt = (await chat.press("Add a child's policy"))[-1]
    assert "Enter the child's policy number" in prompt.text and answer(prompt)[1] == ["‹ Back", "Cancel"]
    await chat.send("АМ012345689/13")
    assert "Enter the child's surname" in chat.last.text
    assert "Enter the child's first name" in (await chat.send("Ivanov"))[-1].text
    await chat.send("Aleksei")
    assert answer(chat.last)[1] == ["No patronymic", "‹ Back", "Cancel"]
    wrong = (await chat.send("Ivanovich2"))[-1]
    assert "Example: Nikolaevich" in wrong.text and answer(wrong)[1] == ["No patronymic", "‹ Back", "Cancel"]
    await chat.send("Ivanovich")
    assert "21 Jun 2016" in chat.last.text  # the example, in the form English screens write dates
    added = (await chat.send("3 Mar 2012"))[-1]
    assert "АМ012345689/13" in added.text and "is added" in added.text


async def test_a_stale_form_button_is_refused_with_an_alert(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/policies")
    prompt = (await chat.press("Добавить полис ребёнка"))[-1]
    await chat.send("/menu")  # the form is left
    await chat.press("‹ Назад", prompt)
    assert harness.emulator.callback_answers[-1]["show_alert"] is True
