"""Registration as a new user and an attacker meet it: answers that tell a match from a miss by nothing
but the code that arrives, the daily limits and key locks, Latin names, and the dialog's rough edges."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.db.models import AuditEvent
from tests.bot.test_registration import (
    IVANOV_PHONE,
    assert_done,
    by_email_instead,
    by_policy,
    consent,
    linked_person,
    without_policy,
)
from tests.harness import BotHarness, Chat


@pytest.fixture
async def h(harness: BotHarness) -> BotHarness:
    await harness.load_samples()
    return harness


def transcript(chat: Chat) -> list[tuple[str, str]]:
    """What the user saw, with the buttons: texts only (message ids differ between chats)."""
    return [(m.text, str([b["text"] for b in m.buttons()])) for m in chat.emulator.messages(chat.user.id)]


async def test_right_and_wrong_birth_date_read_the_same_and_only_the_right_one_gets_an_sms(h: BotHarness) -> None:
    right, wrong = h.chat(2001), h.chat(2002)
    await by_policy(right, "123/14", "Иванов", "Иван", "Иванович", "15.03.1985")
    await by_policy(wrong, "123/14", "Иванов", "Иван", "Иванович", "16.03.1985")
    await right.send(IVANOV_PHONE)
    await wrong.send(IVANOV_PHONE)
    assert transcript(right) == transcript(wrong)
    assert len(h.sms.texts(IVANOV_PHONE)) == 1  # the right one's
    # Wrong codes, a resend and "prove by e-mail" read the same too.
    for chat in (right, wrong):
        await chat.send("000000")
        await chat.press("Подтвердить по e-mail")
    assert transcript(right) == transcript(wrong)


async def test_submissions_are_capped_at_ten_a_day_per_user(h: BotHarness) -> None:
    chat = h.chat(2010)
    await consent(chat)
    await chat.press("номер полиса")
    for answer in ("123/14", "Иванов", "Иван", "Иванович"):
        await chat.send(answer)
    births = ("1.1.1980", "2.2.1981", "15.03.1985")  # wrong, wrong, right: with phones not Иванов's
    for n in range(10):
        if n:  # back from the code to the phone, then back to the birth date
            await chat.press("Назад")
            await chat.send("‹ Назад")
        await chat.send(births[n % 3])
        assert "отправили SMS" in (await chat.send(f"+7916000{n:04d}"))[-1].text
    await chat.press("Назад")
    replies = await chat.send(IVANOV_PHONE)  # the eleventh, with the right phone: not even looked at
    assert "слишком много попыток" in replies[-1].text and replies[-1].button("Начать заново")
    assert "слишком много попыток" in (await chat.send("/start"))[-1].text.lower()
    async with h.engine.connect() as connection:
        count = await connection.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "registration.submit", AuditEvent.actor_telegram_id == 2010)
        )
    assert count == 10


async def test_five_failed_submissions_lock_a_policy_for_the_day(h: BotHarness) -> None:
    for user in range(2020, 2025):  # five people, each guessing a birth date for Иванов's policy
        chat = h.chat(user)
        await by_policy(chat, "123/14", "Иванов", "Иван", "Иванович", f"{user - 2000}.01.1985")
        await chat.send(f"+7916555{user:04d}")
    assert h.sms.messages == []
    sixth = h.chat(2025)  # the right details (another spelling of the number), the right phone: locked, no SMS
    await by_policy(sixth, "123 14", "Иванов", "Иван", "Иванович", "15.03.1985")
    replies = await sixth.send(IVANOV_PHONE)
    assert "отправили SMS" in replies[-1].text and h.sms.texts(IVANOV_PHONE) == []
    async with h.engine.connect() as connection:
        events = (
            await connection.execute(
                select(AuditEvent.action, AuditEvent.object_id, AuditEvent.details).where(
                    AuditEvent.action.like("registration.%")
                )
            )
        ).all()
    assert sum(1 for a, _, _ in events if a == "registration.key_failed") == 10  # the number and the name, ×5
    assert any(a == "registration.submit" and d.get("locked") == 1 for a, _, d in events)
    assert not any(n in (o or "") for _, o, _ in events for n in ("123/14", "12314"))  # pseudonyms, never the number


@pytest.mark.parametrize(
    ("last", "first", "patronymic", "birth", "phone", "email"),
    [
        ("Saltykov-Shchedrin", "Mikhail", None, "27.01.1988", "+79161000004", None),
        ("Aliev", "Rashid", "Gasan ogly", "11.11.1990", "+79161000003", None),
        ("Semenova", "Alena", "Petrovna", "30.05.1992", "+79991234567", "semenova@example.ru"),
    ],
)
async def test_a_latin_passport_spelling_registers(h: BotHarness, last, first, patronymic, birth, phone, email) -> None:
    chat = h.chat(2030, language_code="en")
    await chat.send("/start")
    for label in ("I agree", "I agree", "Yes"):
        await chat.press(label)
    await chat.press("I have no policy number")
    for answer in (last, first):
        await chat.send(answer)
    await (chat.send(patronymic) if patronymic else chat.press("no patronymic"))
    await chat.send(birth)
    await chat.send(phone)
    if email:
        await chat.press("Prove by e-mail instead")
        await chat.send(email)
        await chat.send(h.smtp.last_code(email))
    replies = await chat.send(h.sms.last_code(phone))
    assert "Done!" in replies[-2].text and "Main menu" in replies[-1].text


async def test_a_near_miss_latin_spelling_does_not(h: BotHarness) -> None:
    chat = h.chat(2031)
    await without_policy(chat, "Saltykov-Schedrin", "Mikhail", None, "27.01.1988")
    assert "отправили SMS" in (await chat.send("+79161000004"))[-1].text
    assert h.sms.messages == []


async def test_start_in_the_middle_asks_to_continue_or_start_over(h: BotHarness) -> None:
    chat = h.chat(2040)
    await consent(chat)
    await chat.press("номер полиса")
    await chat.send("123/14")
    replies = await chat.send("/start")
    assert "Продолжить с того же места" in replies[-1].text
    assert "фамилию" in (await chat.press("Продолжить"))[-1].text
    for answer in ("Иванов", "Иван", "Иванович", "15.03.1985", IVANOV_PHONE):
        await chat.send(answer)
    await chat.send("/start")
    replies = await chat.press("Продолжить")  # waiting for the code: asked for it again, no new SMS
    assert "Введите 6 цифр" in replies[-1].text and len(h.sms.texts(IVANOV_PHONE)) == 1
    assert_done(await chat.send(h.sms.last_code(IVANOV_PHONE)))


async def test_start_over_in_english(h: BotHarness) -> None:
    chat = h.chat(2041, language_code="en")
    await chat.send("/start")
    for label in ("I agree", "I agree", "Yes"):
        await chat.press(label)
    await chat.press("I have a policy number")
    await chat.send("123/14")
    assert "Continue where you were" in (await chat.send("/start"))[-1].text
    assert "How would you like to register" in (await chat.press("Start over"))[-1].text


async def test_back_from_a_code_sends_nothing_again_and_leaves_no_phone_keyboard(h: BotHarness) -> None:
    chat = h.chat(2042)
    await by_policy(chat, "AM012345678/13", "Шмолина", "Елена", "Вениаминовна", "02.07.1979")
    await chat.send("+79160000099")  # not her phone
    await by_email_instead(chat, "shmolina@example.ru")
    assert len(h.smtp.messages) == 1
    replies = await chat.press("Назад")  # from the e-mail code: the e-mail question, nothing sent again
    assert "электронной почты" in replies[-1].text
    assert (len(h.smtp.messages), len(h.sms.messages)) == (1, 0)
    await chat.press("Назад")  # from the e-mail question: back to the phone, whose keyboard comes back
    assert chat.emulator.reply_keyboard(chat.user.id) is not None
    await chat.send("‹ Назад")  # the phone keyboard's Back: the birth date, and that keyboard is gone
    assert "дату рождения" in chat.last.text
    assert chat.emulator.reply_keyboard(chat.user.id) is None
    assert (len(h.smtp.messages), len(h.sms.messages)) == (1, 0)


async def test_no_to_notifications_is_what_settings_show(h: BotHarness) -> None:
    chat = h.chat(2043)
    await consent(chat, notifications=False)
    await chat.press("номер полиса")
    for answer in ("123/14", "Иванов", "Иван", "Иванович", "15.03.1985"):
        await chat.send(answer)
    assert_done(await chat.share_contact(IVANOV_PHONE))
    settings = (await chat.send("/settings"))[-1].text
    for line in ("о новых счетах: выкл.", "напоминания об оплате: выкл.", "новости страховщика: выкл."):
        assert line in settings, settings


async def test_two_digit_year_says_the_year_needs_four_digits(h: BotHarness) -> None:
    chat = h.chat(2044)
    await consent(chat)
    await chat.press("номер полиса")
    for answer in ("123/14", "Иванов", "Иван", "Иванович"):
        await chat.send(answer)
    assert "четырьмя цифрами" in (await chat.send("30.05.92"))[-1].text


async def test_the_registry_email_is_escaped_in_the_message(h: BotHarness) -> None:
    chat = h.chat(2045)
    await by_policy(chat, "AM012345678/13", "Шмолина", "Елена", "Вениаминовна", "02.07.1979")
    await chat.send("+79160000099")
    replies = await by_email_instead(chat, "a<b>&c@example.ru")  # parsed as HTML by the emulator: must not break
    assert "отправили письмо" in replies[-1].text or "Пример" in replies[-1].text
    assert await linked_person(h, 2045) is None


async def test_the_rough_edges_in_english(h: BotHarness) -> None:
    chat = h.chat(2050, language_code="en")
    await chat.send("/start")
    for label in ("I agree", "I agree", "No"):
        await chat.press(label)
    await chat.press("I have a policy number")
    for answer in ("123/14", "Ivanov", "Ivan", "Ivanovich"):
        await chat.send(answer)
    assert "four digits" in (await chat.send("15.03.85"))[-1].text
    await chat.send("15.03.1985")
    assert "If these details are on your employer's list" in (await chat.send(IVANOV_PHONE))[-1].text
    assert "ask for a new code in" in (await chat.press("Send the code again"))[-1].text  # a phone: "number"…
    right = h.sms.last_code(IVANOV_PHONE)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(4):
        await chat.send(wrong)
    burned = (await chat.send(wrong))[-1]
    assert "no tries are left" in burned.text and burned.button("Send the code again")
    await chat.press("Back")
    assert chat.emulator.reply_keyboard(chat.user.id) is not None  # the phone question, with its keyboard
    await chat.send("‹ Back")
    assert "date of birth" in chat.last.text and chat.emulator.reply_keyboard(chat.user.id) is None
