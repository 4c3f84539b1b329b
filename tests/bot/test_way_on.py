"""No dead ends outside registration: /cancel, /language, /help, /delete_me and /menu end with the way
on (the main menu for a registered viewer, the start of registration for anyone else), in both languages."""

from sqlalchemy import select

from core.db.models import Account
from tests.bot.cabinet_fixtures import IVANOV, cabinet_chat, import_samples

ADMIN = 9001  # the harness's ADMIN_IDS
SUPPORT = 9002  # the harness's SUPPORT_IDS


def buttons(message) -> list[str]:
    return [b["text"] for b in message.buttons()]


async def test_cancel_offers_start_to_the_unregistered_and_the_menu_to_the_registered(harness) -> None:
    await import_samples(harness.engine)
    stranger = harness.chat(7001)
    nothing = (await stranger.send("/cancel"))[0]
    assert nothing.text == "Отменять нечего." and buttons(nothing) == ["▶️ Начать"]
    started = await stranger.press("Начать", nothing)
    assert "персональных данных" in started[-1].text  # registration begins with the first consent

    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/policies")
    await chat.press("Добавить полис ребёнка")
    cancelled = (await chat.send("/cancel"))[0]
    assert cancelled.text == "Действие отменено." and buttons(cancelled) == ["Главное меню"]
    menu = (await chat.press("Главное меню", cancelled))[0]
    assert "Главное меню" in menu.text and "📄 Мои полисы" in buttons(menu)
    assert "Не понял" in (await chat.send("АМ012345689/13"))[0].text  # the form is gone


async def test_cancel_in_registration_takes_the_phone_keyboard_away_and_offers_start(harness) -> None:
    chat = harness.chat(7002, language_code="en")
    await chat.send("/start")
    replies = await chat.send("/cancel")
    assert replies[0].text == "Action cancelled."
    assert buttons(replies[-1]) == ["▶️ Start"]
    assert chat.emulator.reply_keyboard(chat.user.id) is None


async def test_the_language_is_set_and_the_way_on_is_in_that_language(harness) -> None:
    await import_samples(harness.engine)
    stranger = harness.chat(7003)
    await stranger.send("/language")
    done = (await stranger.press("English"))[0]
    assert done.text == "The language is now English." and buttons(done) == ["▶️ Start"]

    chat = await cabinet_chat(harness, IVANOV, language_code="en")
    await chat.send("/language")
    done = (await chat.press("Русский"))[0]
    assert done.text == "Язык переключён на русский." and buttons(done) == ["Главное меню"]
    await chat.press("Русский", (await chat.send("/language"))[0])  # the same choice twice: no error


async def test_help_fits_who_is_asking(harness) -> None:
    await import_samples(harness.engine)
    stranger = (await harness.chat(7004).send("/help"))[0]
    assert "Вы ещё не зарегистрированы" in stranger.text and "/start" in stranger.text
    assert "/policies" not in stranger.text and "сотрудник" not in stranger.text
    assert buttons(stranger) == ["▶️ Начать", "✉️ Написать в поддержку"]

    english = (await harness.chat(7005, language_code="en").send("/help"))[0]
    assert "You are not registered yet" in english.text and buttons(english) == ["▶️ Start", "✉️ Write to support"]

    chat = await cabinet_chat(harness, IVANOV)
    registered = (await chat.send("/help"))[0]
    assert "/policies — мои полисы" in registered.text and "/start" not in registered.text
    assert buttons(registered) == ["Главное меню"]
    await chat.send("/menu")
    from_menu = (await chat.press("Помощь"))[0]
    assert from_menu.text == registered.text and buttons(from_menu) == ["Главное меню"]

    staff = (await harness.chat(ADMIN).send("/help"))[0]
    assert "Вы сотрудник страховщика: служебные команды — в меню /admin" in staff.text
    support = (await harness.chat(SUPPORT, language_code="en").send("/help"))[0]
    assert "the staff commands are in /admin" in support.text


async def test_delete_me_ends_with_start_or_the_menu(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    asked = (await chat.send("/delete_me"))[0]
    kept = (await chat.press("Отмена", asked))[0]
    assert kept.text == "Хорошо, ничего не удалено." and buttons(kept) == ["Главное меню"]
    await chat.send("/delete_me")
    deleted = (await chat.press("Удалить мои данные"))[0]
    assert "Ваш аккаунт удалён" in deleted.text and buttons(deleted) == ["▶️ Начать"]
    async with harness.engine.connect() as conn:
        assert await conn.scalar(select(Account.id).where(Account.telegram_id == IVANOV)) is None

    english = harness.chat(7006, language_code="en")
    await english.send("/delete_me")
    nothing = (await english.press("Delete my data"))[0]
    assert nothing.text == "You have no data in the bot." and buttons(nothing) == ["▶️ Start"]


async def test_the_unregistered_are_led_to_start_or_support_from_the_cabinet(harness) -> None:
    stranger = harness.chat(7007)
    menu = (await stranger.send("/menu"))[0]
    assert "/start" in menu.text and buttons(menu) == ["▶️ Начать", "✉️ Написать в поддержку"]
    refused = (await stranger.send("/policies"))[0]
    assert "/start" in refused.text and "▶️ Начать" in buttons(refused)
