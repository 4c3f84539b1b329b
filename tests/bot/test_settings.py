"""/settings end to end: notifications per kind, the language, and the e-mail changed by a code."""

from sqlalchemy import select

from core.db.models import Account, NotificationSetting
from tests.bot.cabinet_fixtures import IVANOV, SHMOLINA, cabinet_chat, import_samples


async def ask_email_change(chat):
    await chat.send("/settings")
    return (await chat.press("Сменить e-mail"))[0]


async def test_notifications_are_switched_per_kind_and_stored(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    screen = (await chat.send("/settings"))[0]
    assert "• о новых счетах: вкл." in screen.text and "• новости страховщика: выкл." in screen.text
    screen = (await chat.press("Новости: выкл."))[0]
    screen = (await chat.press("Новые счета: вкл.", screen))[0]
    assert "• новости страховщика: вкл." in screen.text and "• о новых счетах: выкл." in screen.text
    async with harness.engine.connect() as conn:
        stored = dict((await conn.execute(select(NotificationSetting.kind, NotificationSetting.enabled))).all())
    assert stored == {"news": True, "invoices": False}


async def test_email_is_changed_only_with_the_code_mailed_to_it(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    prompt = await ask_email_change(chat)
    assert "Введите новый адрес e-mail" in prompt.text
    error = (await chat.send("ivanov(at)example.ru"))[0].text
    assert "Это не похоже на адрес электронной почты" in error and "Пример: ivanova@example.ru" in error
    sent = (await chat.send("Ivan.New@Example.RU"))[0]
    assert "Код отправлен на Ivan.New@example.ru" in sent.text
    code = harness.smtp.last_code("Ivan.New@example.ru")
    assert "Осталось попыток: 4" in (await chat.send("000000" if code != "000000" else "111111"))[0].text
    assert "Код — это 6 цифр из письма" in (await chat.send("12345"))[0].text
    async with harness.engine.connect() as conn:
        assert await conn.scalar(select(Account.email).where(Account.telegram_id == IVANOV)) == "ivanov@example.ru"

    assert "E-mail изменён" in (await chat.send(code[:3] + " " + code[3:]))[0].text
    async with harness.engine.connect() as conn:
        account = (await conn.execute(select(Account).where(Account.telegram_id == IVANOV))).one()
    assert (account.email, account.email_key) == ("Ivan.New@example.ru", "ivan.new@example.ru")
    assert "E-mail: Ivan.New@example.ru" in (await chat.send("/settings"))[0].text


async def test_email_refusals_cooldown_and_delivery_failure(harness) -> None:
    await import_samples(harness.engine)
    await cabinet_chat(harness, SHMOLINA)  # holds shmolina@example.ru
    chat = await cabinet_chat(harness, IVANOV)
    await ask_email_change(chat)
    assert "Это ваш текущий адрес" in (await chat.send("IVANOV@example.ru"))[0].text
    assert "уже используется другим пользователем" in (await chat.send("Shmolina@example.ru"))[0].text
    harness.smtp.refuse = True
    failed = (await chat.send("new@example.ru"))[0]
    assert "Не удалось отправить письмо" in failed.text
    harness.smtp.refuse = False
    sent = (await chat.press("Отправить код ещё раз", failed))[0]  # at once: the failed code spent no cooldown
    assert len(harness.smtp.bodies("new@example.ru")) == 1
    cooldown = (await chat.press("Отправить код ещё раз", sent))[0]
    assert "Новый можно запросить через" in cooldown.text and "секунд" in cooldown.text
    assert len(harness.smtp.bodies("new@example.ru")) == 1


async def test_language_from_settings_and_english(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/settings")
    await chat.press("Сменить язык")
    await chat.press("English")
    screen = (await chat.send("/settings"))[0]
    assert "Language: English" in screen.text and "E-mail: ivanov@example.ru" in screen.text
    assert "• new invoices: on" in screen.text and "🔔 News: off" in str(screen.buttons())
    await chat.press("Change the e-mail")
    await chat.send("ivan.en@example.ru")
    assert "The e-mail is changed." in (await chat.send(harness.smtp.last_code("ivan.en@example.ru")))[0].text
