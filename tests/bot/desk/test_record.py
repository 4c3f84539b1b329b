"""One person's record end to end: in full, in sections that each fit a message, audited; the account
actions on it, each confirmed, done and audited; support held to its part of the table (chat and use
case); a user's forged desk buttons; a blocked user's one line a day; a staff member's own registration
untouched by the desk."""

from datetime import UTC, date, datetime

import pytest
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import insert, select, update

from bot.callbacks.desk import ActionCb, FindPageCb, RecordCb
from core.actors import Forbidden
from core.db.models import Account, AuditEvent, BlockedUser, Consent, Invoice, LimitCounter
from core.desk.actions import AccountAction
from tests.bot.cabinet_fixtures import IVANOV, SHMOLINA, cabinet_chat, import_samples, person_id
from tests.bot.desk.test_find import PAYMENT_ID, _money
from tests.bot.test_registration import by_policy
from tests.harness import TODAY

ADMIN, SUPPORT, USER = 9001, 9002, 7001
STALE = "Эта кнопка устарела. Откройте /menu."


async def open_record(harness, staff: int, query: str, *, language_code: str = "ru"):
    chat = harness.chat(staff, language_code=language_code)
    listed = (await chat.send(f"/find {query}"))[0]
    return chat, (await chat.press("1. ", listed))[0]


async def audit_rows(harness, action: str) -> list[tuple]:
    query = select(AuditEvent.actor_telegram_id, AuditEvent.object_id, AuditEvent.reason, AuditEvent.details)
    async with harness.engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(query.where(AuditEvent.action == action))]


async def account_of(harness, telegram_id: int):
    async with harness.engine.connect() as conn:
        return (await conn.execute(select(Account).where(Account.telegram_id == telegram_id))).first()


async def confirm(chat, record, label: str) -> str:
    asked = (await chat.press(label, record))[0]
    assert (asked.message_id == record.message_id and asked.button("Отмена")) or asked.button("Cancel")
    done = (await chat.press("Да, выполнить" if asked.button("Отмена") else "Yes, do it", asked))[0]
    return done.text


# --- the record


async def test_the_record_in_full_is_audited(harness) -> None:
    await import_samples(harness.engine)
    await _money(harness.engine)
    await cabinet_chat(harness, IVANOV)
    ivanov = await person_id(harness.engine, "123/14")
    chat, record = await open_record(harness, SUPPORT, "123/14")
    text = record.text
    assert "Иванов Иван Иванович" in text and "15.03.1985" in text and "123/14" in text and "T-1001" in text
    assert "+79161000001" in text and "ivanov@example.ru" in text
    assert "Иванова Мария Сергеевна" in text and "Иванов Пётр Иванович" in text  # relatives under his policy
    assert f"Telegram id {IVANOV}" in text
    assert await audit_rows(harness, "record.viewed") == [(SUPPORT, str(ivanov), None, {})]
    # Support sees only its own actions
    assert [b["text"] for b in record.buttons() if b["callback_data"].startswith("dact")] == [
        "↺ Сбросить зависший диалог"
    ]
    money = (await chat.press("Счета и платежи", record))[0].text
    assert "2026/11/3" in money and PAYMENT_ID in money and "1\xa0500,00" in money
    registration = (await chat.press("Регистрация", record))[0].text
    assert "Ключи регистрации сегодня" in registration
    requests = (await chat.press("Обращения и споры", record))[0].text
    assert "Открытые обращения" in requests
    assert len(await audit_rows(harness, "record.viewed")) == 4  # every view
    _, record = await open_record(harness, ADMIN, "123/14", language_code="en")
    assert "Policy: 123/14" in record.text and "Relatives" in record.text
    assert [b["text"] for b in record.buttons() if b["callback_data"].startswith("dact")] == [
        "↺ Reset the stuck dialog",
        "Unlink the account",
        "⛔ Block the Telegram user",
        "🗑 Erase the account on request",
    ]


async def test_a_long_record_fits_a_message(harness) -> None:
    await import_samples(harness.engine)
    await cabinet_chat(harness, IVANOV)
    ivanov = await person_id(harness.engine, "123/14")
    now = datetime(2026, 11, 20, 9, tzinfo=UTC)
    account = await account_of(harness, IVANOV)
    async with harness.engine.begin() as conn:
        await conn.execute(
            insert(Invoice),
            [
                {
                    "number": f"2026/11/{100 + n}",
                    "month": "2026/11",
                    "sequence": 100 + n,
                    "person_id": ivanov,
                    "payer_person_id": ivanov,
                    "issued_on": date(2026, 11, 20),
                    "due_on": date(2026, 12, 31),
                    "copay_kopecks": 123456789,
                    "status": "new",
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(40)
            ],
        )
        await conn.execute(
            insert(Consent),
            [
                {"account_id": account.id, "kind": "notifications", "version": "v" * 20, "granted": n % 2, "at": now}
                for n in range(40)
            ],
        )
    chat, record = await open_record(harness, ADMIN, "123/14")
    money = (await chat.press("Счета и платежи", record))[0]  # the emulator refuses a text over 4096
    assert money.text.count("2026/11/1") >= 10


# --- the actions


async def test_unlink_lets_the_person_register_again(harness) -> None:
    await import_samples(harness.engine)
    user = await cabinet_chat(harness, IVANOV)
    assert "Главное меню" in (await user.send("/menu"))[0].text
    admin, record = await open_record(harness, ADMIN, "123/14")
    asked = (await admin.press("Отвязать учётную запись", record))[0]
    assert "сможет зарегистрироваться заново" in asked.text
    done = (await admin.press("Да, выполнить", asked))[0]
    assert "Учётная запись отвязана" in done.text
    account = await account_of(harness, IVANOV)
    assert (account.insured_person_id, account.phone, account.email) == (None, None, None)
    ivanov = await person_id(harness.engine, "123/14")
    assert await audit_rows(harness, "account.unlinked") == [
        (ADMIN, str(ivanov), None, {"telegram_id": IVANOV, "account": account.id})
    ]
    assert "Главное меню" not in (await user.send("/menu"))[-1].text  # the viewer cache dropped him
    # The recovery path: he registers again, from a new Telegram account, with his phone
    new_phone = harness.chat(2001)
    await by_policy(new_phone, "123/14", "Иванов", "Иван", "Иванович", "15.03.1985")
    assert "Главное меню" in (await new_phone.share_contact("+79161000001"))[-1].text
    assert (await account_of(harness, 2001)).insured_person_id == ivanov


async def test_actions_in_english(harness) -> None:
    await import_samples(harness.engine)
    await cabinet_chat(harness, IVANOV)
    admin, record = await open_record(harness, ADMIN, "123/14", language_code="en")
    asked = (await admin.press("Block the Telegram user", record))[0]
    assert asked.text.startswith("Block this Telegram user?") and asked.button("Cancel")
    back = (await admin.press("Cancel", asked))[0]
    assert "Relatives" in back.text
    asked = (await admin.press("Unlink the account", back))[0]
    assert "can register again" in asked.text
    done = (await admin.press("Yes, do it", asked))[0]
    assert done.text == "✅ The account is unlinked: the person can register again." and done.button(
        "Back to the record"
    )
    again = (await admin.press("Back to the record", done))[0]
    assert "Account: none" in again.text


async def test_erase_on_request_as_delete_me(harness) -> None:
    await import_samples(harness.engine)
    await cabinet_chat(harness, IVANOV)
    admin, record = await open_record(harness, ADMIN, "123/14")
    assert "Учётная запись удалена" in await confirm(admin, record, "Удалить учётную запись")
    assert await account_of(harness, IVANOV) is None
    [(actor, _, _, details)] = await audit_rows(harness, "account.erased")
    assert actor == ADMIN and details["telegram_id"] == IVANOV


async def test_a_blocked_user_gets_one_line_a_day_even_after_erasure(harness) -> None:
    await import_samples(harness.engine)
    user = await cabinet_chat(harness, IVANOV, language_code="en")
    await user.send("/menu")
    admin, record = await open_record(harness, ADMIN, "123/14")
    assert "заблокирован" in await confirm(admin, record, "Заблокировать")
    line = "Access to the bot is suspended. Please contact your HR department or the insurer."
    assert [m.text for m in await user.send("/menu")] == [line]
    assert await user.send("/policies") == [] and await user.send("hello") == []
    menu = user.emulator.messages(IVANOV)[0]
    await user.press_forged(menu, "home")
    assert user.emulator.callback_answers[-1].get("text") is None  # answered silently, nothing shown
    async with harness.engine.begin() as conn:  # the next day
        await conn.execute(update(BlockedUser).values(noticed_on=date(2026, 11, 20)))
    assert [m.text for m in await user.send("/start")] == [line]
    # The block outlives the account
    _, record = await open_record(harness, ADMIN, "123/14")
    await confirm(admin, record, "Удалить учётную запись")
    assert await account_of(harness, IVANOV) is None
    assert await user.send("/start") == []
    # Found by the Telegram id: unblocked from the record the block was set from
    _, record = await open_record(harness, ADMIN, str(IVANOV))
    assert "заблокирован" in record.text
    assert "разблокирован" in await confirm(admin, record, "Разблокировать")
    assert (await user.send("/start"))[0].text != line
    ivanov = await person_id(harness.engine, "123/14")
    assert [row[:2] for row in await audit_rows(harness, "user.blocked")] == [(ADMIN, str(ivanov))]
    assert [row[:2] for row in await audit_rows(harness, "user.unblocked")] == [(ADMIN, str(ivanov))]


async def test_send_the_invite_again(harness) -> None:
    await import_samples(harness.engine)
    support, record = await open_record(harness, SUPPORT, "AM012345678/13")
    done = await confirm(support, record, "Отправить приглашение снова")
    assert done.startswith("✅ Новое приглашение отправлено на s***@example.ru")
    mail = await harness.smtp.wait_for("shmolina@example.ru")
    assert "https://t.me/" in mail.body and "действует 30 дней" in mail.body
    token = mail.body.split("?start=")[1].split()[0]
    assert await harness.container.registration.invite_valid(token)
    assert [row[2] for row in await audit_rows(harness, "invite.resent")] == ["emailed"]
    # No e-mail in the registry: support is told to ask an admin; an admin is shown the link
    support, record = await open_record(harness, SUPPORT, "Салтыков-Щедрин")
    assert "попросите администратора" in await confirm(support, record, "Отправить приглашение снова")
    admin, record = await open_record(harness, ADMIN, "Салтыков-Щедрин")
    shown = await confirm(admin, record, "Отправить приглашение снова")
    assert "В списке нет e-mail" in shown and "https://t.me/" in shown and "?start=" in shown
    assert [row[2] for row in await audit_rows(harness, "invite.resent")] == ["emailed", "shown"]


async def test_reset_a_stuck_dialog(harness) -> None:
    await import_samples(harness.engine)
    user = await cabinet_chat(harness, IVANOV)
    await user.send("/requests")
    await user.press("Вопрос врачу-куратору")
    key = StorageKey(bot_id=harness.bot.id, chat_id=IVANOV, user_id=IVANOV)
    assert await harness.dp.storage.get_state(key) is not None
    support, record = await open_record(harness, SUPPORT, "Иванов Иван 15.03.1985")
    assert "Диалог сброшен" in await confirm(support, record, "Сбросить зависший диалог")
    assert await harness.dp.storage.get_state(key) is None
    assert (await user.send("Мой вопрос"))[0].text.startswith("Не понял сообщение")  # no longer the question
    assert [row[:2] for row in await audit_rows(harness, "dialog.reset")] == [
        (SUPPORT, str(await person_id(harness.engine, "123/14")))
    ]


async def test_lift_a_registration_lock(harness) -> None:
    await import_samples(harness.engine)
    pseudonym = harness.container.otp.pseudonym
    async with harness.engine.begin() as conn:
        await conn.execute(
            insert(LimitCounter).values(
                name="registration.key_failures", subject=pseudonym("number", "AM01234567813"), window=TODAY, count=5
            )
        )
    support, record = await open_record(harness, SUPPORT, "AM012345678/13")
    registration = (await support.press("Регистрация", record))[0]
    assert "неудачных попыток 5, 🔒 заблокирован" in registration.text
    assert "Снята" not in registration.text
    assert "Блокировка регистрации снята" in await confirm(support, registration, "Снять блокировку")
    async with harness.engine.connect() as conn:
        assert list(await conn.scalars(select(LimitCounter.count))) == [0]
    [(actor, _, _, details)] = await audit_rows(harness, "registration.lock_lifted")
    assert actor == SUPPORT and details == {"counters": 1}


# --- who may


ADMIN_ONLY = (AccountAction.UNLINK, AccountAction.BLOCK, AccountAction.UNBLOCK, AccountAction.ERASE)


@pytest.mark.parametrize("action", ADMIN_ONLY)
async def test_support_cannot_take_an_admin_action(harness, action: AccountAction) -> None:
    await import_samples(harness.engine)
    await cabinet_chat(harness, IVANOV)
    ivanov = await person_id(harness.engine, "123/14")
    async with harness.engine.begin() as conn:  # so that unblock applies too
        await conn.execute(
            insert(BlockedUser).values(telegram_id=1234, person_id=ivanov, blocked_at=datetime.now(UTC), blocked_by=1)
        )
    support, record = await open_record(harness, SUPPORT, "123/14")
    for confirmed in (False, True):
        forged = ActionCb(person_id=ivanov, action=action, confirmed=confirmed).pack()
        assert (await support.press_forged(record, forged))["text"] == STALE
    with pytest.raises(Forbidden):
        await harness.container.desk.perform(SUPPORT, ivanov, action)
    assert (await account_of(harness, IVANOV)).insured_person_id == ivanov
    async with harness.engine.connect() as conn:
        assert list(await conn.scalars(select(BlockedUser.telegram_id))) == [1234]
        staff_rows = await conn.scalars(select(AuditEvent.action).where(AuditEvent.actor_telegram_id == SUPPORT))
        assert set(staff_rows) == {"desk.find", "record.viewed"}


async def test_a_user_gets_the_stale_alert_to_forged_desk_buttons(harness) -> None:
    await import_samples(harness.engine)
    user = await cabinet_chat(harness, IVANOV)
    menu = (await user.send("/menu"))[0]
    ivanov = await person_id(harness.engine, "123/14")
    for data in (
        FindPageCb(page=0).pack(),
        RecordCb(person_id=ivanov).pack(),
        *(ActionCb(person_id=ivanov, action=a, confirmed=True).pack() for a in AccountAction),
    ):
        assert (await user.press_forged(menu, data))["text"] == STALE
    for method in ("find", "record"):
        with pytest.raises(Forbidden):
            await getattr(harness.container.desk, method)(IVANOV, "123/14" if method == "find" else ivanov)
    assert await audit_rows(harness, "record.viewed") == []


async def test_the_staff_members_own_registration_survives_the_desk(harness) -> None:
    await import_samples(harness.engine)
    user = await cabinet_chat(harness, IVANOV)
    await user.send("/requests")
    await user.press("Вопрос врачу-куратору")
    staff = harness.chat(SUPPORT)
    await by_policy(staff, "AM012345678/13", "Шмолина", "Елена", "Вениаминовна", "02.07.1979")
    own = StorageKey(bot_id=harness.bot.id, chat_id=SUPPORT, user_id=SUPPORT)
    before = (await harness.dp.storage.get_state(own), await harness.dp.storage.get_data(own))
    _, record = await open_record(harness, SUPPORT, "Иванов Иван 15.03.1985")
    await confirm(staff, record, "Сбросить зависший диалог")
    await staff.send("/find 123/14")
    assert (await harness.dp.storage.get_state(own), await harness.dp.storage.get_data(own)) == before
    # The next answer of her registration is the phone, and it is taken as such
    replies = await staff.send("+7 916 100-00-02")
    assert "SMS" in replies[-1].text
    code = harness.sms.last_code("+79161000002")
    assert any("Готово" in m.text for m in await staff.send(code))
    assert (await account_of(harness, SUPPORT)).insured_person_id == await person_id(harness.engine, "AM012345678/13")
    assert SHMOLINA  # the sample person she registered as


async def test_a_blocked_user_gets_no_notices(harness) -> None:
    from tests.bot.outbox_pass import deliver_pending
    from tests.bot.test_outbox import issue_with_payers, notices_in, outbox, sender

    await issue_with_payers(harness)  # Иванов pays three invoices, Шмолина one: notices queued
    admin, record = await open_record(harness, ADMIN, "123/14")
    await confirm(admin, record, "Заблокировать")
    assert await deliver_pending(sender(harness)) == 1  # Шмолина's
    assert notices_in(harness, IVANOV) == [] and len(notices_in(harness, SHMOLINA)) == 1
    rows = {row.telegram_id: row for row in await outbox(harness)}
    assert rows[IVANOV].failed_at is not None and rows[IVANOV].sent_at is None


async def test_reset_a_registration_stuck_before_the_account(harness) -> None:
    await import_samples(harness.engine)
    stuck = harness.chat(2002)
    await by_policy(stuck, "AM012345678/13", "Шмолина", "Елена", "Вениаминовна", "02.07.1979")
    await stuck.send("+7 916 100-00-02")  # matched: a code awaited, and never entered
    key = StorageKey(bot_id=harness.bot.id, chat_id=2002, user_id=2002)
    assert await harness.dp.storage.get_state(key) is not None
    support, record = await open_record(harness, SUPPORT, "AM012345678/13")
    assert "Диалог сброшен" in await confirm(support, record, "Сбросить зависший диалог")
    assert await harness.dp.storage.get_state(key) is None
    assert [row[3] for row in await audit_rows(harness, "dialog.reset")] == [{"telegram_id": 2002}]
