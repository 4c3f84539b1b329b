"""Issue 19 end to end: a policy number typed with any separator registers its holder, and "No code? Check
what you typed" after the phone reads the same whether or not the details matched (privacy of refusals),
in Russian and in English."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.bot.test_registration import IVANOV_PHONE, assert_done, by_policy, enter_sms_code, linked_person
from tests.harness import BotHarness, Chat


@pytest.fixture
async def h(harness: BotHarness) -> BotHarness:
    await harness.load_samples()
    return harness


@pytest.mark.parametrize("typed", ["123-14", "123 14", "123.14", "123\\14", "123_14"])
async def test_any_separator_registers_the_123_14_holder(h: BotHarness, typed: str) -> None:
    chat = h.chat(2001)
    await by_policy(chat, typed, "Иванов", "Иван", "Иванович", "15.03.1985")
    assert_done(await chat.share_contact(IVANOV_PHONE))
    person = await linked_person(h, 2001)
    assert (person.policy_key, person.policy_number, person.last_name) == ("12314", "123/14", "Иванов")


async def test_cyrillic_letters_a_space_and_a_dash_register_the_am_holder(h: BotHarness) -> None:
    chat = h.chat(2002)
    await by_policy(chat, "АМ 012345678-13", "Шмолина", "Елена", "Вениаминовна", "02.07.1979")
    await chat.send("+7 916 100-00-02")
    assert_done(await enter_sms_code(h, chat, "+79161000002"))
    assert (await linked_person(h, 2002)).policy_number == "AM012345678/13"


# --- "No code? Check what you typed"

LABELS = {
    "ru": {
        "agree": "✅",
        "notifications": "Да",
        "way": "номер полиса",
        "review": "Нет кода?",
        "wait": "Вернуться к коду",
        "change": "Изменить номер полиса",
        "submit": "Отправить данные ещё раз",
        "support": "Написать в поддержку",
    },
    "en": {
        "agree": "✅",
        "notifications": "Yes",
        "way": "policy number",
        "review": "No code?",
        "wait": "Back to the code",
        "change": "Change the policy number",
        "submit": "Send the details again",
        "support": "Write to support",
    },
}
REVIEW = {
    "ru": "Что вы ввели\n",
    "en": "What you typed\n",
}
LISTED = {
    "ru": [
        "Номер полиса: 123-14",
        "Фамилия: Иванов",
        "Имя: Иван",
        "Отчество: Иванович",
        "Дата рождения: 15.03.1985",
        "Телефон: +7 916 ***-**-01",
    ],
    "en": [
        "Policy number: 123-14",
        "Surname: Иванов",
        "First name: Иван",
        "Patronymic: Иванович",
        "Date of birth: 15 Mar 1985",
        "Phone: +7 916 ***-**-01",
    ],
}


def seen(replies: list) -> list[tuple[str, tuple[str, ...]]]:
    return [(m.text, tuple(b["text"] for b in m.buttons())) for m in replies]


async def review_dialog(h: BotHarness, chat: Chat, language: str, moments: list) -> list:
    """Ivanov's details typed with a dash and his phone typed (no contact: a code is needed); then the way
    out: the review, back to the code, the review again, the number changed, the details sent again."""
    label = LABELS[language]
    transcript = seen(await chat.send("/start"))
    for press in (label["agree"], label["agree"], label["notifications"], label["way"]):
        transcript += seen(await chat.press(press))
    for answer in ("123-14", "Иванов", "Иван", "Иванович", "15.03.1985", "+7 916 100-00-01"):
        transcript += seen(await chat.send(answer))
    review = await chat.press(label["review"])
    assert review[-1].text.startswith(REVIEW[language])
    assert review[-1].text.splitlines()[-len(LISTED[language]) :] == LISTED[language]  # only what was typed
    assert review[-1].button(label["support"]) and review[-1].button(label["submit"])
    transcript += seen(review)
    transcript += seen(await chat.press(label["wait"]))  # the code that went (or not): no new one
    transcript += seen(await chat.press(label["review"]))
    transcript += seen(await chat.press(label["change"]))
    changed = await chat.send("123/14")
    assert any("123/14" in line for line in changed[-1].text.splitlines())
    transcript += seen(changed)
    moments.append(moments[-1] + timedelta(seconds=61))  # past the resend cooldown
    transcript += seen(await chat.press(label["submit"]))
    return transcript


@pytest.mark.parametrize("language", ["ru", "en"])
async def test_the_way_out_reads_the_same_for_matching_and_unknown_details(
    moved_harness: BotHarness, moments: list[datetime], language: str
) -> None:
    harness, now = moved_harness, moments[0]
    # Nobody on the list yet: the details match nothing, and no code is ever sent.
    unknown = await review_dialog(harness, harness.chat(2010, language_code=language), language, moments)
    assert harness.sms.messages == []
    await harness.load_samples()
    moments.append(now)
    chat = harness.chat(2011, language_code=language)
    matching = await review_dialog(harness, chat, language, moments)
    assert matching == unknown  # word for word, button for button
    assert len(harness.sms.texts(IVANOV_PHONE)) == 2  # the first submission's code, and the second's
    replies = await chat.send(harness.sms.last_code(IVANOV_PHONE))
    assert any(("Готово" if language == "ru" else "Done") in m.text for m in replies)
    assert (await linked_person(harness, 2011)).policy_key == "12314"
    assert await linked_person(harness, 2010) is None
