"""Registration end to end: the sample people through every way that applies to them, and every refusal.

Telegram, the SMS gateway and the mailbox are emulators reached over loopback; the database is real.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import pytest
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import select

from bot.logging_setup import cap_chatty_loggers
from core.db.models import Account, AuditEvent, Consent, InsuredPerson
from emulators import SAMPLE_DATA
from tests.harness import BotHarness, Chat

IVANOV_PHONE = "+79161000001"


@pytest.fixture
async def h(harness: BotHarness) -> BotHarness:
    await harness.load_samples()
    return harness


@pytest.fixture
async def timed(moved_harness: BotHarness) -> BotHarness:
    """`h` on a clock the test moves (`moments`)."""
    await moved_harness.load_samples()
    return moved_harness


async def consent(chat: Chat, *, notifications: bool = True) -> None:
    replies = await chat.send("/start")
    assert "персональных данных" in replies[-1].text
    await chat.press("✅")
    await chat.press("✅")
    await chat.press("Да" if notifications else "Нет")


async def by_policy(chat: Chat, policy: str, last: str, first: str, patronymic: str | None, birth: str) -> None:
    await consent(chat)
    await chat.press("номер полиса")
    for answer in (policy, last, first):
        await chat.send(answer)
    if patronymic is None:
        await chat.press("Отчества нет")
    else:
        await chat.send(patronymic)
    replies = await chat.send(birth)
    assert "мобильного телефона" in replies[-1].text


async def without_policy(chat: Chat, last: str, first: str, patronymic: str | None, birth: str) -> None:
    await consent(chat)
    await chat.press("Номера полиса нет")
    for answer in (last, first):
        await chat.send(answer)
    if patronymic is None:
        await chat.press("Отчества нет")
    else:
        await chat.send(patronymic)
    await chat.send(birth)


async def enter_sms_code(h: BotHarness, chat: Chat, phone: str) -> list:
    assert "отправили SMS" in chat.last.text
    return await chat.send(h.sms.last_code(phone))


async def by_email_instead(chat: Chat, email: str) -> list:
    """After the phone: "prove by e-mail instead", then the e-mail."""
    replies = await chat.press("Подтвердить по e-mail")
    assert "электронной почты" in replies[-1].text
    return await chat.send(email)


async def linked_person(h: BotHarness, telegram_id: int) -> InsuredPerson | None:
    async with h.engine.connect() as connection:
        account = (await connection.execute(select(Account).where(Account.telegram_id == telegram_id))).first()
        if account is None or account.insured_person_id is None:
            return None
        return (
            await connection.execute(select(InsuredPerson).where(InsuredPerson.id == account.insured_person_id))
        ).first()


def assert_done(replies: list) -> None:
    assert any("Готово" in m.text for m in replies), [m.text for m in replies]
    assert "Главное меню" in replies[-1].text


# --- who can register, by every way that applies


async def test_policy_number_and_own_contact_register_without_sms(h: BotHarness) -> None:
    chat = h.chat(1001)
    await by_policy(chat, "123/14", "Иванов", "Иван", "Иванович", "15.03.1985")
    replies = await chat.share_contact("79161000001")  # Telegram sends it without "+"
    assert_done(replies)
    assert h.sms.messages == []  # a verified own contact matching the list needs no code
    person = await linked_person(h, 1001)
    assert (person.policy_key, person.policy_number) == ("12314", "123/14")
    async with h.engine.connect() as connection:
        account = (await connection.execute(select(Account).where(Account.telegram_id == 1001))).one()
        kinds = (await connection.execute(select(Consent.kind, Consent.granted, Consent.version))).all()
    assert account.phone == IVANOV_PHONE
    assert sorted(kinds) == [
        ("notifications", True, "2026-11-01"),
        ("personal_data", True, "2026-11-01"),
        ("rules", True, "2026-11-01"),
    ]
    assert "Главное меню" in (await chat.send("/start"))[0].text  # registered: /start shows the menu


async def test_own_contact_still_needs_sms_when_not_trusted(emulator, sms_gateway, smtp_sink, sqlite_url) -> None:
    h = await BotHarness.start(emulator, sms_gateway, smtp_sink, sqlite_url, trust_telegram_contact=False)
    try:
        await h.load_samples()
        chat = h.chat(1001)
        await by_policy(chat, "123/14", "Иванов", "Иван", "Иванович", "15.03.1985")
        await chat.share_contact(IVANOV_PHONE)
        assert_done(await enter_sms_code(h, chat, IVANOV_PHONE))
    finally:
        await h.close()


async def test_cyrillic_look_alike_policy_and_typed_8_phone(h: BotHarness) -> None:
    chat = h.chat(1002)
    # The list has Latin "AM"; the user types Cyrillic "АМ", a lower-case ё-less name and an 8-form phone.
    await by_policy(chat, "ам 012345678/13", "шмолина", "Елена", "Вениаминовна", "2.7.1979")
    await chat.send("8 (916) 100-00-02")
    assert_done(await enter_sms_code(h, chat, "+79161000002"))
    assert (await linked_person(h, 1002)).last_name == "Шмолина"


async def test_personnel_number_and_two_word_patronymic(h: BotHarness) -> None:
    chat = h.chat(1003)
    await by_policy(chat, "T-1003", "Алиев", "Рашид", "Гасан-оглы", "11.11.1990")
    await chat.send("+7 916 100 00 03")
    assert_done(await enter_sms_code(h, chat, "+79161000003"))
    assert (await linked_person(h, 1003)).policy_number == "АМ012345679/13"


async def test_without_policy_number_hyphenated_surname_no_patronymic(h: BotHarness) -> None:
    chat = h.chat(1004)
    await without_policy(chat, "Салтыков - Щедрин", "Михаил", None, "27.01.1988")
    await chat.send("9161000004")  # the list's phone: the SMS code is all it takes
    assert_done(await enter_sms_code(h, chat, "+79161000004"))


async def test_no_phone_in_list_email_code_then_sms_to_the_new_phone(h: BotHarness) -> None:
    chat = h.chat(1005)
    await by_policy(chat, "АМ012345681/13", "Семенова", "Алена", "Петровна", "30.05.1992")
    await chat.send("+7 999 123-45-67")
    assert "отправили SMS" in chat.last.text and h.sms.messages == []  # the same words, and no SMS
    await by_email_instead(chat, "Semenova@Example.RU")
    assert "письмо с кодом" in chat.last.text and "S***@example.ru" in chat.last.text
    await chat.send(h.smtp.last_code("semenova@example.ru"))
    assert_done(await enter_sms_code(h, chat, "+79991234567"))
    async with h.engine.connect() as connection:
        account = (await connection.execute(select(Account).where(Account.telegram_id == 1005))).one()
    assert (account.phone, account.email) == ("+79991234567", "semenova@example.ru")


async def test_invite_link_with_policy_as_second_factor(h: BotHarness) -> None:
    invite = await h.container.invites.for_policy("123/14")
    chat = h.chat(1006)
    replies = await chat.send(f"/start {invite.token}")
    assert "персональных данных" in replies[-1].text
    await chat.press("✅")
    await chat.press("✅")
    replies = await chat.press("Нет")
    assert "номер полиса" in replies[-1].text
    assert "мобильного телефона" in (await chat.send(" 123 / 14 "))[-1].text
    # Not the invited policy: whoever holds the link has proven the e-mail, so they are told, and asked again.
    chat2 = h.chat(1007)
    await chat2.send(f"/start {invite.token}")
    for label in ("✅", "✅", "Нет"):
        await chat2.press(label)
    await chat2.send("AM012345678/13")
    replies = await chat2.send("+79160000077")
    assert "не совпадает с полисом из приглашения" in replies[-2].text and "номер полиса" in replies[-1].text
    # The invited person's own way on: any phone, proven by SMS.
    await chat.send("+7 916 555-44-33")
    assert_done(await enter_sms_code(h, chat, "+79165554433"))
    assert (await linked_person(h, 1006)).policy_key == "12314"
    # Single use.
    replies = await h.chat(1008).send(f"/start {invite.token}")
    assert "недействительна" in replies[1].text


# --- who cannot, and what they are told


async def test_expired_policy_told_exactly_after_sms_proof(h: BotHarness) -> None:
    chat = h.chat(1010)
    await by_policy(chat, "АМ012345684/13", "Кузнецов", "Андрей", "Викторович", "20.02.1980")
    await chat.send("+79161000008")
    replies = await enter_sms_code(h, chat, "+79161000008")
    assert "полис сейчас не действует" in replies[-1].text
    assert await linked_person(h, 1010) is None


async def test_under_18_told_exactly_after_sms_proof(h: BotHarness) -> None:
    chat = h.chat(1011)
    await by_policy(chat, "АМ012345687/13", "Смирнова", "Ольга", None, "18.08.2010")
    await chat.send("+79161000011")
    replies = await enter_sms_code(h, chat, "+79161000011")
    assert "только совершеннолетние" in replies[-1].text


async def test_same_name_and_birth_is_ambiguous_unless_the_phone_decides(h: BotHarness) -> None:
    chat = h.chat(1012)
    await without_policy(chat, "Петров", "Сергей", "Александрович", "01.01.1990")
    await chat.send("+79160000000")
    replies = await by_email_instead(chat, "nobody@example.ru")
    assert "отправили письмо" in replies[-1].text  # nothing says there are two of them
    assert h.sms.messages == [] and h.smtp.messages == []
    chat = h.chat(1013)
    await without_policy(chat, "Петров", "Сергей", "Александрович", "01.01.1990")
    await chat.send("+79161000010")  # the phone tells the two apart
    assert_done(await enter_sms_code(h, chat, "+79161000010"))
    assert (await linked_person(h, 1013)).policy_key == "AM01234568613"


async def test_phone_taken_and_policy_already_linked(h: BotHarness) -> None:
    first = h.chat(1030)
    await by_policy(first, "123/14", "Иванов", "Иван", "Иванович", "15.03.1985")
    await first.share_contact(IVANOV_PHONE)
    # Someone else with Иванов's phone registers as Шмолина (her e-mail proves her).
    chat = h.chat(1031)
    await by_policy(chat, "AM012345678/13", "Шмолина", "Елена", "Вениаминовна", "02.07.1979")
    await chat.send(IVANOV_PHONE)
    await by_email_instead(chat, "shmolina@example.ru")
    await chat.send(h.smtp.last_code("shmolina@example.ru"))
    replies = await enter_sms_code(h, chat, IVANOV_PHONE)
    assert "номер телефона уже используется" in replies[-1].text
    # And Иванов's policy from another Telegram account: "contact support", never a relink.
    chat = h.chat(1032)
    await by_policy(chat, "123/14", "Иванов", "Иван", "Иванович", "15.03.1985")
    await chat.send(IVANOV_PHONE)
    replies = await enter_sms_code(h, chat, IVANOV_PHONE)
    assert "уже подключён к другому аккаунту" in replies[-1].text and "поддержку" in replies[-1].text
    assert replies[-1].button("Написать в поддержку")  # a way to reach them, without registering
    assert (await linked_person(h, 1030)).policy_key == "12314"


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("+7 495 100-00-12", "Это не мобильный номер"),
        ("+7 701 555 01 02", "номер зарубежный"),
        ("8-800-555-35-35", "Это не мобильный номер"),
        ("12345", "не похоже на номер телефона"),
    ],
)
async def test_bad_phone_is_explained_with_an_example_and_the_step_repeats(
    h: BotHarness, typed: str, problem: str
) -> None:
    chat = h.chat(1040)
    await by_policy(chat, "123/14", "Иванов", "Иван", "Иванович", "15.03.1985")
    replies = await chat.send(typed)
    assert problem in replies[-1].text and "+7 916 123-45-67" in replies[-1].text
    assert_done(await chat.share_contact(IVANOV_PHONE))  # still at the phone step


async def test_someone_elses_contact_is_refused(h: BotHarness) -> None:
    chat = h.chat(1041)
    await by_policy(chat, "123/14", "Иванов", "Иван", "Иванович", "15.03.1985")
    replies = await chat.share_contact(IVANOV_PHONE, own=False)
    assert "контакт другого человека" in replies[-1].text
    assert await linked_person(h, 1041) is None


@pytest.mark.parametrize(
    ("step_answers", "typed", "problem"),
    [
        ([], "@@@", "только буквы, цифры"),
        (["123/14"], "Иванов2", "только буквы"),
        (["123/14", "Иванов", "Иван", "Иванович"], "31.02.1985", "Такой даты не бывает"),
        (["123/14", "Иванов", "Иван", "Иванович"], "01.01.2030", "не может быть в будущем"),
        (["123/14", "Иванов", "Иван", "Иванович"], "вчера", "Не удалось прочитать дату"),
    ],
)
async def test_bad_answers_keep_the_dialog_where_it_was(h: BotHarness, step_answers, typed, problem) -> None:
    chat = h.chat(1042)
    await consent(chat)
    await chat.press("номер полиса")
    for answer in step_answers:
        await chat.send(answer)
    question = chat.last.text
    replies = await chat.send(typed)
    assert problem in replies[-1].text and "Пример:" in replies[-1].text
    assert chat.emulator.messages(chat.user.id)[-2].text == question


async def test_back_and_cancel(h: BotHarness) -> None:
    chat = h.chat(1043)
    await consent(chat)
    await chat.press("номер полиса")
    await chat.send("123/14")
    await chat.send("Петров")  # a typo in the surname
    replies = await chat.press("Назад")
    assert "фамилию" in replies[-1].text
    await chat.send("Иванов")
    await chat.send("Иван")
    await chat.send("Иванович")
    await chat.send("15.03.1985")
    replies = await chat.send("Отмена")  # the phone keyboard's Cancel
    assert "Регистрация прервана" in replies[0].text and replies[-1].button("Начать заново")
    assert chat.emulator.reply_keyboard(chat.user.id) is None
    assert "Отменять нечего" in (await chat.send("/cancel"))[-1].text


# --- codes


async def test_sixth_try_is_refused_even_with_the_right_code(h: BotHarness) -> None:
    chat = h.chat(1050)
    await by_policy(chat, "123/14", "Иванов", "Иван", "Иванович", "15.03.1985")
    await chat.send(IVANOV_PHONE)
    right = h.sms.last_code(IVANOV_PHONE)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for tries_left in (4, 3, 2, 1):
        assert f"Осталось попыток: {tries_left}" in (await chat.send(wrong))[-1].text
    burned = (await chat.send(wrong))[-1]  # the fifth wrong try: said at once, with the way on
    assert "больше не действует" in burned.text and burned.button("Отправить код ещё раз")
    assert "больше не действует" in (await chat.send(right))[-1].text
    assert await linked_person(h, 1050) is None
    assert "6 цифр" in (await chat.send("12345"))[-1].text


async def test_expired_code_and_resend_cooldown(timed: BotHarness, moments: list[datetime]) -> None:
    now = moments[0]
    chat = timed.chat(1051)
    await by_policy(chat, "123/14", "Иванов", "Иван", "Иванович", "15.03.1985")
    await chat.send(IVANOV_PHONE)
    first = timed.sms.last_code(IVANOV_PHONE)
    moments.append(now + timedelta(seconds=20))
    assert "через 40 секунд" in (await chat.press("Отправить код ещё раз"))[-1].text
    moments.append(now + timedelta(minutes=5, seconds=1))
    assert "истёк" in (await chat.send(first))[-1].text
    await chat.press("Отправить код ещё раз")
    assert_done(await enter_sms_code(timed, chat, IVANOV_PHONE))


async def test_daily_code_cap_holds_across_a_restart(emulator, sms_gateway, smtp_sink, sqlite_url) -> None:
    moments = [datetime.now(UTC)]

    async def restart() -> BotHarness:  # on the clock the test moves, where the last process left it
        return await BotHarness.start(emulator, sms_gateway, smtp_sink, sqlite_url, now=lambda: moments[-1])

    h = await restart()
    await h.load_samples()
    chat = h.chat(1052)
    await by_policy(chat, "123/14", "Иванов", "Иван", "Иванович", "15.03.1985")
    await chat.send(IVANOV_PHONE)  # code 1
    for _ in range(4):  # codes 2-5
        moments.append(moments[-1] + timedelta(seconds=61))
        await chat.press("Отправить код ещё раз")
    assert len(h.sms.texts(IVANOV_PHONE)) == 5
    await h.close()
    h = await restart()  # a new process: memory is gone, the database is not
    chat = h.chat(1052)
    moments.append(moments[-1] + timedelta(seconds=61))
    await chat.send("/start")  # consents were recorded before the restart
    await chat.press("номер полиса")
    for answer in ("123/14", "Иванов", "Иван", "Иванович", "15.03.1985", IVANOV_PHONE):
        replies = await chat.send(answer)
    assert "слишком много кодов" in replies[-1].text
    assert len(h.sms.texts(IVANOV_PHONE)) == 5
    await h.close()


async def test_sms_gateway_failure_can_be_retried(timed: BotHarness, moments: list[datetime]) -> None:
    timed.sms.fail = "http"
    chat = timed.chat(1053)
    await by_policy(chat, "123/14", "Иванов", "Иван", "Иванович", "15.03.1985")
    replies = await chat.send(IVANOV_PHONE)
    assert "код не отправлен" in replies[-1].text and timed.sms.messages == []
    # While the gateway is down, details that match nothing are told the same: a failure tells no match apart.
    stranger = timed.chat(1054)
    await by_policy(stranger, "АМ012345681/13", "Семенова", "Алена", "Петровна", "30.05.1992")
    assert "код не отправлен" in (await stranger.send("+7 999 123-45-67"))[-1].text
    timed.sms.fail = None
    await chat.press("Отправить код ещё раз")  # at once: the failed code spent no cooldown
    assert_done(await enter_sms_code(timed, chat, IVANOV_PHONE))


async def test_english_registration(h: BotHarness) -> None:
    chat = h.chat(1060, language_code="en")
    replies = await chat.send("/start")
    assert "Consent to the processing" in replies[-1].text
    for label in ("I agree", "I agree", "Yes"):
        await chat.press(label)
    await chat.press("I have a policy number")
    replies = await chat.send("123/14")
    assert "surname" in replies[-1].text
    assert "Only letters" in (await chat.send("Ivanov!"))[-1].text
    for answer in ("Иванов", "Иван", "Иванович", "15.03.1985"):
        replies = await chat.send(answer)
    assert "Share my phone" in str(chat.emulator.reply_keyboard(chat.user.id))
    await chat.send("+79161000001")
    replies = await chat.send(h.sms.last_code(IVANOV_PHONE))
    assert "Done!" in replies[-2].text and "Main menu" in replies[-1].text
    # A notice written later has no update to read the language from: the dialog's language was kept.
    await h.container.billing.issue_from_bills(SAMPLE_DATA / "bills.csv", date(2026, 10, 1))
    notices = [n for n in await h.container.outbox.pending(limit=50) if n.telegram_id == 1060]
    assert notices and {n.language for n in notices} == {"en"}  # his invoice and his wife's and son's
    async with h.engine.connect() as connection:
        assert await connection.scalar(select(Account.language).where(Account.telegram_id == 1060)) == "en"


async def test_decline_of_a_required_consent_stops_registration(h: BotHarness) -> None:
    chat = h.chat(1061)
    await chat.send("/start")
    replies = await chat.press("Не согласен")
    assert "Без этого согласия" in replies[-1].text
    replies = await chat.press("Начать заново")
    assert "персональных данных" in replies[-1].text


async def test_registration_on_postgres_and_redis_survives_a_restart(
    emulator, sms_gateway, smtp_sink, postgres_url, redis_url
) -> None:
    h = await BotHarness.start(emulator, sms_gateway, smtp_sink, postgres_url, redis_url=redis_url)
    await h.load_samples()
    chat = h.chat(1070)
    await by_policy(chat, "AM012345678/13", "Шмолина", "Елена", "Вениаминовна", "02.07.1979")
    await h.close()  # the bot restarts mid-dialog: the FSM is in Redis
    h = await BotHarness.start(emulator, sms_gateway, smtp_sink, postgres_url, redis_url=redis_url)
    try:
        chat = h.chat(1070)
        await chat.send("+79161000002")
        assert_done(await enter_sms_code(h, chat, "+79161000002"))
        assert (await linked_person(h, 1070)).last_name == "Шмолина"
    finally:
        await h.close()


async def test_delete_me_unlinks_and_allows_registering_again(h: BotHarness) -> None:
    chat = h.chat(1080)
    await by_policy(chat, "123/14", "Иванов", "Иван", "Иванович", "15.03.1985")
    await chat.share_contact(IVANOV_PHONE)
    assert "Удалить ваш аккаунт" in (await chat.send("/delete_me"))[-1].text
    assert "ничего не удалено" in (await chat.press("Отмена"))[-1].text
    await chat.send("/delete_me")
    assert "аккаунт удалён" in (await chat.press("Удалить мои данные"))[-1].text
    assert await linked_person(h, 1080) is None
    async with h.engine.connect() as connection:
        withdrawn = (await connection.execute(select(Consent.withdrawn_at))).scalars().all()
        assert len(withdrawn) == 3 and None not in withdrawn  # kept by the account's id, withdrawn
        actions = (await connection.execute(select(AuditEvent.action))).scalars().all()
    assert "account.deleted" in actions
    other = h.chat(1081)  # the policy and the phone are free again
    await by_policy(other, "123/14", "Иванов", "Иван", "Иванович", "15.03.1985")
    assert_done(await other.share_contact(IVANOV_PHONE))


async def test_delete_me_in_the_middle_of_registering_drops_the_dialog(h: BotHarness) -> None:
    chat = h.chat(1082)
    await by_policy(chat, "123/14", "Иванов", "Иван", "Иванович", "15.03.1985")  # the phone is asked next
    key = StorageKey(bot_id=h.bot.id, chat_id=1082, user_id=1082)
    assert await h.dp.storage.get_data(key) != {}
    await chat.send("/delete_me")
    assert "аккаунт удалён" in (await chat.press("Удалить мои данные"))[-1].text
    assert await h.dp.storage.get_state(key) is None and await h.dp.storage.get_data(key) == {}
    async with h.engine.connect() as connection:
        withdrawn = (await connection.execute(select(Consent.withdrawn_at))).scalars().all()
    assert len(withdrawn) == 3 and None not in withdrawn


async def test_logs_carry_no_personal_data(timed: BotHarness, moments: list[datetime], caplog) -> None:
    cap_chatty_loggers()  # as the process's logging setup does: no SQL parameters
    caplog.set_level(logging.DEBUG)
    chat = timed.chat(1090)
    await by_policy(chat, "AM012345678/13", "Шмолина", "Елена", "Вениаминовна", "02.07.1979")
    timed.sms.fail = "http"  # a failed delivery is logged
    await chat.send("89161000002")
    timed.sms.fail = None
    moments.append(moments[-1] + timedelta(seconds=61))
    await chat.press("Отправить код ещё раз")
    right = timed.sms.last_code("+79161000002")
    await chat.send(f"{(int(right) + 1) % 1_000_000:06d}")  # a wrong code too
    assert_done(await chat.send(right))
    assert any("1090" in r.getMessage() for r in caplog.records)  # ids are logged
    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    for secret in ("Шмолина", "Елена", "9161000002", "AM012345678", "shmolina", "02.07.1979", "1979-07-02", right):
        assert secret not in logged, secret
