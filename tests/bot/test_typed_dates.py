"""Dates as people type them, through the emulated chat: the registration dialog reads them, and its review
shows the date it read."""

from __future__ import annotations

import pytest

from tests.bot.test_registration import IVANOV_PHONE, by_policy
from tests.harness import BotHarness


@pytest.fixture
async def h(harness: BotHarness) -> BotHarness:
    await harness.load_samples()
    return harness


@pytest.mark.parametrize("typed", ["15031985", "15/03/1985", "15 марта 1985", "15 мар 1985", "March 15, 1985"])
async def test_registration_reads_the_birth_date_as_typed(h: BotHarness, typed: str) -> None:
    chat = h.chat(1070)
    await by_policy(chat, "123/14", "Иванов", "Иван", "Иванович", typed)
    await chat.send(IVANOV_PHONE)
    assert h.sms.last_code(IVANOV_PHONE)  # the registry's 15.03.1985 matched
    review = (await chat.press("Проверьте, что вы ввели"))[-1]
    assert "Дата рождения: 15.03.1985" in review.text


@pytest.mark.parametrize("typed", ["March 15, 1985", "15 Mar 1985", "15.03.1985"])
async def test_english_registration_reads_month_names(h: BotHarness, typed: str) -> None:
    chat = h.chat(1071, language_code="en")
    await chat.send("/start")
    for label in ("I agree", "I agree", "Yes"):
        await chat.press(label)
    await chat.press("I have a policy number")
    for answer in ("123/14", "Иванов", "Иван", "Иванович"):
        await chat.send(answer)
    replies = await chat.send(typed)
    assert "Share my phone" in str(chat.emulator.reply_keyboard(chat.user.id)), replies[-1].text
    await chat.send(IVANOV_PHONE)
    assert h.sms.last_code(IVANOV_PHONE)


async def test_a_date_that_cannot_be_read_is_told_with_examples(h: BotHarness) -> None:
    chat = h.chat(1072)
    await by_policy(chat, "123/14", "Иванов", "Иван", "Иванович", "15.03.1985")
    await chat.press("Назад")  # from the phone back to the birth date
    replies = await chat.send("15 мартобря 1985")
    assert "Не удалось прочитать дату" in replies[-1].text and "9 апреля 1984" in replies[-1].text
