"""The first handlers, end to end: emulator over HTTP, real dispatcher, real SQLite."""

import logging

from sqlalchemy import select, text

from core.db.models import Account


async def test_start_greets_in_russian_by_default(harness) -> None:
    replies = await harness.chat(first_name="Анна").send("/start")
    assert "Здравствуйте, Анна!" in replies[0].text
    assert "регистрац" in replies[0].text
    assert "персональных данных" in replies[1].text  # registration begins with the first consent


async def test_start_greets_in_english_for_an_english_telegram(harness) -> None:
    replies = await harness.chat(language_code="en-GB", first_name="Ann").send("/start")
    assert "Hello, Ann!" in replies[0].text


async def test_user_supplied_name_is_escaped_in_html(harness) -> None:
    replies = await harness.chat(first_name="<b>&Bob").send("/start")
    assert "<b>&Bob" in replies[0].text  # shown literally; the emulator refuses broken HTML


async def test_help_for_the_unregistered_leads_to_start(harness) -> None:
    replies = await harness.chat().send("/help")  # more in tests/bot/test_way_on.py
    assert "/start" in replies[0].text and "/language" in replies[0].text and "/policies" not in replies[0].text


async def test_language_choice_is_stored_and_used(harness) -> None:
    chat = harness.chat(user_id=1002, language_code="ru")
    replies = await chat.send("/language")
    assert replies[0].text == "Выберите язык:"
    edited = await chat.press("English")
    assert edited[0].text == "The language is now English."
    assert "There is no such command" in (await chat.send("/nonsense"))[0].text
    async with harness.engine.connect() as connection:
        language = await connection.scalar(select(Account.language).where(Account.telegram_id == 1002))
    assert language == "en"
    await chat.press("Русский", (await chat.send("/language"))[0])
    assert "Такой команды нет" in (await chat.send("/nonsense"))[0].text


async def test_unknown_command_and_text_and_staff_command(harness) -> None:
    chat = harness.chat()
    unknown = (await chat.send("/foo"))[0].text
    assert unknown == "Такой команды нет. Список команд — /help."
    assert (await chat.send("/admin"))[0].text == unknown  # staff commands look unknown to others
    assert "Не понял" in (await chat.send("привет"))[0].text


async def test_cancel_with_and_without_a_dialog(harness) -> None:
    chat = harness.chat()
    assert "Отменять нечего" in (await chat.send("/cancel"))[0].text


async def test_menu_for_an_unregistered_user_points_to_start(harness) -> None:
    assert "/start" in (await harness.chat().send("/menu"))[0].text


async def test_stale_button_is_answered_not_left_spinning(harness) -> None:
    chat = harness.chat()
    message = (await chat.send("/language"))[0]
    answer = await chat.press_forged(message, "lang:xx")  # no such language: nothing handles it
    assert answer["show_alert"] is True and "устарела" in answer["text"]


async def test_failure_gets_an_incident_id_and_a_log_without_personal_data(harness, caplog) -> None:
    async with harness.engine.begin() as connection:
        await connection.execute(text("DROP TABLE consents"))
        await connection.execute(text("DROP TABLE accounts"))
    chat = harness.chat(first_name="Секретная Фамилия")
    with caplog.at_level(logging.ERROR):
        replies = await chat.send("/start", expect_error=True)
    assert "Код обращения" in replies[0].text
    incident = replies[0].text.split("Код обращения: ")[1].split()[0]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert incident in logged and "1001" in logged
    assert "Секретная" not in caplog.text
